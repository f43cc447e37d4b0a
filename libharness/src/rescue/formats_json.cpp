// formats_json.cpp: JSON_NATIVE call shapes (policy 4) and the wrapper payload dispatcher.
#include "rescue/formats.h"

namespace harness::detail::rescue {
namespace {

constexpr std::size_t max_wrapper_depth = 4;

bool allowed_extra_key(std::string_view k) noexcept {
  return k == "type" || k == "id" || k == "tool_call_id" || k == "call_id" || k == "index";
}

bool from_object(const jvalue& o, bool untagged, const context& ctx, drafts& out,
                 std::string_view family, std::size_t depth);

// {"type": "object", "properties": {...}}: a JSON Schema, i.e. a tool definition echoed.
bool looks_like_schema(const jvalue& v) {
  const jvalue* type = v.find("type");
  return v.is(jvalue::kind::object) && type && type->is(jvalue::kind::string) &&
         type->s == "object" && v.find("properties");
}

bool from_value(const jvalue& v, bool untagged, const context& ctx, drafts& out,
                std::string_view family, std::size_t depth) {
  if (v.is(jvalue::kind::object)) return from_object(v, untagged, ctx, out, family, depth);
  if (!v.is(jvalue::kind::array) || v.items.empty()) return false;
  for (const auto& item : v.items) {
    if (!item.is(jvalue::kind::object)) return false;
    if (!from_object(item, untagged, ctx, out, family, depth)) return false;
  }
  return true;
}

bool from_object(const jvalue& o, bool untagged, const context& ctx, drafts& out,
                 std::string_view family, std::size_t depth) {
  if (depth > max_wrapper_depth) return false;
  // Known wrappers: {"tool_calls": [...]}, {"tool_call": {...}},
  // {"type":"function","function":{...}}.
  if (const jvalue* list = o.find("tool_calls")) {
    for (std::size_t i = 0; i < o.keys.size(); ++i) {
      const auto& k = o.keys[i];
      if (k == "tool_calls" || k == "role" || k == "type") continue;
      if (k == "content" && (o.items[i].is(jvalue::kind::null) ||
                             (o.items[i].is(jvalue::kind::string) && trim(o.items[i].s).empty()))) {
        continue;
      }
      return false;
    }
    return list->is(jvalue::kind::array) &&
           from_value(*list, untagged, ctx, out, family, depth + 1);
  }
  if (const jvalue* one = o.find("tool_call"); one && o.keys.size() == 1) {
    return one->is(jvalue::kind::object) &&
           from_object(*one, untagged, ctx, out, family, depth + 1);
  }
  if (const jvalue* fn = o.find("function"); fn && fn->is(jvalue::kind::object)) {
    for (const auto& k : o.keys) {
      if (k != "function" && !allowed_extra_key(k)) return false;
    }
    // The OpenAI call shape has "arguments"; "parameters" there is a tool *definition*.
    if (fn->find("parameters") || fn->find("description")) return false;
    return from_object(*fn, untagged, ctx, out, family, depth + 1);
  }
  const jvalue* name = o.find("name");
  if (!name) name = o.find("tool_name");
  if (!name) {
    if (const jvalue* fn = o.find("function"); fn && fn->is(jvalue::kind::string)) name = fn;
  }
  if (!untagged && !name) {
    // Inside a marker, drifted spellings are accepted too.
    for (const char* k : {"tool", "function_name", "tool_call_name"}) {
      if (!name) name = o.find(k);
    }
  }
  if (name && name->is(jvalue::kind::string)) {
    const jvalue* args = o.find("arguments");
    if (!args) args = o.find("parameters");
    if (!untagged) {
      for (const char* k : {"args", "input", "params"}) {
        if (!args) args = o.find(k);
      }
    }
    if (untagged) {
      for (const auto& k : o.keys) {
        if (k == "name" || k == "tool_name" || k == "function" || k == "arguments" ||
            k == "parameters" || allowed_extra_key(k)) {
          continue;
        }
        return false;
      }
      if (const jvalue* type = o.find("type");
          type && !(type->is(jvalue::kind::string) && type->s == "function")) {
        return false;
      }
    }
    if (args && args == o.find("parameters") && looks_like_schema(*args)) return false;
    call_draft d;
    d.name = name->s;
    if (args) d.args = *args;
    d.family.assign(family);
    out.push_back(std::move(d));
    return true;
  }
  // The tool name as the only key: {"get_weather": {...}} (Apertus; Ollama's short form).
  if (o.keys.size() == 1 && ctx.resolve(o.keys[0], name_plain)) {
    call_draft d;
    d.name = o.keys[0];
    d.args = o.items[0];
    d.family.assign(family);
    out.push_back(std::move(d));
    return true;
  }
  return false;
}

// `{\"a\": 1}` -> `{"a": 1}`: a value whose quotes were escaped outside any string.
std::string unescape_quotes(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\' && i + 1 < t.size() && (t[i + 1] == '"' || t[i + 1] == '\\')) ++i;
    out += t[i];
  }
  return out;
}

bool escaped_outside(std::string_view t) {
  const std::string_view s = trim(t);
  return s.size() > 2 && (s[0] == '{' || s[0] == '[') && s[1] == '\\';
}

}  // namespace

