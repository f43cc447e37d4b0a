#include "eval/args.h"

#include <algorithm>

#include <simdjson.h>

#include "json/reader.h"

namespace harness::eval_internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool has_type(element value, std::string_view type) {
  switch (value.type()) {
    case element_type::STRING: return type == "string";
    case element_type::INT64:
    case element_type::UINT64: return type == "integer" || type == "number";
    case element_type::DOUBLE: return type == "number";
    case element_type::BOOL: return type == "boolean";
    case element_type::NULL_VALUE: return type == "null";
    case element_type::ARRAY: return type == "array";
    case element_type::OBJECT: return type == "object";
  }
  return false;
}

// A string that a lenient client would coerce into `type` ("true", "5").
bool coercible_to(element value, std::string_view type) {
  std::string_view s;
  if (value.get(s) != simdjson::SUCCESS) return false;
  if (type == "boolean") return s == "true" || s == "false";
  if (type == "integer" || type == "number") {
    if (s.empty()) return false;
    for (char c : s)
      if ((c < '0' || c > '9') && c != '-' && c != '.') return false;
    return true;
  }
  if (type == "array" || type == "object") return !s.empty() && (s.front() == '[' || s.front() == '{');
  return false;
}

void check(element value, element schema, const std::string& where, schema_check& out, int depth) {
  if (depth > 16) return;
  simdjson::dom::object sch;
  if (schema.get(sch) != simdjson::SUCCESS) return;
  std::vector<std::string_view> types;
  element t;
  if (sch["type"].get(t) == simdjson::SUCCESS) {
    std::string_view one;
    simdjson::dom::array many;
    if (t.get(one) == simdjson::SUCCESS) types.push_back(one);
    else if (t.get(many) == simdjson::SUCCESS)
      for (element x : many)
        if (x.get(one) == simdjson::SUCCESS) types.push_back(one);
  }
  if (!types.empty()) {
    bool ok = false, coerce = false;
    for (auto ty : types) {
      ok = ok || has_type(value, ty);
      coerce = coerce || coercible_to(value, ty);
    }
    if (!ok) {
      const std::string expected(types.front());
      if (coerce) out.coercible.push_back(where + ": a string for a " + expected);
      else out.errors.push_back(where + ": expected " + expected);
      return;
    }
  }
  simdjson::dom::array options;
  if (sch["enum"].get(options) == simdjson::SUCCESS) {
    bool found = false;
    const std::string text = simdjson::to_string(value);
    for (element o : options) found = found || simdjson::to_string(o) == text;
    if (!found) out.errors.push_back(where + ": not one of the enum values");
  }
  simdjson::dom::object obj;
  if (value.get(obj) == simdjson::SUCCESS) {
    simdjson::dom::object props;
    const bool has_props = sch["properties"].get(props) == simdjson::SUCCESS;
    simdjson::dom::array required;
    if (sch["required"].get(required) == simdjson::SUCCESS) {
      for (element r : required) {
        std::string_view name;
        if (r.get(name) != simdjson::SUCCESS) continue;
        element present;
        if (obj[name].get(present) != simdjson::SUCCESS)
          out.errors.push_back("missing required '" + std::string(name) + "'" +
                               (where == "$" ? "" : " in " + where));
      }
    }
    // additionalProperties: false closes the object (OpenCode, Codex); absent leaves it open.
    bool open = true;
    const bool closed = detail::get_optional(sch["additionalProperties"], open) && !open;
    for (auto field : obj) {
      element sub;
      if (has_props && props[field.key].get(sub) == simdjson::SUCCESS) {
        check(field.value, sub, where + "." + std::string(field.key), out, depth + 1);
      } else if (closed) {
        out.errors.push_back("unexpected parameter '" + std::string(field.key) + "'");
      }
    }
  }
  simdjson::dom::array arr;
  element items;
  if (value.get(arr) == simdjson::SUCCESS && sch["items"].get(items) == simdjson::SUCCESS) {
    std::size_t i = 0;
    for (element x : arr) check(x, items, where + "[" + std::to_string(i++) + "]", out, depth + 1);
  }
}

// Minified JSON with object keys sorted, for comparing values.
std::string canonical(element e) {
  simdjson::dom::object obj;
  simdjson::dom::array arr;
  if (e.get(obj) == simdjson::SUCCESS) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto f : obj) fields.emplace_back(std::string(f.key), canonical(f.value));
    std::sort(fields.begin(), fields.end());
    std::string out = "{";
    for (const auto& [k, v] : fields) out += (out.size() > 1 ? "," : "") + k + ":" + v;
    return out + "}";
  }
  if (e.get(arr) == simdjson::SUCCESS) {
    std::string out = "[";
    for (element x : arr) out += (out.size() > 1 ? "," : "") + canonical(x);
    return out + "]";
  }
  return simdjson::to_string(e);
}

}  // namespace

schema_check check_arguments(std::string_view arguments, std::string_view schema) {
  schema_check out;
  simdjson::dom::parser args_parser, schema_parser;
  auto args = detail::parse_json(args_parser, arguments);
  if (!args) return out;
  out.parsed = true;
  out.object = args->is_object();
  if (!out.object || schema.empty()) return out;
  auto sch = detail::parse_json(schema_parser, schema);
  if (!sch) return out;
  check(*args, *sch, "$", out, 0);
  return out;
}

std::optional<std::string> string_arg(std::string_view arguments, std::string_view key) {
  simdjson::dom::parser parser;
  auto args = detail::parse_json(parser, arguments);
  if (!args) return std::nullopt;
  std::string_view s;
  if ((*args)[key].get(s) != simdjson::SUCCESS) return std::nullopt;
  return std::string(s);
}

bool bool_arg(std::string_view arguments, std::string_view key) {
  simdjson::dom::parser parser;
  auto args = detail::parse_json(parser, arguments);
  bool b = false;
  return args && detail::get_optional((*args)[key], b) && b;
}

std::optional<std::vector<std::string>> strings_arg(std::string_view arguments, std::string_view key) {
  simdjson::dom::parser parser;
  auto args = detail::parse_json(parser, arguments);
  if (!args) return std::nullopt;
  simdjson::dom::array arr;
  if ((*args)[key].get(arr) != simdjson::SUCCESS) return std::nullopt;
  std::vector<std::string> out;
  for (element x : arr) {
    std::string_view s;
    if (x.get(s) != simdjson::SUCCESS) return std::nullopt;
    out.emplace_back(s);
  }
  return out;
}

bool same_json(std::string_view a, std::string_view b) {
  simdjson::dom::parser pa, pb;
  auto ja = detail::parse_json(pa, a);
  auto jb = detail::parse_json(pb, b);
  if (!ja || !jb) return a == b;
  return canonical(*ja) == canonical(*jb);
}

std::vector<std::string> arg_keys(std::string_view arguments) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  auto args = detail::parse_json(parser, arguments);
  simdjson::dom::object obj;
  if (!args || args->get(obj) != simdjson::SUCCESS) return out;
  for (auto field : obj) out.emplace_back(field.key);
  return out;
}

}  // namespace harness::eval_internal

namespace harness::eval_internal {

std::vector<std::string> schema_properties(std::string_view schema) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  auto doc = detail::parse_json(parser, schema);
  simdjson::dom::object props;
  if (!doc || (*doc)["properties"].get(props) != simdjson::SUCCESS) return out;
  for (auto f : props) out.emplace_back(f.key);
  return out;
}

}  // namespace harness::eval_internal
