// hosted_tools.cpp: tools only their own provider runs, on the way to a backend that cannot.
#include <harness/fixer.h>

#include <algorithm>

namespace harness {
inline namespace v0 {

namespace {

// Anthropic server tools, and the Responses hosted tools (web_search, tool_search, ...) that no
// routable upstream runs.
bool upstream_lacks_hosted_tools(const chat_request& req, dialect upstream) {
  return (req.origin == dialect::anthropic && upstream != dialect::anthropic) ||
         req.origin == dialect::responses;
}

bool server_tool(const tool_spec& t) { return t.kind != "function"; }

}  // namespace

bool has_hosted_tools(const chat_request& req, dialect upstream) {
  return upstream_lacks_hosted_tools(req, upstream) &&
         std::any_of(req.tools.begin(), req.tools.end(), server_tool);
}

std::vector<std::string> drop_hosted_tools(chat_request& req, dialect upstream) {
  std::vector<std::string> dropped;
  if (!upstream_lacks_hosted_tools(req, upstream)) return dropped;
  for (const auto& t : req.tools) {
    if (server_tool(t)) dropped.push_back(t.name.empty() ? t.kind : t.name);
  }
  if (dropped.empty()) return dropped;
  std::erase_if(req.tools, server_tool);

  auto& choice = req.tool_choice;
  const bool named_dropped =
      choice.kind == tool_choice::mode::tool &&
      std::none_of(req.tools.begin(), req.tools.end(),
                   [&](const tool_spec& t) { return t.name == choice.name; });
  const bool forced_without_tools = choice.kind == tool_choice::mode::required && req.tools.empty();
  if (named_dropped || forced_without_tools) {
    choice.kind = req.tools.empty() ? tool_choice::mode::unset : tool_choice::mode::auto_;
    choice.name.clear();
  }
  return dropped;
}

}  // namespace v0
}  // namespace harness
