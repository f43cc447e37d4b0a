#include "emulation.h"

#include <algorithm>
#include <cctype>

namespace fake {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// End (one past) of the balanced {...} starting at `open`, respecting strings; npos if none.
std::size_t balanced_end(std::string_view s, std::size_t open) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{') ++depth;
    else if (c == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

/// Tool definitions inside a parsed JSON value, in any of the usual shapes.
void collect(const Json &v, std::vector<ToolDef> &out, int depth) {
  if (depth > 6) return;
  if (v.is_array()) {
    for (const Json &x : v.items()) collect(x, out, depth + 1);
    return;
  }
  if (!v.is_object()) return;
  if (v["function"].is_object() && v["function"]["name"].is_string()) {
    out.push_back({v["function"]["name"].str(), v["function"]["parameters"]});
    return;
  }
  if (v["name"].is_string()) {
    for (const char *key : {"parameters", "input_schema", "inputSchema", "arguments"}) {
      if (v[key].is_object()) {
        out.push_back({v["name"].str(), v[key]});
        return;
      }
    }
  }
  for (const auto &[k, x] : v.members()) collect(x, out, depth + 1);
}

/// Tools listed one per entry as libharness's emulation prompt writes them:
/// "- NAME[: description]" then "  parameters: {JSON schema}" on the next line.
std::vector<ToolDef> listed_tools(std::string_view sys) {
  std::vector<ToolDef> out;
  std::string_view name;
  for (std::size_t pos = 0; pos < sys.size();) {
    std::size_t nl = sys.find('\n', pos);
    if (nl == std::string_view::npos) nl = sys.size();
    std::string_view line = sys.substr(pos, nl - pos);
    std::size_t next = nl + 1;
    if (line.starts_with("- ")) {
      std::size_t colon = line.find(':');
      name = line.substr(2, colon == std::string_view::npos ? std::string_view::npos : colon - 2);
    } else if (line.starts_with("  parameters: {") && !name.empty()) {
      // The schema may span lines: take the balanced object.
      std::size_t open = pos + 14;
      std::size_t end = balanced_end(sys, open);
      if (end != std::string_view::npos) {
        if (auto schema = Json::parse(sys.substr(open, end - open))) out.push_back({std::string(name), *schema});
        next = std::max(next, end);
      }
      name = {};
    }
    pos = next;
  }
  return out;
}

}  // namespace

std::optional<std::vector<ToolDef>> emulated_tools(const Request &req) {
  std::string_view sys = req.system;
  std::string low = lower(sys);
  if (low.find("arguments") == std::string::npos || low.find("json") == std::string::npos)
    return std::nullopt;
  std::vector<ToolDef> tools;
  for (std::size_t i = sys.find('{'); i != std::string_view::npos;) {
    std::size_t end = balanced_end(sys, i);
    std::optional<Json> v = end == std::string_view::npos ? std::nullopt : Json::parse(sys.substr(i, end - i));
    std::size_t before = tools.size();
    if (v) collect(*v, tools, 0);
    // Skip a parsed object; otherwise look inside it for smaller ones.
    std::size_t next = (v && tools.size() > before) ? end : i + 1;
    i = next < sys.size() ? sys.find('{', next) : std::string_view::npos;
  }
  if (tools.empty()) tools = listed_tools(sys);
  if (tools.empty()) {
    // A prose description: offer a write tool the way most prompts name it.
    Json schema = Json::object();
    schema.set("type", "object")
        .set("properties", Json::object()
                               .set("path", Json::object().set("type", "string"))
                               .set("content", Json::object().set("type", "string")))
        .set("required", Json::array().push("path").push("content"));
    tools.push_back({"write", schema});
  }
  return tools;
}

bool has_emulated_call(const Request &req) {
  for (const Message &m : req.messages) {
    if (!m.calls.empty() || !m.results.empty()) return true;
    if (m.role == "assistant" && m.text.find("\"arguments\"") != std::string::npos) return true;
  }
  return false;
}

std::string envelope_text(const ToolCall &call) {
  Json env = Json::object();
  env.set("name", call.name).set("arguments", call.arguments);
  return env.dump_spaced();
}

}  // namespace fake
