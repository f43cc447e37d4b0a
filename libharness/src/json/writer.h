// writer.h: the one JSON writer of the library.
//
// Strings are validated as UTF-8 while written: invalid UTF-8 is never written out. A failed
// write (invalid UTF-8, NaN) latches `ok() == false`; callers check once at the end.
// The bytes are those RapidJSON's Writer wrote before (compact; `\u001F` for control bytes;
// doubles in RapidJSON's shortest form), so output did not change when the writer did.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace harness::detail {

class json_writer {
 public:
  /// Appends to `out` (the caller owns the buffer, so it can be reused). Every call leaves
  /// `out` holding all bytes written so far; nothing is buffered inside the writer.
  explicit json_writer(std::string& out) noexcept : out_(out) {}
  ~json_writer();
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;

  json_writer& start_object();
  json_writer& end_object();
  json_writer& start_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);
  json_writer& string(std::string_view s);
  json_writer& int64(std::int64_t v);
  json_writer& number(double v);
  json_writer& boolean(bool v);
  json_writer& null();
  /// A complete JSON text written as it is (the caller guarantees it is valid JSON).
  json_writer& raw(std::string_view json);
  /// Writes the separator due before the next value and returns the buffer: the caller appends
  /// exactly one complete JSON value to it (e.g. append_raw_json), with no copy in between.
  std::string& raw_target();

  // Shorthands for `key(k).value(v)`.
  json_writer& member(std::string_view k, std::string_view s) { return key(k).string(s); }
  json_writer& member(std::string_view k, const char* s) { return key(k).string(s); }
  json_writer& member(std::string_view k, const std::string& s) { return key(k).string(s); }
  json_writer& member_int(std::string_view k, std::int64_t v) { return key(k).int64(v); }
  json_writer& member_bool(std::string_view k, bool v) { return key(k).boolean(v); }
  json_writer& member_raw(std::string_view k, std::string_view json) { return key(k).raw(json); }

  /// False once any write failed (invalid UTF-8 in a string, a non-finite number).
  bool ok() const noexcept { return ok_; }

 private:
  /// The byte due before the next value ('\0', ',' or ':'); advances the level's state.
  char separator() noexcept;
  char& top() noexcept { return depth_ <= inline_depth ? levels_[depth_ - 1] : deep_.back(); }
  void push(char state);
  void pop() noexcept;

  static constexpr std::uint32_t inline_depth = 32;
  std::string& out_;
  std::uint32_t depth_ = 0;
  char levels_[inline_depth] = {};  ///< per open level: what the next value is (see writer.cpp)
  std::vector<char> deep_;          ///< levels past inline_depth (never for the codecs' bodies)
  bool ok_ = true;
};

/// `s` as a JSON string literal (quotes included), or nullopt-like empty string when `s` is not
/// valid UTF-8.
std::string quote_json(std::string_view s);

/// True when `s` is valid UTF-8.
bool is_valid_utf8(std::string_view s) noexcept;

/// The longest prefix of `s` that does not end inside a UTF-8 sequence (streams hold the rest).
std::size_t complete_utf8_prefix(std::string_view s) noexcept;

}  // namespace harness::detail
