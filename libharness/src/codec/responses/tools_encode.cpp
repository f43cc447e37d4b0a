// tools_encode.cpp: canonical tools -> Responses `tools` and `tool_choice`.
#include <string>

#include "codec/responses/internal.h"
#include "codec/responses/tools.h"

namespace harness::detail::responses {
namespace {

void write_tool(json_writer& w, const tool_spec& t, bool same) {
  if (t.kind != "function") {  // hosted tools: only back to the dialect they came from
    w.start_object();
    for (const auto& [key, raw] : t.extra.items) w.member_raw(key, raw);
    w.end_object();
    return;
  }
  w.start_object();
  if (is_freeform(t)) {
    w.member("type", "custom").member("name", t.name);
    if (!t.description.empty()) w.member("description", t.description);
    for (const auto& [key, raw] : t.extra.items) {
      if (key != "type" && key != namespace_key) w.member_raw(key, raw);
    }
    w.end_object();
    return;
  }
  w.member("type", "function").member("name", t.name);
  if (!t.description.empty()) w.member("description", t.description);
  w.member_raw("parameters", t.parameters.empty() ? std::string_view(R"({"type":"object","properties":{}})")
                                                  : std::string_view(t.parameters));
  if (t.strict) w.member_bool("strict", *t.strict);
  if (same) {
    for (const auto& [key, raw] : t.extra.items) {
      if (key != namespace_key) w.member_raw(key, raw);
    }
  }
  w.end_object();
}

bool writable(const tool_spec& t, bool same) { return t.kind == "function" || same; }

}  // namespace

void write_tools(json_writer& w, const chat_request& req, bool same) {
  bool any = false;
  for (const auto& t : req.tools) any = any || writable(t, same);
  if (!any) return;
  w.key("tools").start_array();
  for (std::size_t i = 0; i < req.tools.size();) {
    const tool_spec& t = req.tools[i];
    if (!writable(t, same)) {
      ++i;
      continue;
    }
    const std::string* group = same ? t.extra.find(namespace_key) : nullptr;
    if (group == nullptr) {
      write_tool(w, t, same);
      ++i;
      continue;
    }
    // Members of one namespace sit together: the group's own fields, then its tools.
    std::string ns;
    json_writer nw(ns);
    nw.start_object();
    simdjson::dom::parser parser;
    json_object fields;
    if (parser.parse(group->data(), group->size()).get(fields) == simdjson::SUCCESS) {
      for (auto field : fields) nw.member_raw(field.key, raw_json(field.value));
    }
    nw.key("tools").start_array();
    for (; i < req.tools.size(); ++i) {
      const std::string* g = req.tools[i].extra.find(namespace_key);
      if (g == nullptr || *g != *group) break;
      write_tool(nw, req.tools[i], same);
    }
    nw.end_array().end_object();
    w.raw(ns);
  }
  w.end_array();
}

void write_tool_choice(json_writer& w, const chat_request& req) {
  switch (req.tool_choice.kind) {
    case tool_choice::mode::unset: return;
    case tool_choice::mode::auto_: w.member("tool_choice", "auto"); return;
    case tool_choice::mode::none: w.member("tool_choice", "none"); return;
    case tool_choice::mode::required: w.member("tool_choice", "required"); return;
    case tool_choice::mode::tool: break;
  }
  bool custom = false;
  for (const auto& t : req.tools) custom = custom || (t.name == req.tool_choice.name && is_freeform(t));
  w.key("tool_choice").start_object().member("type", custom ? "custom" : "function");
  w.member("name", req.tool_choice.name).end_object();
}

std::vector<std::pair<std::string, std::string>> tool_namespaces(const std::vector<tool_spec>& tools) {
  std::vector<std::pair<std::string, std::string>> out;
  simdjson::dom::parser parser;
  const std::string* last_group = nullptr;  // members of one group sit together: parse it once
  std::string last_name;
  for (const auto& t : tools) {
    const std::string* group = t.extra.find(namespace_key);
    if (group == nullptr) continue;
    if (last_group == nullptr || *group != *last_group) {
      last_group = group;
      last_name.clear();
      json_object fields;
      std::string_view name;
      if (parser.parse(group->data(), group->size()).get(fields) == simdjson::SUCCESS &&
          fields["name"].get(name) == simdjson::SUCCESS) {
        last_name.assign(name);
      }
    }
    if (!last_name.empty()) out.emplace_back(t.name, last_name);
  }
  return out;
}

}  // namespace harness::detail::responses
