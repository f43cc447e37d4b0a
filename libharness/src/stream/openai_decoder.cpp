// OpenAI `chat.completion.chunk` SSE -> canonical events (translation.md A.4a, B.8).
#include <unordered_map>

#include "codec/openai/openai.h"
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

class openai_decoder final : public decoder_base {
 private:
  void consume(std::string_view bytes) override {
    if (done_) return;
    const bool ok = reader_.feed(bytes, [&](const sse_event& ev) { on_event(ev); });
    if (!ok) blocks_.fail(errc::upstream_http, "upstream stream event too large");
  }

  void end() override {
    finishing_ = true;  // a cut final event means the upstream stopped mid-way
    if (!done_) reader_.finish([&](const sse_event& ev) { on_event(ev); });
    if (blocks_.failed() || blocks_.stopped()) return;
    // Some OpenAI-compatible servers omit [DONE]: a stream that said why it finished is whole.
    if (blocks_.finished()) {
      blocks_.stop();
    } else {
      blocks_.fail(errc::upstream_transport, "upstream ended the stream early");
    }
  }

  void on_event(const sse_event& ev) {
    if (done_ || blocks_.failed()) return;
    const std::string_view data = ev.data;
    if (data == "[DONE]") {
      done_ = true;
      if (!blocks_.finished() && !blocks_.started()) {
        blocks_.stop();  // an empty but complete stream
        return;
      }
      blocks_.stop();
      return;
    }
    json_element root;
    if (parser_.parse(data.data(), data.size(), true).get(root) != simdjson::SUCCESS) {
      blocks_.fail(errc::upstream_http, finishing_ ? "upstream ended the stream early"
                                               : "upstream sent a stream event that is not JSON");
      done_ = true;
      return;
    }
    json_object chunk;
    if (root.get_object().get(chunk) != simdjson::SUCCESS) {
      blocks_.fail(errc::upstream_http, "upstream sent a stream event that is not an object");
      done_ = true;
      return;
    }
    if (json_element err; chunk["error"].get(err) == simdjson::SUCCESS && !err.is_null()) {
      on_error(err);
      return;
    }
    blocks_.start(str(chunk, "id"), str(chunk, "model"), usage{});
    json_array choices;
    if (chunk["choices"].get_array().get(choices) == simdjson::SUCCESS) {
      for (json_element choice : choices) {
        json_object c;
        if (choice.get_object().get(c) != simdjson::SUCCESS) continue;
        std::int64_t index = 0;
        if (c["index"].get_int64().get(index) == simdjson::SUCCESS && index != 0) continue;
        on_choice(c);
      }
    }
    if (json_object u; chunk["usage"].get_object().get(u) == simdjson::SUCCESS) on_usage(u);
  }

  void on_choice(json_object c) {
    json_object delta;
    if (c["delta"].get_object().get(delta) == simdjson::SUCCESS) {
      // Order inside one chunk: reasoning, text, tool calls (LiteLLM #18238: never let one
      // branch swallow the others).
      std::string_view reasoning = str(delta, "reasoning_content");
      if (reasoning.empty()) reasoning = str(delta, "reasoning");
      if (!reasoning.empty()) {
        blocks_.ensure(block_type::reasoning);
        blocks_.delta(reasoning);
      }
      const std::string_view content = str(delta, "content");
      if (!content.empty()) {
        blocks_.ensure(block_type::text);
        blocks_.delta(content);
      }
      if (json_array calls; delta["tool_calls"].get_array().get(calls) == simdjson::SUCCESS) {
        for (json_element call : calls) {
          json_object tc;
          if (call.get_object().get(tc) == simdjson::SUCCESS) on_tool_call(tc);
        }
      }
    }
    std::string_view reason;
    if (c["finish_reason"].get_string().get(reason) == simdjson::SUCCESS) {
      flush_pending_call();
      blocks_.finish(openai::parse_finish_reason(reason));
    }
  }

  void on_tool_call(json_object tc) {
    std::int64_t index = -1;
    get_optional(tc["index"].get_int64(), index);
    const std::string_view id = str(tc, "id");
    std::string_view name;
    std::string_view args;
    if (json_object fn; tc["function"].get_object().get(fn) == simdjson::SUCCESS) {
      name = str(fn, "name");
      args = str(fn, "arguments");
    }
    // A new call starts with a new index, or (backends that omit index) a new id (A.6 step 5).
    const bool is_new = index >= 0 ? index != current_index_ : (!id.empty() && id != pending_id_);
    if (is_new) {
      flush_pending_call();
      current_index_ = index >= 0 ? index : current_index_ + 1;
      pending_ = true;
      pending_id_.assign(id);
      pending_name_.assign(name);
      pending_args_.clear();
    } else if (pending_ && pending_name_.empty() && !name.empty()) {
      pending_name_.assign(name);
    }
    if (pending_) {
      // The block can start only once the name is known; arguments wait with it.
      pending_args_.append(args);
      if (!pending_name_.empty()) {
        blocks_.open_tool(pending_id_, pending_name_);
        blocks_.delta(pending_args_);
        pending_ = false;
      }
      return;
    }
    blocks_.delta(args);
  }

  void flush_pending_call() {
    if (!pending_) return;
    pending_ = false;
    blocks_.open_tool(pending_id_, pending_name_);
    blocks_.delta(pending_args_);
  }

  void on_usage(json_object u) {
    usage out;
    out.present = true;
    std::int64_t prompt = 0;
    std::int64_t cached = 0;
    get_optional(u["prompt_tokens"].get_int64(), prompt);
    get_optional(u["completion_tokens"].get_int64(), out.output_tokens);
    if (json_object d; u["prompt_tokens_details"].get_object().get(d) == simdjson::SUCCESS) {
      get_optional(d["cached_tokens"].get_int64(), cached);
    }
    if (json_object d; u["completion_tokens_details"].get_object().get(d) == simdjson::SUCCESS) {
      get_optional(d["reasoning_tokens"].get_int64(), out.reasoning_tokens);
    }
    out.cache_read_tokens = cached;
    out.input_tokens = prompt - cached;
    blocks_.usage_event(out);
  }

  void on_error(json_element err) {
    std::string_view message;
    json_object obj;
    if (err.get_object().get(obj) == simdjson::SUCCESS) {
      message = str(obj, "message");
    } else {
      get_optional(err.get_string(), message);
    }
    blocks_.fail(errc::upstream_http,
                 message.empty() ? std::string("upstream reported an error") : std::string(message));
    done_ = true;
  }

  sse_reader reader_;
  simdjson::dom::parser parser_;
  bool done_ = false;
  bool finishing_ = false;
  std::int64_t current_index_ = -1;
  bool pending_ = false;
  std::string pending_id_;
  std::string pending_name_;
  std::string pending_args_;
};

}  // namespace

std::unique_ptr<stream_decoder> make_openai_stream_decoder() {
  return std::make_unique<openai_decoder>();
}

}  // namespace harness::detail
