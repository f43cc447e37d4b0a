// tools_decode.cpp: Responses `tools` and `tool_choice` -> canonical tools.
//
// function tools map one to one. `custom` (freeform) tools become functions with one string
// parameter `input`, so any upstream can call them (common.cpp). `namespace` groups are
// flattened into their tools. Hosted tools (web_search, tool_search, file_search, ...) keep their
// definition in `extra` under their own kind: other dialects' encoders leave them out, this
// codec writes them back.
#include <string>
#include <utility>

#include "codec/responses/internal.h"
#include "codec/responses/tools.h"

namespace harness::detail::responses {
namespace {

bool decode_function(json_object obj, const json_path& p, tool_spec& tool, error& err) {
  json_element v;
  if (!required_string(obj, "name", p, tool.name, err)) return false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    v = field.value;
    bool ok = true;
    if (key == "type" || key == "name") continue;
    if (key == "description") {
      ok = v.is_null() || read_string(v, p / key, tool.description, err);
    } else if (key == "parameters") {
      json_object schema;
      if (!v.is_null()) {
        ok = read_object(v, p / key, schema, err);
        if (ok) tool.parameters = raw_json(v);
      }
    } else if (key == "strict") {
      bool strict = false;
      if (!v.is_null()) {
        ok = read_bool(v, p / key, strict, err);
        tool.strict = strict;
      }
    } else {
      tool.extra.items.emplace_back(std::string(key), raw_json(v));
    }
    if (!ok) return false;
  }
  return true;
}

// The schema upstreams see for a freeform tool: its format (a grammar) goes into the
// description of `input`, since no other dialect can constrain a call by a grammar.
std::string freeform_schema(const json_object* format) {
  json_element v;
  std::string_view kind, syntax, definition;
  if (format != nullptr) {
    if (find_field(*format, "type", v)) get_optional(v.get_string(), kind);
    if (find_field(*format, "syntax", v)) get_optional(v.get_string(), syntax);
    if (find_field(*format, "definition", v)) get_optional(v.get_string(), definition);
  }
  std::string description = "The tool's input as raw text, exactly as the tool reads it (not JSON).";
  if (kind == "grammar" && !definition.empty()) {
    description += " It must match this ";
    description += syntax.empty() ? std::string_view("grammar") : syntax;
    description += syntax.empty() ? ":\n" : " grammar:\n";
    description += definition;
  }
  std::string out;
  json_writer w(out);
  w.start_object().member("type", "object").key("properties").start_object();
  w.key("input").start_object().member("type", "string").member("description", description);
  w.end_object().end_object();
  w.key("required").start_array().string("input").end_array();
  w.member_bool("additionalProperties", false).end_object();
  return out;
}

bool decode_custom(json_object obj, const json_path& p, tool_spec& tool, error& err) {
  json_element v;
  json_object format;
  if (!required_string(obj, "name", p, tool.name, err)) return false;
  if (find_field(obj, "description", v) && !read_string(v, p / "description", tool.description, err)) {
    return false;
  }
  const bool has_format = find_field(obj, "format", v);
  if (has_format && !read_object(v, p / "format", format, err)) return false;
  tool.parameters = freeform_schema(has_format ? &format : nullptr);
  for (auto field : obj) {
    if (field.key == "name" || field.key == "description") continue;
    tool.extra.items.emplace_back(std::string(field.key), raw_json(field.value));
  }
  return true;
}

bool decode_tool(json_element e, const json_path& p, std::vector<tool_spec>& out, error& err);

bool decode_namespace(json_object obj, const json_path& p, std::vector<tool_spec>& out,
                      error& err) {
  json_element v;
  json_array tools;
  std::string name;
  if (!required_string(obj, "name", p, name, err)) return false;
  if (!required_field(obj, "tools", p, v, err) || !read_array(v, p / "tools", tools, err)) {
    return false;
  }
  // The group itself (without its tools) rides on each member, to be regrouped on encode.
  std::string group;
  json_writer w(group);
  w.start_object();
  for (auto field : obj) {
    if (field.key != "tools") w.member_raw(field.key, raw_json(field.value));
  }
  w.end_object();
  const std::size_t first = out.size();
  const json_path tp = p / "tools";
  std::size_t i = 0;
  for (json_element t : tools) {
    if (!decode_tool(t, tp[i++], out, err)) return false;
  }
  for (std::size_t k = first; k < out.size(); ++k) out[k].extra.set(std::string(namespace_key), group);
  return true;
}

bool decode_tool(json_element e, const json_path& p, std::vector<tool_spec>& out, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  std::string type;
  if (!required_string(obj, "type", p, type, err)) return false;
  if (type == "namespace") return decode_namespace(obj, p, out, err);
  tool_spec tool;
  if (type == "function") {
    if (!decode_function(obj, p, tool, err)) return false;
  } else if (type == "custom") {
    if (!decode_custom(obj, p, tool, err)) return false;
  } else {
    tool.kind = type;
    json_element v;
    std::string_view name = type;
    if (find_field(obj, "name", v)) get_optional(v.get_string(), name);
    tool.name.assign(name);
    for (auto field : obj) tool.extra.items.emplace_back(std::string(field.key), raw_json(field.value));
  }
  out.push_back(std::move(tool));
  return true;
}

}  // namespace

bool decode_tools(json_element v, const json_path& p, std::vector<tool_spec>& out, error& err) {
  if (v.is_null()) return true;
  json_array tools;
  if (!read_array(v, p, tools, err)) return false;
  std::size_t i = 0;
  for (json_element t : tools) {
    if (!decode_tool(t, p[i++], out, err)) return false;
  }
  return true;
}

// "auto" / "none" / "required" / {type:"function"|"custom", name}. Hosted-tool and
// allowed_tools choices have no canonical mode: kept raw in extra.
bool decode_tool_choice(json_element v, const json_path& p, chat_request& req, error& err) {
  if (v.is_null()) return true;
  auto& choice = req.tool_choice;
  if (v.is_string()) {
    const std::string_view s = v.get_string().value_unsafe();
    if (s == "auto") {
      choice.kind = tool_choice::mode::auto_;
    } else if (s == "none") {
      choice.kind = tool_choice::mode::none;
    } else if (s == "required") {
      choice.kind = tool_choice::mode::required;
    } else {
      err = invalid(p, "tool_choice must be \"auto\", \"none\", \"required\" or an object");
      return false;
    }
    return true;
  }
  json_object obj;
  std::string type;
  if (!read_object(v, p, obj, err) || !required_string(obj, "type", p, type, err)) return false;
  if (type != "function" && type != "custom") {
    req.extra.items.emplace_back("tool_choice", raw_json(v));
    return true;
  }
  if (!required_string(obj, "name", p, choice.name, err)) return false;
  choice.kind = tool_choice::mode::tool;
  return true;
}

}  // namespace harness::detail::responses
