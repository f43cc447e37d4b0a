// response_encode.cpp: chat_response (any origin) -> a `chat.completion` body.
#include <string>

#include "codec/openai/internal.h"
#include "codec/openai/openai.h"
#include "ir/ids.h"

namespace harness::detail::openai {
namespace {

// usage: prompt_tokens = input + cache reads + cache writes; cached_tokens = cache reads
// (translation.md A.3). Cache writes also go out as LiteLLM's extension field.
void write_usage(json_writer& w, const usage& u) {
  const std::int64_t prompt = u.prompt_tokens();
  w.key("usage").start_object();
  w.member_int("prompt_tokens", prompt).member_int("completion_tokens", u.output_tokens);
  w.member_int("total_tokens", prompt + u.output_tokens);
  if (u.cache_read_tokens > 0) {
    w.key("prompt_tokens_details").start_object();
    w.member_int("cached_tokens", u.cache_read_tokens).end_object();
  }
  if (u.reasoning_tokens > 0) {
    w.key("completion_tokens_details").start_object();
    w.member_int("reasoning_tokens", u.reasoning_tokens).end_object();
  }
  if (u.cache_write_tokens > 0) w.member_int("cache_creation_input_tokens", u.cache_write_tokens);
  w.end_object();
}

bool is_one_of(std::string_view key, std::initializer_list<std::string_view> keys) noexcept {
  for (auto k : keys) {
    if (k == key) return true;
  }
  return false;
}

}  // namespace

result<std::string> encode_response(const chat_response& resp) {
  const bool same = resp.origin == dialect::openai;
  const message& m = resp.message;
  const auto calls = m.tool_calls();
  const std::string text = m.joined_text();
  std::string out;
  out.reserve(512 + resp.id.size() + resp.model.size() + estimated_size(m));
  json_writer w(out);

  w.start_object();
  if (!resp.id.empty()) {
    w.member("id", resp.id);
  } else {
    w.member("id", synthesize_call_id(resp.model + '\n' + text, 0, "chatcmpl-"));
  }
  w.member("object", "chat.completion").member_int("created", resp.created);
  w.member("model", resp.model);
  w.key("choices").start_array().start_object().member_int("index", 0);

  w.key("message").start_object().member("role", "assistant").key("content");
  // No text beside tool calls is null, never "" (codec-common; translation.md B.8).
  if (text.empty() && (!calls.empty() || m.content_null)) {
    w.null();
  } else {
    w.string(text);
  }
  bool any_reasoning = false;
  const std::string reasoning = joined_reasoning(m, any_reasoning);
  if (any_reasoning) w.member("reasoning_content", reasoning);
  if (!calls.empty()) write_tool_calls(w, calls);
  if (same) {  // refusal, annotations, audio, ...
    for (const auto& [key, raw] : m.extra.items) {
      if (is_one_of(key, {"role", "content", "reasoning_content", "tool_calls"})) continue;
      w.member_raw(key, raw);
    }
  }
  w.end_object();

  w.key("logprobs").null();
  w.key("finish_reason");
  if (!calls.empty()) {
    w.string("tool_calls");  // whatever the upstream said (translation.md A.4a, F.8)
  } else if (resp.finish == finish_reason::none && same) {
    w.null();  // as the OpenAI upstream said; another dialect's unknown / null is "stop" (A.3)
  } else {
    w.string(finish_reason_name(resp.finish));
  }
  w.end_object().end_array();

  if (resp.usage.present) write_usage(w, resp.usage);
  if (same) {  // system_fingerprint, service_tier, ...
    for (const auto& [key, raw] : resp.extra.items) {
      if (is_one_of(key, {"id", "object", "created", "model", "choices", "usage"})) continue;
      w.member_raw(key, raw);
    }
  }
  w.end_object();
  if (!w.ok()) {
    return make_error(errc::unsupported, "the response holds text that is not valid UTF-8");
  }
  return out;
}

}  // namespace harness::detail::openai
