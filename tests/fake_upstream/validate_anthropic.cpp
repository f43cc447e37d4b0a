// The Anthropic Messages API's request checks (translation.md A.8), with its error texts.
#include <set>

#include "request.h"

namespace fake {
namespace {

Failure bad(std::string message) { return Failure{400, "invalid_request", std::move(message)}; }

bool id_ok(std::string_view s, std::size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string join(const std::vector<std::string> &v) {
  std::string out;
  for (const auto &x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

constexpr std::string_view kTopLevel[] = {
    "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream",
    "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier",
    "container", "mcp_servers", "context_management", "output_config", "output_format"};

std::optional<Failure> check_top_level(const Request &r) {
  for (const auto &[key, value] : r.body.members()) {
    bool known = false;
    for (std::string_view k : kTopLevel) known = known || k == key;
    if (!known) return bad(key + ": Extra inputs are not permitted");
  }
  if (!r.body.find("max_tokens")) return bad("max_tokens: Field required");
  if (r.body["messages"].size() == 0) return bad("messages: at least one message is required");
  for (std::size_t i = 0; i < r.body["tools"].size(); ++i) {
    const Json &t = r.body["tools"].items()[i];
    const std::string at = "tools." + std::to_string(i);
    if (!id_ok(t["name"].str(), 128))
      return bad(at + ".custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
    if (t.find("type") && t["type"].str() != "custom") continue;  // server tools
    const Json &schema = t["input_schema"];
    if (!schema.is_object()) return bad(at + ".custom.input_schema: Field required");
    if (schema["type"].str() != "object") return bad(at + ".custom.input_schema.type: Input should be 'object'");
    for (const char *k : {"oneOf", "anyOf", "allOf"})
      if (schema.find(k))
        return bad(at + ".custom.input_schema: input_schema does not support oneOf, allOf, or anyOf at the top level");
  }
  if (r.thinking && r.body["thinking"]["type"].str() == "enabled") {
    if (r.max_tokens && *r.max_tokens <= r.body["thinking"]["budget_tokens"].as_int())
      return bad("`max_tokens` must be greater than `thinking.budget_tokens`");
    const Json &temp = r.body["temperature"];
    if (temp.is_number() && temp.as_double() != 1.0)
      return bad("`temperature` may only be set to 1 when thinking is enabled.");
    const std::string &choice = r.body["tool_choice"]["type"].str();
    if (choice == "any" || choice == "tool")
      return bad("Thinking may not be enabled when tool_choice forces tool use.");
  }
  return std::nullopt;
}

/// Blocks with cache_control anywhere in system, tools and messages.
std::size_t cache_breakpoints(const Json &v) {
  std::size_t n = v.is_object() && v.find("cache_control") && !v["cache_control"].is_null() ? 1 : 0;
  if (v.is_object())
    for (const auto &[k, x] : v.members()) n += k == "cache_control" ? 0 : cache_breakpoints(x);
  if (v.is_array())
    for (const Json &x : v.items()) n += cache_breakpoints(x);
  return n;
}

}  // namespace

std::optional<Failure> validate_anthropic(const Request &r) {
  if (auto f = check_top_level(r)) return f;
  if (std::size_t n = cache_breakpoints(r.body); n > 4)
    return bad("A maximum of 4 blocks with cache_control may be provided. Found " + std::to_string(n) + ".");
  const Json &msgs = r.body["messages"];
  std::vector<std::string> open_ids;  // tool_use ids of the previous assistant message
  std::set<std::string> all_ids;
  bool tool_blocks = false;
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const Json &m = msgs.items()[i];
    const std::string &role = m["role"].str();
    const std::string at = "messages." + std::to_string(i);
    // Claude Code 2.1 sends system-role messages inside `messages`; the API takes them.
    if (role != "user" && role != "assistant" && role != "system")
      return bad(at + ".role: Input should be 'user', 'assistant' or 'system'");
    if (role == "system") continue;
    const Json &content = m["content"];
    bool final_assistant = i + 1 == msgs.size() && role == "assistant";
    if (!final_assistant && ((content.is_string() && content.str().empty()) ||
                             (content.is_array() && content.size() == 0))) {
      return bad(at + ": all messages must have non-empty content except for the optional final "
                      "assistant message");
    }
    std::set<std::string> answered;
    std::vector<std::string> uses;
    for (std::size_t j = 0; j < content.size(); ++j) {
      const Json &block = content.items()[j];
      const std::string &type = block["type"].str();
      const std::string bat = at + ".content." + std::to_string(j);
      if (type == "text" && block["text"].str().empty())
        return bad("messages: text content blocks must be non-empty");
      if (type == "thinking" && !block["signature"].is_string())
        return bad(bat + ".thinking.signature: Field required");
      if (type == "tool_use") {
        tool_blocks = true;
        const std::string &id = block["id"].str();
        if (!id_ok(id, 1000)) return bad(bat + ".tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'");
        if (!block["input"].is_object()) return bad(bat + ".tool_use.input: Input should be a valid dictionary");
        if (!all_ids.insert(id).second) return bad("messages: `tool_use` ids must be unique");
        uses.push_back(id);
      }
      if (type == "tool_result") {
        tool_blocks = true;
        const std::string &id = block["tool_use_id"].str();
        bool known = false;
        for (const auto &o : open_ids) known = known || o == id;
        if (!known) {
          return bad(bat + ": unexpected `tool_use_id` found in `tool_result` blocks: " + id +
                     ". Each `tool_result` block must have a corresponding `tool_use` block in "
                     "the previous message.");
        }
        answered.insert(id);
      }
    }
    std::vector<std::string> missing;
    for (const auto &id : open_ids)
      if (!answered.count(id)) missing.push_back(id);
    if (!missing.empty()) {
      return bad(at + ": `tool_use` ids were found without `tool_result` blocks immediately "
                      "after: " + join(missing) +
                 ". Each `tool_use` block must have a corresponding `tool_result` block in the "
                 "next message.");
    }
    if (final_assistant && content.is_string() && !content.str().empty() &&
        (content.str().back() == ' ' || content.str().back() == '\n'))
      return bad("final assistant content cannot end with trailing whitespace");
    open_ids = role == "assistant" ? uses : std::vector<std::string>{};
  }
  if (!open_ids.empty()) {
    return bad("messages." + std::to_string(msgs.size() - 1) +
               ": `tool_use` ids were found without `tool_result` blocks immediately after: " +
               join(open_ids) + ". Each `tool_use` block must have a corresponding `tool_result` "
               "block in the next message.");
  }
  if (tool_blocks && r.body["tools"].size() == 0)
    return bad("Requests which include `tool_use` or `tool_result` blocks must define tools.");
  // Thinking on (not adaptive): the assistant turn answered by the final tool results must open
  // with thinking.
  if (r.body["thinking"]["type"].str() == "enabled" && msgs.size() >= 2 && !r.messages.back().results.empty()) {
    std::size_t i = msgs.size() - 2;
    const Json &first = msgs.items()[i]["content"].size() ? msgs.items()[i]["content"].items()[0] : Json();
    const std::string &type = first["type"].str();
    if (type != "thinking" && type != "redacted_thinking") {
      return bad("messages." + std::to_string(i) + ".content.0.type: Expected `thinking` or "
                 "`redacted_thinking`, but found `" + (type.empty() ? "text" : type) +
                 "`. When `thinking` is enabled, a final `assistant` message must start with a "
                 "thinking block (preceeding the lastmost set of `tool_use` and `tool_result` "
                 "blocks). We recommend you include thinking blocks from previous turns. To avoid "
                 "this requirement, disable `thinking`.");
    }
  }
  return std::nullopt;
}

}  // namespace fake
