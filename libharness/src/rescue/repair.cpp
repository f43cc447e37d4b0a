// repair.cpp: the argument repair ladder, policy-5 normalisation and schema coercion.
#include <harness/repair.h>

#include <algorithm>

#include "rescue/context.h"
#include "rescue/jvalue.h"

namespace harness::detail::rescue {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_hspace(char c) noexcept { return c == ' ' || c == '\t'; }
bool is_ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) noexcept {
  return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view strip_fence(std::string_view text) noexcept {
  std::string_view t = trim(text);
  if (t.substr(0, 3) != "```") return t;
  const auto nl = t.find('\n');
  if (nl == std::string_view::npos) return t;
  std::string_view body = t.substr(nl + 1);
  const auto close = body.rfind("```");
  if (close != std::string_view::npos && trim(body.substr(close + 3)).empty()) {
    body = body.substr(0, close);
  }
  return trim(body);
}

bool normalize_arguments(jvalue& args) {
  switch (args.k) {
    case jvalue::kind::object: return true;
    case jvalue::kind::null: args = jvalue::object(); return true;
    case jvalue::kind::string: {
      const std::string_view t = strip_fence(args.s);
      if (t.empty()) {
        args = jvalue::object();
        return true;
      }
      jvalue inner;
      if (parse_whole(t, inner, syntax::json, true) != parse_fail::none) return false;
      if (inner.is(jvalue::kind::array) && inner.items.size() == 1 &&
          inner.items[0].is(jvalue::kind::object)) {
        jvalue only = std::move(inner.items[0]);
        inner = std::move(only);
      }
      if (!inner.is(jvalue::kind::object)) return false;
      args = std::move(inner);
      return true;
    }
    case jvalue::kind::array:
      if (args.items.size() == 1 && args.items[0].is(jvalue::kind::object)) {
        jvalue only = std::move(args.items[0]);
        args = std::move(only);
        return true;
      }
      return false;
    default: return false;
  }
}

namespace {

bool is_integer_text(std::string_view t) noexcept {
  return is_json_number(t) && t.find_first_of(".eE") == std::string_view::npos;
}

bool equals_ci(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

// Converts the string `v` to `type`; false (v untouched) when it does not convert.
bool convert(jvalue& v, std::string_view type, coerce_scope scope) {
  const std::string_view t = trim(v.s);
  const bool scalars = scope == coerce_scope::all;
  if (type == "integer" && scalars && is_integer_text(t)) {
    v.k = jvalue::kind::number;
    v.s.assign(t);
    return true;
  }
  if (type == "number" && scalars && is_json_number(t)) {
    v.k = jvalue::kind::number;
    v.s.assign(t);
    return true;
  }
  if (type == "boolean" && scalars && (equals_ci(t, "true") || equals_ci(t, "false"))) {
    v.b = equals_ci(t, "true");
    v.k = jvalue::kind::boolean;
    v.s.clear();
    return true;
  }
  if (type == "null" && scalars && (t == "null" || t == "None")) {
    v = jvalue();
    return true;
  }
  if (type == "array" || type == "object") {
    jvalue parsed;
    if (parse_whole(strip_fence(t), parsed, syntax::json, false) != parse_fail::none) return false;
    if (!parsed.is(type == "array" ? jvalue::kind::array : jvalue::kind::object)) return false;
    v = std::move(parsed);
    return true;
  }
  return false;
}

void collect_types(const jvalue& prop, std::vector<std::string>& out) {
  if (const jvalue* t = prop.find("type")) {
    if (t->is(jvalue::kind::string)) out.push_back(t->s);
    if (t->is(jvalue::kind::array)) {
      for (const auto& item : t->items) {
        if (item.is(jvalue::kind::string)) out.push_back(item.s);
      }
    }
  }
  for (const char* alt : {"anyOf", "oneOf"}) {
    if (const jvalue* list = prop.find(alt); list && list->is(jvalue::kind::array)) {
      for (const auto& branch : list->items) {
        if (branch.is(jvalue::kind::object)) collect_types(branch, out);
      }
    }
  }
  if (out.empty() && prop.find("properties")) out.emplace_back("object");
  if (out.empty() && prop.find("items")) out.emplace_back("array");
}

}  // namespace

void read_schema_types(const jvalue& schema, param_types& out) {
  const jvalue* props = schema.find("properties");
  if (!props || !props->is(jvalue::kind::object)) return;
  for (std::size_t i = 0; i < props->keys.size(); ++i) {
    if (!props->items[i].is(jvalue::kind::object)) continue;
    std::vector<std::string> types;
    collect_types(props->items[i], types);
    if (!types.empty()) out[props->keys[i]] = std::move(types);
  }
}

void coerce_object(jvalue& obj, const param_types& types, coerce_scope scope) {
  if (!obj.is(jvalue::kind::object)) return;
  for (std::size_t i = 0; i < obj.keys.size(); ++i) {
    jvalue& v = obj.items[i];
    if (!v.is(jvalue::kind::string)) continue;
    const auto it = types.find(obj.keys[i]);
    if (it == types.end()) continue;
    const auto& list = it->second;
    if (std::find(list.begin(), list.end(), "string") != list.end()) continue;
    for (const auto& type : list) {
      if (convert(v, type, scope)) break;
    }
  }
}

}  // namespace harness::detail::rescue

namespace harness {
inline namespace v0 {

result<std::string> repair_arguments(std::string_view text) {
  using namespace detail::rescue;
  const std::string_view t = strip_fence(text);
  jvalue v;
  parse_fail why = t.empty() ? parse_fail::none : parse_whole(t, v, syntax::json, true);
  if (why == parse_fail::syntax && t.find("\\\"") != std::string_view::npos) {
    // A whole object whose quotes were escaped as if it sat inside a string: {\"a\": 1}.
    std::string unescaped;
    unescaped.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '\\' && i + 1 < t.size() && (t[i + 1] == '"' || t[i + 1] == '\\')) ++i;
      unescaped += t[i];
    }
    jvalue retry;
    if (parse_whole(unescaped, retry, syntax::json, true) == parse_fail::none) {
      v = std::move(retry);
      why = parse_fail::none;
    }
  }
  if (why == parse_fail::string_open) {
    return make_error(errc::invalid_json, "arguments end inside a string (cut output)");
  }
  if (why == parse_fail::depth) {
    return make_error(errc::invalid_json, "arguments nested too deeply");
  }
  if (why != parse_fail::none) {
    return make_error(errc::invalid_json, "arguments are not JSON, even leniently read");
  }
  if (!normalize_arguments(v)) {
    return make_error(errc::invalid_json, "arguments are not a JSON object");
  }
  std::string out;
  if (!write_json(v, out)) return make_error(errc::invalid_json, "arguments are not valid UTF-8");
  return out;
}

std::string coerce_arguments(std::string_view object_json, std::string_view json_schema,
                             coerce_scope scope) {
  using namespace detail::rescue;
  jvalue obj;
  jvalue schema;
  if (parse_whole(object_json, obj, syntax::json, false) != parse_fail::none ||
      !obj.is(jvalue::kind::object) ||
      parse_whole(json_schema, schema, syntax::json, false) != parse_fail::none) {
    return std::string(object_json);
  }
  param_types types;
  read_schema_types(schema, types);
  coerce_object(obj, types, scope);
  std::string out;
  if (!write_json(obj, out)) return std::string(object_json);
  return out;
}

}  // namespace v0
}  // namespace harness
