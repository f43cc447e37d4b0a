// Ollama /api/chat: one JSON object, or NDJSON lines ending with a done:true line; {"error":...}.
#include "wire.h"
#include "writers.h"

namespace fake::ollama {
namespace {

const char *done_reason(Stop stop) {
  switch (stop) {
    case Stop::max_tokens: return "length";
    case Stop::load: return "load";
    default: return "stop";  // Ollama says "stop" even after tool calls
  }
}

Json tool_call(const ToolCall &c, std::size_t index) {
  Json f = Json::object();
  f.set("index", index).set("name", c.name).set("arguments", c.arguments);
  return Json::object().set("id", c.id).set("function", std::move(f));
}

Json line(const Request &req, Json message, bool done) {
  Json l = Json::object();
  l.set("model", req.model).set("created_at", rfc3339_now()).set("message", std::move(message));
  if (!done) l.set("done", false);
  return l;
}

/// done_reason, done:true and the timing/eval counters of a final line.
void finish(Json &l, const Reply &r) {
  l.set("done_reason", done_reason(r.stop)).set("done", true);
  if (r.stop == Stop::load) return;
  long long prompt_ns = r.input_tokens * 150000;
  long long eval_ns = r.output_tokens * 12000000;
  long long load_ns = 2154458;
  l.set("total_duration", prompt_ns + eval_ns + load_ns + 350000)
      .set("load_duration", load_ns)
      .set("prompt_eval_count", r.input_tokens)
      .set("prompt_eval_duration", prompt_ns)
      .set("eval_count", r.output_tokens)
      .set("eval_duration", eval_ns);
}

Json assistant(std::string content) {
  return Json::object().set("role", "assistant").set("content", std::move(content));
}

}  // namespace

std::string json_body(const Request &req, const Reply &r) {
  Json msg = assistant(r.text);
  if (!r.thinking.empty()) msg.set("thinking", r.thinking);
  if (!r.calls.empty()) {
    Json calls = Json::array();
    for (std::size_t k = 0; k < r.calls.size(); ++k) calls.push(tool_call(r.calls[k], k));
    msg.set("tool_calls", std::move(calls));
  }
  Json body = line(req, std::move(msg), true);
  finish(body, r);
  return body.dump();
}

std::vector<std::string> stream(const Request &req, const Reply &r, const StreamOptions &opt) {
  std::vector<std::string> out;
  for (const std::string &piece : fragments(r.thinking))
    out.push_back(line(req, assistant("").set("thinking", piece), false).dump() + "\n");
  std::vector<std::string> text = opt.whole_text ? std::vector<std::string>{r.text} : fragments(r.text);
  for (const std::string &piece : text)
    out.push_back(line(req, assistant(piece), false).dump() + "\n");
  // Ollama buffers tool-call tokens until the call parses, then sends each call whole.
  for (std::size_t k = 0; k < r.calls.size(); ++k) {
    Json msg = assistant("");
    msg.set("tool_calls", Json::array().push(tool_call(r.calls[k], k)));
    out.push_back(line(req, std::move(msg), false).dump() + "\n");
  }
  Json last = line(req, assistant(""), true);
  finish(last, r);
  out.push_back(last.dump() + "\n");
  return out;
}

std::string error_body(const Failure &f) { return Json::object().set("error", f.message).dump(); }

std::string stream_error(const Failure &f) { return error_body(f) + "\n"; }

}  // namespace fake::ollama
