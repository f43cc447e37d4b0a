// OpenAI Chat Completions: chat.completion JSON, chat.completion.chunk SSE, error bodies.
#include "wire.h"
#include "writers.h"

namespace fake::openai {
namespace {

constexpr const char *kFingerprint = "fp_fake0001";

const char *finish_reason(Stop stop) {
  switch (stop) {
    case Stop::tool_use: return "tool_calls";
    case Stop::max_tokens: return "length";
    default: return "stop";
  }
}

Json usage(const Reply &r) {
  Json u = Json::object();
  u.set("prompt_tokens", r.input_tokens)
      .set("completion_tokens", r.output_tokens)
      .set("total_tokens", r.input_tokens + r.output_tokens)
      .set("prompt_tokens_details", Json::object().set("cached_tokens", 0).set("audio_tokens", 0))
      .set("completion_tokens_details",
           Json::object()
               .set("reasoning_tokens", r.thinking.empty() ? 0 : static_cast<long long>(r.thinking.size() / 4 + 1))
               .set("audio_tokens", 0)
               .set("accepted_prediction_tokens", 0)
               .set("rejected_prediction_tokens", 0));
  return u;
}

/// Everything a chunk or completion starts with.
struct Envelope {
  std::string id = make_id("chatcmpl-", 29);
  long long created = unix_now();
};

Json chunk(const Request &req, const Envelope &env, Json choices) {
  Json c = Json::object();
  c.set("id", env.id)
      .set("object", "chat.completion.chunk")
      .set("created", env.created)
      .set("model", req.model)
      .set("service_tier", "default")
      .set("system_fingerprint", kFingerprint)
      .set("choices", std::move(choices));
  if (req.include_usage) c.set("usage", Json());
  return c;
}

std::string delta_event(const Request &req, const Envelope &env, Json delta, Json finish = Json()) {
  Json choice = Json::object();
  choice.set("index", 0).set("delta", std::move(delta)).set("logprobs", Json()).set("finish_reason", std::move(finish));
  return sse_data(chunk(req, env, Json::array().push(std::move(choice))).dump());
}

const char *error_type(const Failure &f) {
  if (f.kind == "rate_limit") return "requests";
  if (f.kind == "server" || f.kind == "overloaded") return "server_error";
  return "invalid_request_error";
}

Json error_object(const Failure &f) {
  Json code;
  if (f.kind == "rate_limit") code = "rate_limit_exceeded";
  if (f.kind == "not_found") code = "model_not_found";
  Json e = Json::object();
  e.set("message", f.message).set("type", error_type(f)).set("param", Json()).set("code", code);
  return Json::object().set("error", std::move(e));
}

}  // namespace

std::string json_body(const Request &req, const Reply &r) {
  Envelope env;
  Json msg = Json::object();
  msg.set("role", "assistant")
      .set("content", r.text.empty() && !r.calls.empty() ? Json() : Json(r.text));
  if (!r.thinking.empty()) msg.set("reasoning_content", r.thinking);
  if (!r.calls.empty()) {
    Json calls = Json::array();
    for (std::size_t k = 0; k < r.calls.size(); ++k) {
      const ToolCall &c = r.calls[k];
      calls.push(Json::object()
                     .set("id", c.id)
                     .set("type", "function")
                     .set("function", Json::object().set("name", c.name).set("arguments", arguments_text(r, k))));
    }
    msg.set("tool_calls", std::move(calls));
  }
  msg.set("refusal", Json()).set("annotations", Json::array());
  Json choice = Json::object();
  choice.set("index", 0).set("message", std::move(msg)).set("logprobs", Json()).set("finish_reason", finish_reason(r.stop));
  Json body = Json::object();
  body.set("id", env.id)
      .set("object", "chat.completion")
      .set("created", env.created)
      .set("model", req.model)
      .set("choices", Json::array().push(std::move(choice)))
      .set("usage", usage(r))
      .set("service_tier", "default")
      .set("system_fingerprint", kFingerprint);
  return body.dump();
}

std::vector<std::string> stream(const Request &req, const Reply &r, const StreamOptions &opt) {
  Envelope env;
  std::vector<std::string> out;
  out.push_back(delta_event(req, env, Json::object().set("role", "assistant").set("content", "").set("refusal", Json())));
  for (const std::string &piece : fragments(r.thinking))
    out.push_back(delta_event(req, env, Json::object().set("reasoning_content", piece)));
  std::vector<std::string> text = opt.whole_text ? std::vector<std::string>{r.text} : fragments(r.text);
  for (const std::string &piece : text)
    if (!piece.empty()) out.push_back(delta_event(req, env, Json::object().set("content", piece)));
  for (std::size_t k = 0; k < r.calls.size(); ++k) {
    const ToolCall &c = r.calls[k];
    Json head = Json::object();
    head.set("index", k)
        .set("id", c.id)
        .set("type", "function")
        .set("function", Json::object().set("name", c.name).set("arguments", ""));
    out.push_back(delta_event(req, env, Json::object().set("tool_calls", Json::array().push(std::move(head)))));
    for (const std::string &piece : fragments(arguments_text(r, k))) {
      Json frag = Json::object();
      frag.set("index", k).set("function", Json::object().set("arguments", piece));
      out.push_back(delta_event(req, env, Json::object().set("tool_calls", Json::array().push(std::move(frag)))));
    }
  }
  out.push_back(delta_event(req, env, Json::object(), finish_reason(r.stop)));
  if (req.include_usage) {
    Json last = chunk(req, env, Json::array());
    last.set("usage", usage(r));
    out.push_back(sse_data(last.dump()));
  }
  out.push_back("data: [DONE]\n\n");
  return out;
}

std::string error_body(const Failure &f) { return error_object(f).dump(); }

std::string stream_error(const Failure &f) { return sse_data(error_object(f).dump()); }

}  // namespace fake::openai
