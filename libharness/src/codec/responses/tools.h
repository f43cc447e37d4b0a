// tools.h: the responses codec's tool definitions, both directions (private to the codec).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <harness/request.h>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail::responses {

/// `extra` key of a tool that came inside a `namespace` group: the group's own fields, raw.
inline constexpr std::string_view namespace_key = "$namespace";

bool decode_tools(json_element v, const json_path& p, std::vector<tool_spec>& out, error& err);
bool decode_tool_choice(json_element v, const json_path& p, chat_request& req, error& err);

/// Writes `tools` (regrouping namespaces) and `tool_choice`.
void write_tools(json_writer& w, const chat_request& req, bool same);
void write_tool_choice(json_writer& w, const chat_request& req);

/// (tool name, namespace name) for each tool that came inside a `namespace` group.
std::vector<std::pair<std::string, std::string>> tool_namespaces(const std::vector<tool_spec>& tools);

}  // namespace harness::detail::responses
