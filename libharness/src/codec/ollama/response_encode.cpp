// response_encode.cpp: canonical chat_response -> a non-streaming Ollama /api/chat response
// (translation.md B.4 in reverse).
#include "codec/ollama/internal.h"
#include "codec/ollama/ollama.h"

namespace harness::detail::ollama {
namespace {

const std::vector<std::string_view> response_keys = {
    "model", "created_at", "message", "done", "done_reason", "prompt_eval_count", "eval_count"};

std::size_t estimate_size(const chat_response& resp) {
  std::size_t n = 384 + resp.model.size();
  for (const auto& block : resp.message.content) {
    n += 32;
    if (const auto* t = std::get_if<text_block>(&block)) n += t->text.size() + t->text.size() / 8;
    if (const auto* r = std::get_if<reasoning_block>(&block)) n += r->text.size();
    if (const auto* c = std::get_if<tool_call_block>(&block)) n += c->arguments.size() + 64;
    if (const auto* img = std::get_if<image_block>(&block)) n += img->data.size();
  }
  return n;
}

}  // namespace

result<std::string> encode_response(const chat_response& resp) {
  simdjson::dom::parser parser;  // scratch for tool-call arguments
  const bool own = resp.origin == dialect::ollama;
  std::string out;
  out.reserve(estimate_size(resp));
  json_writer w(out);
  const json_path root;
  w.start_object().member("model", resp.model);
  w.member("created_at", format_rfc3339(resp.created));
  w.key("message").start_object().member("role", "assistant");
  auto ok = write_message_parts(w, resp.message, parser, root / "message");
  if (!ok) return std::move(ok).error_value();
  if (own) {
    const auto written = written_keys(resp.message);
    for (const auto& [key, raw] : resp.message.extra.items) {
      if (!is_one_of(key, written)) w.key(key).raw(raw);
    }
  }
  w.end_object();
  // "stop" also for tool calls: native Ollama never says tool_calls (translation.md B.4).
  w.member("done_reason", finish_reason_name(resp.finish));
  w.member_bool("done", true);
  if (resp.usage.present) {
    w.member_int("prompt_eval_count", resp.usage.prompt_tokens());
    w.member_int("eval_count", resp.usage.output_tokens);
  }
  if (own) {
    for (const auto& [key, raw] : resp.extra.items) {
      if (!is_one_of(key, response_keys)) w.key(key).raw(raw);
    }
  }
  w.end_object();
  if (!w.ok()) return unwritable("the response");
  return out;
}

}  // namespace harness::detail::ollama
