// response_encode.cpp: canonical chat_response -> Anthropic Messages response body
// (translation.md A.4: what Claude Code and the Anthropic SDKs parse).
#include <algorithm>

#include "json/parse_context.h"
#include "codec/anthropic/anthropic.h"
#include "codec/anthropic/internal.h"
#include "ir/arguments.h"
#include "ir/ids.h"

namespace harness::detail::anthropic {
namespace {

// thinking -> text -> tool_use (A.4). A response that came from Anthropic keeps its own order
// (interleaved thinking between tool calls is meaningful there).
int block_rank(const content_block& b) {
  if (std::holds_alternative<reasoning_block>(b)) return 0;
  if (std::holds_alternative<text_block>(b)) return 1;
  if (std::holds_alternative<tool_call_block>(b)) return 2;
  return 3;  // images / tool results: not part of an Anthropic response, skipped
}

}  // namespace

result<std::string> encode_response(const chat_response& resp) {
  parse_context pc;  // one-shot scratch
  return encode_response(resp, pc);
}

result<std::string> encode_response(const chat_response& resp, parse_context& pc) {
  const bool native = resp.origin == dialect::anthropic;
  const auto& content = resp.message.content;
  std::vector<std::size_t> order;
  order.reserve(content.size());
  std::size_t bytes = 512;
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (block_rank(content[i]) == 3) continue;
    if (const auto* t = std::get_if<text_block>(&content[i])) {
      if (t->text.empty()) continue;  // no empty text blocks
      bytes += t->text.size() + t->text.size() / 8;
    }
    if (const auto* c = std::get_if<tool_call_block>(&content[i])) bytes += c->arguments.size();
    if (const auto* r = std::get_if<reasoning_block>(&content[i]))
      bytes += r->text.size() + r->signature.size();
    order.push_back(i);
  }
  if (!native) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return block_rank(content[a]) < block_rank(content[b]);
    });
  }

  std::string out;
  out.reserve(bytes);
  json_writer w(out);
  simdjson::dom::parser& scratch = pc.parser;
  const std::string id =
      resp.id.empty() ? synthesize_call_id(resp.model + resp.message.joined_text(), 0, "msg_")
                      : resp.id;
  w.start_object().member("id", id).member("type", "message").member("role", "assistant");
  w.member("model", resp.model);
  w.key("content").start_array();
  bool has_calls = false;
  std::size_t call_index = 0;
  for (std::size_t i : order) {
    const content_block& b = content[i];
    if (const auto* t = std::get_if<text_block>(&b)) {
      w.start_object().member("type", "text").member("text", t->text).end_object();
    } else if (const auto* r = std::get_if<reasoning_block>(&b)) {
      write_reasoning(w, *r);
    } else if (const auto* call = std::get_if<tool_call_block>(&b)) {
      const json_path root;
      const json_path mp = root / "message";
      const json_path cp = mp / "content";
      const json_path bp = cp[i];
      const std::string call_id = call->id.empty() ? synthesize_call_id(id, call_index++, "toolu_")
                                                   : sanitize_call_id(call->id);
      w.start_object().member("type", "tool_use").member("id", call_id);
      w.member("name", call->name).key("input");
      auto input = write_arguments_object(w, scratch, call->arguments, bp / "arguments");
      if (!input) return std::move(input).error_value();
      w.end_object();
      has_calls = true;
    }
  }
  w.end_array();
  // Tool calls present => tool_use, whatever the upstream said (A.4, F.8).
  const finish_reason finish = has_calls ? finish_reason::tool_calls : resp.finish;
  w.member("stop_reason", finish_reason_name(finish));
  w.key("stop_sequence");
  if (finish == finish_reason::stop_sequence && !resp.stop_sequence.empty()) {
    w.string(resp.stop_sequence);
  } else {
    w.null();
  }
  // Always the four fields: Claude Code's context gauge adds them up (A.4).
  std::string usage;
  {
    json_writer uw(usage);
    uw.start_object();
    uw.member_int("input_tokens", resp.usage.input_tokens);
    uw.member_int("output_tokens", resp.usage.output_tokens);
    uw.member_int("cache_creation_input_tokens", resp.usage.cache_write_tokens);
    uw.member_int("cache_read_input_tokens", resp.usage.cache_read_tokens);
    uw.end_object();
  }
  const std::string* usage_rest = native ? resp.extra.find("usage") : nullptr;
  w.member_raw("usage", merge_object(std::move(usage), usage_rest));
  if (native) {
    for (const auto& [key, raw] : resp.extra.items) {
      if (key == "id" || key == "type" || key == "role" || key == "model" || key == "content" ||
          key == "stop_reason" || key == "stop_sequence" || key == "usage") {
        continue;
      }
      w.member_raw(key, raw);
    }
  }
  w.end_object();
  if (!w.ok()) return make_error(errc::unsupported, "response holds text that is not valid UTF-8");
  return out;
}

}  // namespace harness::detail::anthropic
