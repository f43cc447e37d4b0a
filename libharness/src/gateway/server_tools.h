// server_tools.h: Anthropic server tools (web_search_*, web_fetch_*, bash_*, code_execution_*,
// ...) on the way to a backend that cannot run them.
#pragma once

#include <string>
#include <vector>

#include <harness/dialect.h>
#include <harness/request.h>

namespace harness::detail {

/// Removes from `req` the tools only Anthropic can run (kind other than "function", sent by an
/// Anthropic client) when `upstream` is not Anthropic: they have no schema another backend
/// could offer the model. A tool_choice naming a removed tool becomes `auto` (`unset` when no
/// tool is left), as does `any` with no tool left: a backend would refuse a choice of a tool
/// it was not given. Returns the removed tools' names, in order, for the client and the log.
std::vector<std::string> drop_server_tools(chat_request& req, dialect upstream);

}  // namespace harness::detail
