#include "json/reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "json/escape.h"

namespace harness::detail {
namespace {

const char* reason(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR: return "body is not valid UTF-8";
    case simdjson::DEPTH_ERROR: return "nested deeper than 512 levels";
    case simdjson::EMPTY: return "body is empty";
    case simdjson::CAPACITY: return "body is too large";
    default: return simdjson::error_message(code);
  }
}

}  // namespace

result<json_element> parse_json(simdjson::dom::parser& parser, std::string_view body) {
  // simdjson enforces the depth bound itself once the parser is sized with it.
  if (parser.max_depth() != max_json_depth || parser.capacity() < body.size()) {
    // A parser reused for many texts (tool-call arguments) grows geometrically.
    std::size_t capacity = std::max<std::size_t>(body.size(), 4096);
    if (parser.capacity() > 0) capacity = std::max(capacity, 2 * parser.capacity());
    if (parser.allocate(capacity, max_json_depth) != simdjson::SUCCESS) {
      return make_error(errc::invalid_json, "invalid JSON: body is too large", "$");
    }
  }
  json_element root;
  const auto code = parser.parse(body.data(), body.size(), true).get(root);
  if (code != simdjson::SUCCESS) {
    return make_error(errc::invalid_json, std::string("invalid JSON: ") + reason(code), "$");
  }
  return root;
}

result<json_object> parse_json_object(simdjson::dom::parser& parser, std::string_view body) {
  auto doc = parse_json(parser, body);
  if (!doc) return std::move(doc).error_value();
  json_object obj;
  error err;
  if (!read_object(*doc, json_path{}, obj, err)) return err;
  return obj;
}

void append_raw_json(std::string& out, json_element e) {
  using type = simdjson::dom::element_type;
  char buf[32];
  switch (e.type()) {
    case type::OBJECT: {
      json_object obj;
      if (!get_optional(e, obj)) return;
      out.push_back('{');
      char sep = '\0';
      for (auto field : obj) {
        append_json_string(out, sep, field.key, hex_case::lower, false);
        out.push_back(':');
        append_raw_json(out, field.value);
        sep = ',';
      }
      out.push_back('}');
      return;
    }
    case type::ARRAY: {
      json_array arr;
      if (!get_optional(e, arr)) return;
      out.push_back('[');
      bool first = true;
      for (json_element v : arr) {
        if (!first) out.push_back(',');
        first = false;
        append_raw_json(out, v);
      }
      out.push_back(']');
      return;
    }
    case type::STRING: {
      std::string_view s;
      if (!get_optional(e, s)) return;
      append_json_string(out, '\0', s, hex_case::lower, false);  // the parser validated it
      return;
    }
    case type::INT64: {
      std::int64_t v = 0;
      if (!get_optional(e, v)) return;
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
      return;
    }
    case type::UINT64: {
      std::uint64_t v = 0;
      if (!get_optional(e, v)) return;
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
      return;
    }
    case type::DOUBLE: {
      double v = 0;
      if (!get_optional(e, v)) return;
      out.append(buf, simdjson::internal::to_chars(buf, buf + sizeof buf, v));  // minify's form
      return;
    }
    case type::BOOL: {
      bool v = false;
      if (!get_optional(e, v)) return;
      out.append(v ? "true" : "false");
      return;
    }
    case type::NULL_VALUE:
      out.append("null");
      return;
  }
}

std::string raw_json(json_element e) {
  std::string out;
  append_raw_json(out, e);
  return out;
}

error type_error(const json_path& path, std::string_view expected) {
  return make_error(errc::invalid_request, "expected " + std::string(expected), path.str());
}

error missing_field(const json_path& path) {
  return make_error(errc::invalid_request, "missing required field", path.str());
}

error invalid(const json_path& path, std::string message) {
  return make_error(errc::invalid_request, std::move(message), path.str());
}

bool read_string_view(json_element e, const json_path& path, std::string_view& out, error& err) {
  if (e.get_string().get(out) != simdjson::SUCCESS) {
    err = type_error(path, "a string");
    return false;
  }
  return true;
}

bool read_string(json_element e, const json_path& path, std::string& out, error& err) {
  std::string_view v;
  if (!read_string_view(e, path, v, err)) return false;
  out.assign(v);
  return true;
}

bool read_int(json_element e, const json_path& path, std::int64_t& out, error& err) {
  if (e.get_int64().get(out) == simdjson::SUCCESS) return true;
  std::uint64_t u = 0;
  if (e.get_uint64().get(u) == simdjson::SUCCESS) {
    err = invalid(path, "integer out of range");
    return false;
  }
  double d = 0;
  if (e.get_double().get(d) == simdjson::SUCCESS && std::isfinite(d) && std::floor(d) == d &&
      std::fabs(d) < 9.0e15) {
    out = static_cast<std::int64_t>(d);
    return true;
  }
  err = type_error(path, "an integer");
  return false;
}

bool read_number(json_element e, const json_path& path, double& out, error& err) {
  if (e.get_double().get(out) == simdjson::SUCCESS) return true;  // ints convert too
  err = type_error(path, "a number");
  return false;
}

bool read_bool(json_element e, const json_path& path, bool& out, error& err) {
  if (e.get_bool().get(out) == simdjson::SUCCESS) return true;
  err = type_error(path, "a boolean");
  return false;
}

bool read_object(json_element e, const json_path& path, json_object& out, error& err) {
  if (e.get_object().get(out) == simdjson::SUCCESS) return true;
  err = type_error(path, "an object");
  return false;
}

bool read_array(json_element e, const json_path& path, json_array& out, error& err) {
  if (e.get_array().get(out) == simdjson::SUCCESS) return true;
  err = type_error(path, "an array");
  return false;
}

}  // namespace harness::detail