bool calls_from_json(const jvalue& v, bool untagged, const context& ctx, drafts& out,
                     std::string_view family) {
  const std::size_t mark = out.size();
  if (from_value(v, untagged, ctx, out, family, 0)) return true;
  out.resize(mark);
  return false;
}

namespace {

bool json_values(std::string_view t, bool untagged, const context& ctx, drafts& out,
                 std::string_view family) {
  const std::size_t mark = out.size();
  std::size_t pos = 0;
  bool any = false;
  while (true) {
    while (pos < t.size() && (is_space(t[pos]) || t[pos] == ';' || t[pos] == ',')) ++pos;
    if (pos >= t.size()) break;
    jvalue v;
    if (parse_value(t, pos, v, syntax::json, true) != parse_fail::none ||
        !calls_from_json(v, untagged, ctx, out, family)) {
      out.resize(mark);
      return false;
    }
    any = true;
  }
  return any;
}

}  // namespace

bool json_payload(std::string_view text, bool untagged, const context& ctx, drafts& out,
                  std::string_view family) {
  const std::string_view t = strip_fence(text);
  if (escaped_outside(t)) return json_values(unescape_quotes(t), untagged, ctx, out, family);
  return json_values(t, untagged, ctx, out, family);
}

bool generic_response(std::string_view text, std::string& response) {
  jvalue v;
  if (parse_whole(text, v, syntax::json, false) != parse_fail::none) return false;
  if (!v.is(jvalue::kind::object) || v.keys.size() != 1 || v.keys[0] != "response") return false;
  if (!v.items[0].is(jvalue::kind::string)) return false;
  response = v.items[0].s;
  return true;
}

bool args_from_text(std::string_view text, jvalue& args) {
  const std::string_view t = strip_fence(text);
  if (t.empty()) {
    args = jvalue::object();
    return true;
  }
  if (escaped_outside(t))
    return parse_whole(unescape_quotes(t), args, syntax::json, true) == parse_fail::none;
  return parse_whole(t, args, syntax::json, true) == parse_fail::none;
}

std::string_view strip_one_newline(std::string_view v) noexcept {
  if (!v.empty() && v.front() == '\n')
    v.remove_prefix(1);
  else if (v.size() >= 2 && v[0] == '\r' && v[1] == '\n')
    v.remove_prefix(2);
  if (!v.empty() && v.back() == '\n') {
    v.remove_suffix(1);
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  }
  return v;
}

bool wrapper_payload(std::string_view text, const context& ctx, drafts& out,
                     std::string_view family) {
  const std::string_view t = strip_fence(text);
  if (t.empty()) return false;
  const char c = t.front();
  if (c == '{') return json_payload(t, false, ctx, out, family);
  if (c == '[') {
    return json_payload(t, false, ctx, out, family) || python_calls(t, out, family);
  }
  if (c == '<') {
    return xml_functions(t, out) || invokes(t, out, family);
  }
  if (!is_ident_start(c)) return false;
  if (t.substr(0, 5) == "call:") return gemma_calls(t, out);
  return glm_call(t, out) || python_calls(t, out, family) || name_args(t, out, family);
}

}  // namespace harness::detail::rescue
