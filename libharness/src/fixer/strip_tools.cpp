// strip_tools and tool emulation: request-side transforms (translation.md A.1 "tool history
// present but tools absent", F.5: stripping a capability rewrites history).
#include <harness/fixer.h>

#include "json/writer.h"

namespace harness {
inline namespace v0 {
namespace {

std::string call_envelope(const tool_call_block& call) {
  std::string out;
  detail::json_writer w(out);
  const std::string& args = call.arguments.empty() ? std::string("{}") : call.arguments;
  w.start_object().member("name", call.name);
  // Arguments are the model's own JSON text; embed it raw only when it is an object-looking
  // text, else as a string (the envelope must stay valid JSON).
  if (!args.empty() && args.front() == '{' && args.back() == '}') {
    w.key("arguments").raw(args);
  } else {
    w.member("arguments", args);
  }
  w.end_object();
  return w.ok() ? out : std::string("{\"name\":\"") + call.name + "\"}";
}

std::string result_text(const tool_result_block& r, const char* lead) {
  std::string text = lead;
  text += r.name.empty() ? std::string("tool") : r.name;
  if (!r.tool_call_id.empty()) text += " (call " + r.tool_call_id + ")";
  text += r.is_error ? " failed: " : ": ";
  text += r.joined_text();
  return text;
}

// Rewrites tool calls and results as text; `as_envelope` writes calls in the emulation
// envelope so the model sees the format it is asked to use.
void flatten_history(chat_request& request, bool as_envelope) {
  for (auto& msg : request.messages) {
    if (msg.role == role::tool) {
      std::string text;
      for (const auto& block : msg.content) {
        if (const auto* r = std::get_if<tool_result_block>(&block)) {
          if (!text.empty()) text += "\n\n";
          text += result_text(*r, as_envelope ? "Tool result from " : "Result of ");
        }
      }
      msg.role = role::user;
      msg.content.clear();
      msg.content.emplace_back(text_block{std::move(text), {}});
      msg.parts_form = false;
      continue;
    }
    std::vector<content_block> kept;
    for (auto& block : msg.content) {
      if (const auto* c = std::get_if<tool_call_block>(&block)) {
        std::string text = as_envelope ? call_envelope(*c)
                                       : "Called tool " + c->name + " with arguments " +
                                             (c->arguments.empty() ? "{}" : c->arguments);
        kept.emplace_back(text_block{std::move(text), {}});
      } else if (const auto* r = std::get_if<tool_result_block>(&block)) {
        kept.emplace_back(text_block{result_text(*r, "Result of "), {}});
      } else {
        kept.push_back(std::move(block));
      }
    }
    msg.content = std::move(kept);
    msg.content_null = false;
  }
}

}  // namespace

void strip_tools(chat_request& request) {
  request.tools.clear();
  request.tool_choice = tool_choice{};
  request.parallel_tool_calls.reset();
  flatten_history(request, false);
}

std::vector<tool_spec> emulate_tools(chat_request& request, bool constrain) {
  std::vector<tool_spec> offered = std::move(request.tools);
  request.tools.clear();
  request.parallel_tool_calls.reset();
  const bool forbid = request.tool_choice.kind == tool_choice::mode::none;
  request.tool_choice = tool_choice{};
  flatten_history(request, true);
  if (offered.empty() || forbid) return {};

  std::string prompt =
      "You can use tools. To use one, reply with exactly one JSON object and nothing else:\n"
      "{\"name\": \"<tool name>\", \"arguments\": {<arguments matching the tool's parameters>}}\n"
      "When no tool is needed, reply with {\"answer\": \"<your reply>\"}.\n\nTools:\n";
  for (const auto& t : offered) {
    prompt += "- " + t.name;
    if (!t.description.empty()) prompt += ": " + t.description;
    prompt += "\n  parameters: " + (t.parameters.empty() ? std::string("{}") : t.parameters) + "\n";
  }
  message sys;
  sys.role = role::system;
  sys.content.emplace_back(text_block{std::move(prompt), {}});
  // After the client's own system messages, so its instructions come first.
  auto pos = request.messages.begin();
  while (pos != request.messages.end() &&
         (pos->role == role::system || pos->role == role::developer)) {
    ++pos;
  }
  request.messages.insert(pos, std::move(sys));

  if (constrain) {
    // Ollama's `format`: constrained decoding keeps a small model inside the envelope.
    std::string schema;
    detail::json_writer w(schema);
    w.start_object().member("type", "json_schema").key("json_schema").start_object();
    w.member("name", "tool_envelope").key("schema").start_object().member("type", "object");
    w.key("properties").start_object();
    w.key("name").start_object().member("type", "string").key("enum").start_array();
    for (const auto& t : offered) w.string(t.name);
    w.end_array().end_object();
    w.key("arguments").start_object().member("type", "object").end_object();
    w.key("answer").start_object().member("type", "string").end_object();
    w.end_object().end_object().end_object().end_object();
    if (w.ok()) request.response_format = std::move(schema);
  }
  return offered;
}

}  // namespace v0
}  // namespace harness
