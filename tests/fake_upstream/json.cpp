#include "json.h"

#include <charconv>
#include <cmath>

#include <simdjson.h>

namespace fake {
namespace {

const Json &null_json() {
  static const Json n;
  return n;
}

Json from_dom(simdjson::dom::element e) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::ARRAY: {
      Json a = Json::array();
      simdjson::dom::array arr;
      if (e.get_array().get(arr) != simdjson::SUCCESS) return a;
      for (simdjson::dom::element child : arr) a.push(from_dom(child));
      return a;
    }
    case T::OBJECT: {
      Json o = Json::object();
      simdjson::dom::object obj;
      if (e.get_object().get(obj) != simdjson::SUCCESS) return o;
      for (auto field : obj) o.set(std::string(field.key), from_dom(field.value));
      return o;
    }
    case T::INT64: return Json(e.get_int64().value_unsafe());
    case T::UINT64: return Json(static_cast<double>(e.get_uint64().value_unsafe()));
    case T::DOUBLE: return Json(e.get_double().value_unsafe());
    case T::STRING: return Json(e.get_string().value_unsafe());
    case T::BOOL: return Json(e.get_bool().value_unsafe());
    case T::NULL_VALUE: return Json();
  }
  return Json();
}

}  // namespace

std::optional<Json> Json::parse(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return std::nullopt;
  return from_dom(root);
}

std::int64_t Json::as_int() const {
  if (kind_ == Kind::integer) return int_;
  if (kind_ == Kind::number) return static_cast<std::int64_t>(num_);
  return 0;
}

double Json::as_double() const {
  if (kind_ == Kind::integer) return static_cast<double>(int_);
  if (kind_ == Kind::number) return num_;
  return 0;
}

const std::string &Json::str() const {
  static const std::string empty;
  return kind_ == Kind::string ? str_ : empty;
}

std::size_t Json::size() const {
  if (kind_ == Kind::array) return arr_.size();
  if (kind_ == Kind::object) return obj_.size();
  return 0;
}

const Json *Json::find(std::string_view key) const {
  if (kind_ != Kind::object) return nullptr;
  for (const auto &[k, v] : obj_)
    if (k == key) return &v;
  return nullptr;
}

const Json &Json::operator[](std::string_view key) const {
  const Json *v = find(key);
  return v ? *v : null_json();
}

Json &Json::set(std::string key, Json value) {
  if (kind_ != Kind::object) *this = object();
  for (auto &[k, v] : obj_) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  obj_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Json &Json::push(Json value) {
  if (kind_ != Kind::array) *this = array();
  arr_.push_back(std::move(value));
  return *this;
}

void append_quoted(std::string &out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out.push_back(hex[(c >> 4) & 0xf]);
          out.push_back(hex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string quoted(std::string_view s) {
  std::string out;
  append_quoted(out, s);
  return out;
}

std::string utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

void Json::dump_to(std::string &out, bool spaced) const {
  switch (kind_) {
    case Kind::null: out += "null"; return;
    case Kind::boolean: out += bool_ ? "true" : "false"; return;
    case Kind::integer: out += std::to_string(int_); return;
    case Kind::number: {
      if (!std::isfinite(num_)) {
        out += "null";
        return;
      }
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof buf, num_);
      out.append(buf, res.ptr);
      return;
    }
    case Kind::string: append_quoted(out, str_); return;
    case Kind::array: {
      out.push_back('[');
      for (std::size_t i = 0; i < arr_.size(); ++i) {
        if (i) out += spaced ? ", " : ",";
        arr_[i].dump_to(out, spaced);
      }
      out.push_back(']');
      return;
    }
    case Kind::object: {
      out.push_back('{');
      for (std::size_t i = 0; i < obj_.size(); ++i) {
        if (i) out += spaced ? ", " : ",";
        append_quoted(out, obj_[i].first);
        out += spaced ? ": " : ":";
        obj_[i].second.dump_to(out, spaced);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string Json::dump() const {
  std::string out;
  dump_to(out, false);
  return out;
}

std::string Json::dump_spaced() const {
  std::string out;
  dump_to(out, true);
  return out;
}

}  // namespace fake
