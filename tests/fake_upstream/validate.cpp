// The request checks the real services make, with their error texts, so the fake rejects what
// they would reject (a proxy bug must not pass here and fail in production).
#include <set>

#include "request.h"

namespace fake {
namespace {

Failure bad(std::string message) { return Failure{400, "invalid_request", std::move(message)}; }

bool name_ok(std::string_view name, std::size_t max_len) {
  if (name.empty() || name.size() > max_len) return false;
  for (char c : name) {
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

std::optional<Failure> check_openai(const Request &r) {
  const Json &msgs = r.body["messages"];
  if (msgs.size() == 0) return bad("[] is too short - 'messages'");
  if (r.body.find("stream_options") && !r.body["stream_options"].is_null() && !r.stream)
    return bad("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
  if (r.max_tokens && *r.max_tokens < 1) {
    return bad("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got " +
               std::to_string(*r.max_tokens) + " instead.");
  }
  for (std::size_t i = 0; i < r.body["tools"].size(); ++i) {
    if (!name_ok(r.tools[i].name, 64)) {
      return bad("Invalid 'tools[" + std::to_string(i) +
                 "].function.name': string does not match pattern. Expected a string that matches "
                 "the pattern '^[a-zA-Z0-9_-]+$'.");
    }
  }
  std::set<std::string> pending;  // ids of the last assistant turn still waiting for results
  bool after_calls = false;
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const Json &m = msgs.items()[i];
    const std::string &role = m["role"].str();
    if (role == "tool") {
      if (!after_calls || !pending.erase(m["tool_call_id"].str())) {
        return bad("Invalid parameter: messages with role 'tool' must be a response to a "
                   "preceeding message with 'tool_calls'.");
      }
      continue;
    }
    if (!pending.empty()) {
      return bad("An assistant message with 'tool_calls' must be followed by tool messages "
                 "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                 "response messages: " + join({pending.begin(), pending.end()}));
    }
    after_calls = false;
    const Json &calls = m["tool_calls"];
    for (std::size_t j = 0; j < calls.size(); ++j) {
      const Json &args = calls.items()[j]["function"]["arguments"];
      if (!args.is_string()) {
        return bad("Invalid type for 'messages[" + std::to_string(i) + "].tool_calls[" +
                   std::to_string(j) + "].function.arguments': expected a string, but got " +
                   (args.is_object() ? "an object" : "a non-string value") + " instead.");
      }
      pending.insert(calls.items()[j]["id"].str());
      after_calls = true;
    }
  }
  if (!pending.empty()) {
    return bad("An assistant message with 'tool_calls' must be followed by tool messages "
               "responding to each 'tool_call_id'. The following tool_call_ids did not have "
               "response messages: " + join({pending.begin(), pending.end()}));
  }
  return std::nullopt;
}

std::optional<Failure> check_ollama(const Request &r) {
  for (const Json &m : r.body["messages"].items()) {
    const Json *content = m.find("content");
    if (content && !content->is_string() && !content->is_null()) {
      return bad(std::string("json: cannot unmarshal ") +
                 (content->is_array() ? "array" : "object") +
                 " into Go struct field Message.messages.content of type string");
    }
    for (const Json &tc : m["tool_calls"].items()) {
      const Json &args = tc["function"]["arguments"];
      if (!args.is_object()) {
        return bad(std::string("json: cannot unmarshal ") + (args.is_string() ? "string" : "value") +
                   " into Go struct field ToolCallFunction.messages.tool_calls.function.arguments "
                   "of type api.ToolCallFunctionArguments");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Failure> validate(const Request &req) {
  switch (req.dialect) {
    case Dialect::openai: return check_openai(req);
    case Dialect::anthropic: return validate_anthropic(req);
    case Dialect::ollama: return check_ollama(req);
  }
  return std::nullopt;
}

}  // namespace fake
