// result.h: the one error currency of the public API.
//
// Every fallible function returns harness::result<T>: a value or an error. No exception crosses
// the public API (bad input is data, not an exception). The type mirrors the subset of
// std::expected (C++23) that we use, so it can become an alias later.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace harness {
inline namespace v0 {

/// What went wrong, coarsely. Stable: frontends map it to HTTP statuses and exit codes.
enum class errc {
  invalid_json,        ///< the bytes are not JSON (or not UTF-8)
  invalid_request,     ///< JSON, but not a valid body for the dialect (wrong type, missing field)
  unsupported,         ///< valid, but asks for something this translation cannot express
  upstream_http,       ///< the upstream answered with an error status
  upstream_transport,  ///< connect, TLS, reset, DNS
  timeout,
  canceled,
  config,              ///< a configuration file or value is wrong
  internal,            ///< a broken invariant inside the library (a bug)
};

/// Short stable name of an error code ("invalid_json", ...).
const char* to_string(errc code) noexcept;

/// An error as a value. `message` is safe to show to a client (never holds a key or a body);
/// `path` is a JSON path (`$.messages[2].content`) or `file:line:col`, empty when none applies;
/// `http_status` is the status a server answers with.
struct error {
  errc code = errc::internal;
  std::string message;
  std::string path;
  int http_status = 400;

  /// "message (at path)" or just "message".
  std::string describe() const;
};

/// Build an error with the usual status for its code (400 for input errors, 500 for internal...).
error make_error(errc code, std::string message, std::string path = {});

/// A value of type T or an error. [[nodiscard]]: ignoring a result is a bug.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  result(error err) : v_(std::in_place_index<1>, std::move(err)) {}      // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  /// Precondition: has_value(). Checked only by the standard library's variant access.
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// Precondition: !has_value().
  const error& error_value() const& { return std::get<1>(v_); }
  error&& error_value() && { return std::get<1>(std::move(v_)); }

  T value_or(T fallback) const& { return has_value() ? value() : std::move(fallback); }

 private:
  std::variant<T, error> v_;
};

/// result<void>: success or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(error err) : err_(std::move(err)), ok_(false) {}  // NOLINT: implicit by design

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const error& error_value() const& { return err_; }
  error&& error_value() && { return std::move(err_); }

 private:
  error err_;
  bool ok_ = true;
};

}  // namespace v0
}  // namespace harness
