#include "tools.h"

#include <algorithm>
#include <array>

namespace fake {
namespace {

/// Lower-case, without '_' and '-': "file_path", "filePath" and "FilePath" compare equal.
std::string squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-') continue;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

template <std::size_t N>
bool one_of(const std::string &s, const std::array<std::string_view, N> &names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

constexpr std::array<std::string_view, 8> kPathKeys{
    "filepath", "path", "file", "filename", "notebookpath", "targetfile", "absolutepath", "target"};
constexpr std::array<std::string_view, 7> kContentKeys{
    "content", "contents", "text", "filetext", "newsource", "code", "data"};

/// The schema's type, taking the first non-null of a type list and the first anyOf branch.
std::string type_of(const Json &schema) {
  const Json &t = schema["type"];
  if (t.is_string()) return t.str();
  for (const Json &x : t.items())
    if (x.str() != "null") return x.str();
  for (const char *alt : {"anyOf", "oneOf"})
    if (schema[alt].size() > 0) return type_of(schema[alt].items()[0]);
  if (schema.find("properties")) return "object";
  return "string";
}

Json generic_value(const Json &schema, const ArgHints &hints, int depth);

Json object_value(const Json &schema, const ArgHints &hints, int depth) {
  Json out = Json::object();
  const Json &props = schema["properties"];
  const Json &required = schema["required"];
  auto is_required = [&](const std::string &key) {
    for (const Json &r : required.items())
      if (r.str() == key) return true;
    return false;
  };
  for (const auto &[key, prop] : props.members()) {
    std::string k = squash(key);
    bool known = one_of(k, kPathKeys) || one_of(k, kContentKeys) || k == "oldstring" ||
                 k == "newstring" || k == "command" || k == "cmd";
    if (!is_required(key) && !(required.size() == 0 && known)) continue;
    std::string type = type_of(prop);
    std::string value;
    bool semantic = true;
    if (one_of(k, kPathKeys)) value = hints.path;
    else if (one_of(k, kContentKeys)) value = hints.content;
    else if (k == "oldstring" || k == "oldstr" || k == "oldtext") value = hints.old_string;
    else if (k == "newstring" || k == "newstr" || k == "newtext") value = hints.new_string;
    else if (k == "command" || k == "cmd" || k == "script") value = hints.command;
    else if (k == "description") value = hints.description;
    else if (k == "pattern" || k == "query" || k == "regex" || k == "glob") value = hints.pattern;
    else if (k == "url") value = "https://example.com";
    else if (k == "input" || k == "patchtext" || k == "patch") value = hints.patch;
    else if (k == "prompt") value = hints.prompt;
    else semantic = false;
    if (!semantic || (type != "string" && type != "array")) {
      out.set(key, generic_value(prop, hints, depth + 1));
    } else if (type == "array") {
      // Codex's shell takes argv.
      if (k == "command" || k == "cmd") out.set(key, Json::array().push("bash").push("-lc").push(value));
      else out.set(key, Json::array().push(value));
    } else {
      out.set(key, value);
    }
  }
  return out;
}

Json generic_value(const Json &schema, const ArgHints &hints, int depth) {
  if (schema.find("const")) return schema["const"];
  if (schema["enum"].size() > 0) return schema["enum"].items()[0];
  if (schema.find("default") && !schema["default"].is_null()) return schema["default"];
  if (depth > 8) return Json();
  std::string type = type_of(schema);
  if (type == "object") return object_value(schema, hints, depth);
  if (type == "boolean") return false;
  if (type == "integer" || type == "number") {
    if (schema["minimum"].is_number()) return schema["minimum"].as_int();
    if (schema["exclusiveMinimum"].is_number()) return schema["exclusiveMinimum"].as_int() + 1;
    return 1;
  }
  if (type == "array") {
    Json a = Json::array();
    if (schema["minItems"].as_int() > 0) a.push(generic_value(schema["items"], hints, depth + 1));
    return a;
  }
  if (type == "null") return Json();
  return "example";
}

}  // namespace

ToolRole role_of(std::string_view tool_name) {
  std::string n = squash(tool_name);
  if (one_of(n, std::array<std::string_view, 5>{"write", "writefile", "createfile", "filewrite", "writetofile"}))
    return ToolRole::write;
  if (one_of(n, std::array<std::string_view, 5>{"read", "view", "readfile", "cat", "viewfile"}))
    return ToolRole::read;
  if (one_of(n, std::array<std::string_view, 5>{"edit", "editfile", "strreplace", "strreplaceeditor", "replaceinfile"}))
    return ToolRole::edit;
  if (one_of(n, std::array<std::string_view, 7>{"bash", "shell", "shellcommand", "execcommand", "runcommand", "terminal", "runshellcommand"}))
    return ToolRole::shell;
  if (one_of(n, std::array<std::string_view, 4>{"glob", "find", "findfiles", "filesearch"}))
    return ToolRole::glob;
  if (one_of(n, std::array<std::string_view, 4>{"grep", "search", "searchfiles", "grepsearch"}))
    return ToolRole::grep;
  if (one_of(n, std::array<std::string_view, 5>{"ls", "list", "listdir", "listdirectory", "listfiles"}))
    return ToolRole::list;
  if (n == "applypatch" || n == "patch") return ToolRole::patch;
  return ToolRole::other;
}

const ToolDef *find_tool(const std::vector<ToolDef> &tools, ToolRole role) {
  for (const ToolDef &t : tools)
    if (role_of(t.name) == role) return &t;
  return nullptr;
}

Json build_arguments(const ToolDef &tool, const ArgHints &hints) {
  return object_value(tool.schema, hints, 0);
}

Json sample_for_schema(const Json &schema) {
  if (!schema.is_object() || schema.size() == 0) return Json::object();
  return generic_value(schema, ArgHints{}, 0);
}

std::string path_argument(const Json &arguments) {
  for (const auto &[key, value] : arguments.members())
    if (one_of(squash(key), kPathKeys) && value.is_string()) return value.str();
  return "";
}

}  // namespace fake
