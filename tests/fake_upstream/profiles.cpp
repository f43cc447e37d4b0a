// The behaviour profiles: frontier, qwen32b-text, qwen7b, chatonly, echo.
#include <algorithm>

#include "call_quirks.h"
#include "emulation.h"
#include "model_spec.h"
#include "planner.h"
#include "reply.h"

namespace fake {
namespace {

Json names_of(const std::vector<std::string> &v) {
  Json a = Json::array();
  for (const auto &s : v) a.push(s);
  return a;
}

/// A compact JSON summary of what arrived, so tests can assert what the proxy sent upstream.
std::string echo_summary(const Request &req) {
  std::vector<std::string> roles, tools, call_ids, result_ids, result_names;
  for (const Message &m : req.messages) {
    roles.push_back(m.role);
    for (const ToolCall &c : m.calls) call_ids.push_back(c.id);
    for (const ToolResult &r : m.results) {
      result_ids.push_back(r.id);
      result_names.push_back(r.name);
    }
  }
  for (const ToolDef &t : req.tools) tools.push_back(t.name);
  static constexpr const char *kDialect[] = {"openai", "anthropic", "ollama"};
  std::string last = utf8_prefix(req.last_user_text(), 200);
  Json s = Json::object();
  s.set("dialect", kDialect[static_cast<int>(req.dialect)])
      .set("model", req.model)
      .set("messages", req.messages.size())
      .set("roles", names_of(roles))
      .set("system_chars", req.system.size())
      .set("tools", names_of(tools))
      .set("tool_call_ids", names_of(call_ids))
      .set("tool_result_ids", names_of(result_ids))
      .set("tool_result_names", names_of(result_names))
      .set("max_tokens", req.max_tokens ? Json(*req.max_tokens) : Json())
      .set("stream", req.stream)
      .set("thinking", req.thinking)
      .set("tool_choice", req.body["tool_choice"])
      .set("temperature", req.dialect == Dialect::ollama ? req.body["options"]["temperature"]
                                                        : req.body["temperature"])
      .set("num_ctx", req.body["options"]["num_ctx"])
      .set("last_user", last);
  return s.dump();
}

std::string thinking_for(const Request &req, const Reply &r) {
  std::string t = "The user wants: " + utf8_prefix(req.last_user_text(), 80) + ". ";
  if (!r.calls.empty()) return t + "I will call " + r.calls.front().name + ".";
  return t + "I will answer directly.";
}

/// Cuts text to about max_tokens tokens, at a UTF-8 boundary.
void apply_max_tokens(const Request &req, Reply &r) {
  if (!req.max_tokens || *req.max_tokens <= 0 || !r.calls.empty()) return;
  std::size_t limit = static_cast<std::size_t>(*req.max_tokens) * 4;
  if (r.text.size() <= limit) return;
  r.text = utf8_prefix(r.text, limit);
  r.stop = Stop::max_tokens;
}

/// qwen7b's habits from Claude Code transcripts: `file_path` / `old_string` / `new_string`
/// whatever the offered schema calls them, and long contents JSON-escaped twice.
Turn qwen7b_habits(Turn t) {
  for (ToolCall &c : t.calls) {
    if (!c.arguments.is_object()) continue;
    Json out = Json::object();
    for (const auto &[key, value] : c.arguments.members()) {
      std::string k = key;
      if (key == "filePath" || key == "path") k = "file_path";
      else if (key == "oldString") k = "old_string";
      else if (key == "newString") k = "new_string";
      else if (key == "replaceAll") k = "replace_all";
      Json v = value;
      if (value.is_string() && std::count(value.str().begin(), value.str().end(), '\n') >= 50) {
        std::string twice;
        for (char ch : value.str()) {
          if (ch == '\\' || ch == '"') twice.push_back('\\');
          twice.push_back(ch);
        }
        v = Json(twice);
      }
      out.set(k, v);
    }
    c.arguments = out;
  }
  return t;
}

Reply from_turn(Turn t) {
  Reply r;
  r.text = std::move(t.text);
  r.calls = std::move(t.calls);
  r.stop = r.calls.empty() ? Stop::end : Stop::tool_use;
  return r;
}

}  // namespace

long long estimate_tokens(std::size_t chars) {
  return std::max<long long>(1, static_cast<long long>(chars / 4));
}

std::variant<Reply, Failure> answer(const Request &req) {
  ModelSpec spec = parse_model(req.model);
  Reply r;
  if (req.dialect == Dialect::ollama && req.messages.empty()) {
    r.stop = Stop::load;  // an empty chat loads the model
    r.input_tokens = r.output_tokens = 0;
    return r;
  }
  switch (spec.profile) {
    case Profile::frontier:
      r = from_turn(apply_tool_choice(req, plan_turn(req, callable_tools(req), {})));
      break;
    case Profile::qwen7b:
      r = from_turn(qwen7b_habits(apply_tool_choice(
          req, plan_turn(req, callable_tools(req), {.sloppy_edit = true, .repeat_failed_call = true}))));
      break;
    case Profile::qwen7b_ws:
      r = from_turn(apply_tool_choice(req, plan_turn(req, callable_tools(req), {.reindent_edit = true})));
      break;
    case Profile::qwen32b_text: {
      Turn t = plan_turn(req, callable_tools(req), {});
      for (const ToolCall &c : t.calls) t.text += (t.text.empty() ? "" : "\n") + envelope_text(c);
      t.calls.clear();
      r = from_turn(std::move(t));
      break;
    }
    case Profile::chatonly: {
      if (!req.tools.empty()) {
        return Failure{400, "invalid_request",
                       "registry.ollama.ai/library/llama3.2:latest does not support tools"};
      }
      if (req.dialect == Dialect::ollama && req.thinking)
        return Failure{400, "invalid_request", "\"" + req.model + "\" does not support thinking"};
      auto tools = emulated_tools(req);
      if (tools && !has_emulated_call(req)) {
        Turn t = plan_turn(req, *tools, {});
        if (!t.calls.empty()) t.text = envelope_text(t.calls.front());
        t.calls.clear();
        r = from_turn(std::move(t));
      } else {
        r.text = tools ? "Done." : plain_answer(req);
      }
      break;
    }
    case Profile::echo: r.text = echo_summary(req); break;
  }
  if (req.thinking && spec.profile != Profile::chatonly && spec.profile != Profile::echo)
    r.thinking = thinking_for(req, r);
  if (spec.profile != Profile::echo) apply_max_tokens(req, r);
  apply_call_quirks(req, r);
  std::size_t out_chars = r.text.size() + r.thinking.size();
  for (const ToolCall &c : r.calls) out_chars += c.name.size() + c.arguments.dump().size();
  r.input_tokens = estimate_tokens(req.body_chars);
  r.output_tokens = estimate_tokens(out_chars);
  return r;
}

}  // namespace fake
