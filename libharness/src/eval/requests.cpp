#include "eval/requests.h"

#include <harness/codec.h>
#include <harness/request.h>

#include "json/writer.h"

namespace harness::eval_internal {
message text_message(role r, std::string text) {
  message m;
  m.role = r;
  m.content.push_back(text_block{std::move(text), {}});
  return m;
}

chat_request base_request(const eval::client_profile& p, const std::string& model, const char* prompt) {
  chat_request req;
  req.model = model;
  req.tools = p.tools;
  req.sampling.temperature = 0.0;
  req.messages.push_back(text_message(role::system, kSystemPrompt));
  if (prompt) req.messages.push_back(text_message(role::user, prompt));
  return req;
}

message tool_result_message(const std::string& id, const std::string& name, std::string text) {
  message m;
  m.role = role::tool;
  tool_result_block r;
  r.tool_call_id = id;
  r.name = name;
  r.content.push_back(text_block{std::move(text), {}});
  m.content.push_back(std::move(r));
  return m;
}

message assistant_calls(const std::vector<observed_call>& calls, std::string text) {
  message m;
  m.role = role::assistant;
  if (!text.empty()) m.content.push_back(text_block{std::move(text), {}});
  m.content_null = m.content.empty();
  for (const observed_call& c : calls) m.content.push_back(tool_call_block{c.id, c.name, c.arguments, {}});
  return m;
}

std::string encode_chat(const chat_request& req) {
  auto body = encode_request(dialect::openai, req);
  return body ? *body : std::string();
}

namespace {

chat_request base(const eval::client_profile& p, const std::string& model, const char* prompt) {
  return base_request(p, model, prompt);
}

message tool_result(const std::string& id, const std::string& name, std::string text) {
  return tool_result_message(id, name, std::move(text));
}

std::string encode(const chat_request& req) { return encode_chat(req); }

// What the client answers after running a call (short, as the clients' success messages are).
std::string result_text(const eval::client_profile& p, const observed_call& c) {
  if (c.name == p.write_tool) return "File successfully written: hello.py";
  if (c.name == p.patch_tool) return "Success. Updated the following files:\nA hello.py";
  if (c.name == p.shell_tool) return "Exit code: 0\nOutput:\n";
  return "ok";
}

std::string json_string(std::string_view s) { return detail::quote_json(s); }

}  // namespace

std::string first_turn(const eval::client_profile& p, const std::string& model, const char* prompt,
                       bool stream) {
  chat_request req = base(p, model, prompt);
  req.stream = stream;
  req.include_usage = stream;
  return encode(req);
}

std::string t3_continuation(const eval::client_profile& p, const std::string& model,
                            const std::vector<observed_call>& t1_calls) {
  chat_request req = base(p, model, kT1Prompt);
  message assistant;
  assistant.role = role::assistant;
  assistant.content_null = true;
  for (const observed_call& c : t1_calls)
    assistant.content.push_back(tool_call_block{c.id, c.name, c.arguments, {}});
  req.messages.push_back(std::move(assistant));
  for (const observed_call& c : t1_calls)
    req.messages.push_back(tool_result(c.id, c.name, result_text(p, c)));
  return encode(req);
}

std::string t4_after_read(const eval::client_profile& p, const std::string& model) {
  chat_request req = base(p, model, kT4Prompt);
  message assistant;
  assistant.role = role::assistant;
  assistant.content_null = true;
  const std::string id = "call_read_calc";
  std::string name, args;
  if (!p.read_tool.empty()) {
    name = p.read_tool;
    args = "{" + json_string(p.read_path) + ":" + json_string(kT4Path) + "}";
  } else {
    name = p.shell_tool;
    const std::string cmd = "cat " + std::string(kT4Path);
    args = "{" + json_string(p.shell_command) + ":" +
           (p.shell_argv ? "[\"bash\",\"-lc\"," + json_string(cmd) + "]" : json_string(cmd)) + "}";
  }
  assistant.content.push_back(tool_call_block{id, name, args, {}});
  req.messages.push_back(std::move(assistant));
  req.messages.push_back(
      tool_result(id, name, eval::format_read_output(p, kT4Path, eval::t4_fixture())));
  return encode(req);
}

}  // namespace harness::eval_internal
