// OpenAI Responses SSE (`response.*` events) -> canonical events.
//
// Output items map to blocks: message text and refusals -> text, reasoning summaries ->
// reasoning (encrypted_content as the signature), function_call -> a tool call, and a
// custom_tool_call -> a tool call whose arguments are {"input": text} (the canonical form of
// a freeform call). The terminal response.* event carries the usage and the status.
#include <string>

#include "codec/responses/internal.h"
#include "framing/sse.h"
#include "json/reader.h"
#include "stream/decoder_base.h"
#include "stream/encoders.h"

namespace harness::detail {
namespace {

std::string_view str(json_object obj, const char* key) {
  std::string_view v;
  if (obj[key].get_string().get(v) != simdjson::SUCCESS) return {};
  return v;
}

class responses_decoder final : public decoder_base {
 private:
  void consume(std::string_view bytes) override {
    if (done_) return;
    const bool ok = reader_.feed(bytes, [&](const sse_event& ev) { on_event(ev); });
    if (!ok) blocks_.fail(errc::upstream_http, "upstream stream event too large");
  }

  void end() override {
    if (!done_) reader_.finish([&](const sse_event& ev) { on_event(ev); });
    if (blocks_.failed() || blocks_.stopped()) return;
    blocks_.fail(errc::upstream_transport, "upstream ended the stream early");
  }

  void on_event(const sse_event& ev) {
    if (done_ || blocks_.failed()) return;
    json_element root;
    json_object obj;
    if (parser_.parse(ev.data.data(), ev.data.size(), true).get(root) != simdjson::SUCCESS ||
        root.get_object().get(obj) != simdjson::SUCCESS) {
      blocks_.fail(errc::upstream_http, "upstream sent a stream event that is not a JSON object");
      done_ = true;
      return;
    }
    const std::string_view type = str(obj, "type");
    if (type == "response.created" || type == "response.in_progress") {
      json_object resp;
      if (obj["response"].get_object().get(resp) == simdjson::SUCCESS) {
        blocks_.start(str(resp, "id"), str(resp, "model"), usage{});
      }
    } else if (type == "response.output_item.added") {
      on_item(obj, false);
    } else if (type == "response.output_item.done") {
      on_item(obj, true);
    } else if (type == "response.output_text.delta" || type == "response.refusal.delta") {
      text(block_type::text, str(obj, "delta"));
    } else if (type == "response.reasoning_summary_text.delta" ||
               type == "response.reasoning_text.delta") {
      text(block_type::reasoning, str(obj, "delta"));
    } else if (type == "response.reasoning_summary_part.added" && summary_parts_++ > 0) {
      text(block_type::reasoning, "\n\n");  // parts are joined as the codec joins them
    } else if (type == "response.function_call_arguments.delta") {
      if (blocks_.open() && blocks_.open_type() == block_type::tool_call && !custom_) {
        args_seen_ = true;
        blocks_.delta(str(obj, "delta"));
      }
    } else if (type == "response.custom_tool_call_input.delta") {
      custom_input_ += str(obj, "delta");
    } else if (type == "response.completed" || type == "response.incomplete" ||
               type == "response.failed") {
      on_terminal(obj, type);
    } else if (type == "error") {
      const std::string_view message = str(obj, "message");
      blocks_.fail(errc::upstream_http, message.empty() ? std::string("upstream reported an error")
                                                        : std::string(message));
      done_ = true;
    }
  }

  void text(block_type type, std::string_view delta) {
    if (delta.empty()) return;
    blocks_.ensure(type);
    blocks_.delta(delta);
  }

  void on_item(json_object obj, bool done) {
    json_object item;
    if (obj["item"].get_object().get(item) != simdjson::SUCCESS) return;
    const std::string_view type = str(item, "type");
    if (!done) {
      summary_parts_ = 0;
      if (type == "function_call" || type == "custom_tool_call") {
        blocks_.open_tool(str(item, "call_id"), str(item, "name"));
        custom_ = type == "custom_tool_call";
        args_seen_ = false;
        custom_input_.clear();
      }
      return;
    }
    if (type == "function_call" && !args_seen_) {
      blocks_.delta(str(item, "arguments"));  // a server that sent the arguments only here
    } else if (type == "custom_tool_call") {
      if (custom_input_.empty()) custom_input_ = str(item, "input");
      blocks_.delta(responses::freeform_arguments(custom_input_));
    } else if (type == "reasoning") {
      const std::string_view encrypted = str(item, "encrypted_content");
      if (!encrypted.empty()) {
        blocks_.ensure(block_type::reasoning);
        blocks_.signature(encrypted);
      }
    }
    if (blocks_.open()) blocks_.close();
    custom_ = false;
  }

  void on_terminal(json_object obj, std::string_view type) {
    done_ = true;
    json_object resp;
    if (obj["response"].get_object().get(resp) != simdjson::SUCCESS) {
      blocks_.fail(errc::upstream_http, "upstream sent a terminal event without its response");
      return;
    }
    if (type == "response.failed") {
      std::string_view message;
      if (json_object e; resp["error"].get_object().get(e) == simdjson::SUCCESS) {
        message = str(e, "message");
      }
      blocks_.fail(errc::upstream_http, message.empty() ? std::string("upstream response failed")
                                                        : std::string(message));
      return;
    }
    blocks_.start(str(resp, "id"), str(resp, "model"), usage{});
    if (type == "response.incomplete") {
      std::string_view reason;
      if (json_object d; resp["incomplete_details"].get_object().get(d) == simdjson::SUCCESS) {
        reason = str(d, "reason");
      }
      blocks_.close();
      blocks_.finish(reason == "content_filter" ? finish_reason::content_filter
                                                : finish_reason::length);
    }
    if (json_object u; resp["usage"].get_object().get(u) == simdjson::SUCCESS) {
      usage out;
      out.present = true;
      std::int64_t input = 0, cached = 0;
      get_optional(u["input_tokens"].get_int64(), input);
      get_optional(u["output_tokens"].get_int64(), out.output_tokens);
      if (json_object d; u["input_tokens_details"].get_object().get(d) == simdjson::SUCCESS) {
        get_optional(d["cached_tokens"].get_int64(), cached);
      }
      if (json_object d; u["output_tokens_details"].get_object().get(d) == simdjson::SUCCESS) {
        get_optional(d["reasoning_tokens"].get_int64(), out.reasoning_tokens);
      }
      out.cache_read_tokens = cached;
      out.input_tokens = input - cached;
      if (!blocks_.finished()) {
        blocks_.close();
        blocks_.finish(blocks_.saw_tool_call() ? finish_reason::tool_calls : finish_reason::stop);
      }
      blocks_.usage_event(out);
    }
    blocks_.stop();
  }

  sse_reader reader_;
  simdjson::dom::parser parser_;
  bool done_ = false;
  bool custom_ = false;
  bool args_seen_ = false;
  int summary_parts_ = 0;
  std::string custom_input_;
};

}  // namespace

std::unique_ptr<stream_decoder> make_responses_stream_decoder() {
  return std::make_unique<responses_decoder>();
}

}  // namespace harness::detail
