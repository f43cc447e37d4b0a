// A small ordered JSON value: what the fake reads requests into and builds responses from.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fake {

class Json {
public:
  enum class Kind { null, boolean, integer, number, string, array, object };
  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : kind_(Kind::boolean), bool_(b) {}
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Json(T v) : kind_(Kind::integer), int_(static_cast<std::int64_t>(v)) {}
  Json(double d) : kind_(Kind::number), num_(d) {}
  Json(const char *s) : kind_(Kind::string), str_(s) {}
  Json(std::string s) : kind_(Kind::string), str_(std::move(s)) {}
  Json(std::string_view s) : kind_(Kind::string), str_(s) {}

  static Json array() { return Json(Kind::array); }
  static Json object() { return Json(Kind::object); }
  /// Parses JSON text; std::nullopt when it is not valid JSON.
  static std::optional<Json> parse(std::string_view text);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_bool() const { return kind_ == Kind::boolean; }
  bool is_number() const { return kind_ == Kind::integer || kind_ == Kind::number; }
  bool is_string() const { return kind_ == Kind::string; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_object() const { return kind_ == Kind::object; }

  bool as_bool() const { return kind_ == Kind::boolean && bool_; }
  std::int64_t as_int() const;
  double as_double() const;
  /// The string value, or "" for any other kind.
  const std::string &str() const;
  const Array &items() const { return arr_; }
  const Object &members() const { return obj_; }
  std::size_t size() const;

  /// Object member lookup; nullptr when absent or not an object.
  const Json *find(std::string_view key) const;
  /// Object member lookup; a null value when absent.
  const Json &operator[](std::string_view key) const;
  /// Sets (replaces or appends) an object member; returns *this for chaining.
  Json &set(std::string key, Json value);
  /// Appends to an array; returns *this for chaining.
  Json &push(Json value);

  /// Compact JSON text (no spaces), as APIs send it.
  std::string dump() const;
  /// JSON text with ", " and ": " separators (how Python's json.dumps and many models print).
  std::string dump_spaced() const;

private:
  explicit Json(Kind k) : kind_(k) {}
  void dump_to(std::string &out, bool spaced) const;

  Kind kind_ = Kind::null;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double num_ = 0;
  std::string str_;
  Array arr_;
  Object obj_;
};

/// Appends `s` as a quoted JSON string literal.
void append_quoted(std::string &out, std::string_view s);
std::string quoted(std::string_view s);

/// At most `max_bytes` of `s`, cut at a UTF-8 character boundary.
std::string utf8_prefix(std::string_view s, std::size_t max_bytes);

}  // namespace fake
