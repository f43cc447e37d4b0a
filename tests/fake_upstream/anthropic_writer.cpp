// Anthropic Messages: message JSON, the SSE event sequence, error bodies and error events.
#include "wire.h"
#include "writers.h"

namespace fake::anthropic {
namespace {

const char *stop_reason(Stop stop) {
  switch (stop) {
    case Stop::tool_use: return "tool_use";
    case Stop::max_tokens: return "max_tokens";
    default: return "end_turn";
  }
}

Json usage(long long input, long long output) {
  Json u = Json::object();
  u.set("input_tokens", input)
      .set("cache_creation_input_tokens", 0)
      .set("cache_read_input_tokens", 0)
      .set("cache_creation",
           Json::object().set("ephemeral_5m_input_tokens", 0).set("ephemeral_1h_input_tokens", 0))
      .set("output_tokens", output)
      .set("service_tier", "standard");
  return u;
}

std::string signature() { return make_id("Eq", 86, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"); }

std::string event(const char *type, Json data) {
  Json d = Json::object().set("type", type);
  for (const auto &[k, v] : data.members()) d.set(k, v);
  return sse_event(type, d.dump());
}

std::string block_start(std::size_t index, Json block) {
  return event("content_block_start", Json::object().set("index", index).set("content_block", std::move(block)));
}

std::string block_delta(std::size_t index, Json delta) {
  return event("content_block_delta", Json::object().set("index", index).set("delta", std::move(delta)));
}

std::string block_stop(std::size_t index) { return event("content_block_stop", Json::object().set("index", index)); }

const char *error_type(const Failure &f) {
  if (f.kind == "not_found") return "not_found_error";
  if (f.kind == "rate_limit") return "rate_limit_error";
  if (f.kind == "server") return "api_error";
  if (f.kind == "overloaded") return "overloaded_error";
  return "invalid_request_error";
}

}  // namespace

std::string json_body(const Request &req, const Reply &r) {
  Json content = Json::array();
  if (!r.thinking.empty()) {
    content.push(Json::object()
                     .set("type", "thinking")
                     .set("thinking", req.thinking_omitted ? "" : r.thinking)
                     .set("signature", signature()));
  }
  if (!r.text.empty()) content.push(Json::object().set("type", "text").set("text", r.text));
  for (const ToolCall &c : r.calls)
    content.push(Json::object().set("type", "tool_use").set("id", c.id).set("name", c.name).set("input", c.arguments));
  Json body = Json::object();
  body.set("id", make_id("msg_01", 22))
      .set("type", "message")
      .set("role", "assistant")
      .set("model", req.model)
      .set("content", std::move(content))
      .set("stop_reason", stop_reason(r.stop))
      .set("stop_sequence", Json())
      .set("usage", usage(r.input_tokens, r.output_tokens));
  return body.dump();
}

std::vector<std::string> stream(const Request &req, const Reply &r, const StreamOptions &opt) {
  std::vector<std::string> out;
  Json message = Json::object();
  message.set("id", make_id("msg_01", 22))
      .set("type", "message")
      .set("role", "assistant")
      .set("model", req.model)
      .set("content", Json::array())
      .set("stop_reason", Json())
      .set("stop_sequence", Json())
      .set("usage", usage(r.input_tokens, 1));
  out.push_back(event("message_start", Json::object().set("message", std::move(message))));
  const std::string ping = "event: ping\ndata: {\"type\": \"ping\"}\n\n";
  std::size_t index = 0;
  auto after_first_start = [&] {
    if (index == 0) out.push_back(ping);  // the API pings once right after the first block opens
  };
  if (!r.thinking.empty()) {
    out.push_back(block_start(index, Json::object().set("type", "thinking").set("thinking", "")));
    after_first_start();
    for (const std::string &piece : fragments(req.thinking_omitted ? "" : r.thinking))
      out.push_back(block_delta(index, Json::object().set("type", "thinking_delta").set("thinking", piece)));
    out.push_back(block_delta(index, Json::object().set("type", "signature_delta").set("signature", signature())));
    out.push_back(block_stop(index++));
  }
  if (!r.text.empty()) {
    out.push_back(block_start(index, Json::object().set("type", "text").set("text", "")));
    after_first_start();
    std::vector<std::string> text = opt.whole_text ? std::vector<std::string>{r.text} : fragments(r.text);
    for (const std::string &piece : text)
      out.push_back(block_delta(index, Json::object().set("type", "text_delta").set("text", piece)));
    out.push_back(block_stop(index++));
  }
  for (std::size_t k = 0; k < r.calls.size(); ++k) {
    const ToolCall &c = r.calls[k];
    out.push_back(block_start(index, Json::object()
                                         .set("type", "tool_use")
                                         .set("id", c.id)
                                         .set("name", c.name)
                                         .set("input", Json::object())));
    after_first_start();
    out.push_back(block_delta(index, Json::object().set("type", "input_json_delta").set("partial_json", "")));
    for (const std::string &piece : fragments(arguments_text(r, k)))
      out.push_back(block_delta(index, Json::object().set("type", "input_json_delta").set("partial_json", piece)));
    out.push_back(block_stop(index++));
  }
  if (index == 0) out.push_back(ping);
  Json delta_usage = Json::object();
  delta_usage.set("input_tokens", r.input_tokens)
      .set("cache_creation_input_tokens", 0)
      .set("cache_read_input_tokens", 0)
      .set("output_tokens", r.output_tokens);
  out.push_back(event("message_delta",
                      Json::object()
                          .set("delta", Json::object().set("stop_reason", stop_reason(r.stop)).set("stop_sequence", Json()))
                          .set("usage", std::move(delta_usage))));
  out.push_back(event("message_stop", Json::object()));
  return out;
}

std::string error_body(const Failure &f) {
  Json body = Json::object();
  body.set("type", "error")
      .set("error", Json::object().set("type", error_type(f)).set("message", f.message))
      .set("request_id", make_id("req_011", 24));
  return body.dump();
}

std::string stream_error(const Failure &f) {
  return event("error", Json::object().set("error", Json::object().set("type", error_type(f)).set("message", f.message)));
}

}  // namespace fake::anthropic
