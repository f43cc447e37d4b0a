// OpenAI `chat.completion.chunk` SSE from canonical events (translation.md A.4a, A.5).
#include <unordered_map>

#include "codec/openai/openai.h"
#include "ir/ids.h"
#include "json/writer.h"
#include "stream/encoders.h"

namespace harness::detail {
namespace {

class openai_encoder final : public stream_encoder {
 public:
  explicit openai_encoder(stream_encoder_options o) : opt_(std::move(o)) {}

  void encode(const stream_event& ev, std::string& out) override {
    if (closed_) return;
    switch (ev.type) {
      case stream_event::kind::message_start:
        if (opt_.model.empty()) opt_.model = ev.name;  // no client name: echo the upstream's
        if (opt_.id.empty()) opt_.id = ev.id.empty() ? synthesize_call_id(ev.name, 0, "chatcmpl-") : ev.id;
        start(out);
        break;
      case stream_event::kind::block_start:
        start(out);
        if (ev.block == block_type::tool_call) {
          const std::size_t k = next_tool_++;
          tool_index_[ev.index] = k;
          saw_tool_ = true;
          args_seen_[ev.index] = false;
          chunk_open(out);
          w_->key("tool_calls").start_array().start_object().member_int("index", static_cast<std::int64_t>(k));
          w_->member("id", ev.id.empty() ? synthesize_call_id(opt_.id, k) : ev.id)
              .member("type", "function")
              .key("function").start_object().member("name", ev.name).member("arguments", "").end_object();
          w_->end_object().end_array();
          chunk_close(out, nullptr);
        }
        block_[ev.index] = ev.block;
        break;
      case stream_event::kind::delta: {
        if (ev.text.empty()) break;
        start(out);
        const auto b = block_.count(ev.index) != 0U ? block_[ev.index] : block_type::text;
        chunk_open(out);
        if (b == block_type::tool_call) {
          args_seen_[ev.index] = true;
          w_->key("tool_calls").start_array().start_object()
              .member_int("index", static_cast<std::int64_t>(tool_index_[ev.index]))
              .key("function").start_object().member("arguments", ev.text).end_object()
              .end_object().end_array();
        } else if (b == block_type::reasoning) {
          w_->member("reasoning_content", ev.text);
        } else {
          w_->member("content", ev.text);
        }
        chunk_close(out, nullptr);
        break;
      }
      case stream_event::kind::block_stop:
        // A zero-argument call streamed no fragments: send "{}" so the client's accumulated
        // arguments are valid JSON (translation.md C.7).
        if (block_.count(ev.index) != 0U && block_[ev.index] == block_type::tool_call &&
            !args_seen_[ev.index]) {
          chunk_open(out);
          w_->key("tool_calls").start_array().start_object()
              .member_int("index", static_cast<std::int64_t>(tool_index_[ev.index]))
              .key("function").start_object().member("arguments", "{}").end_object()
              .end_object().end_array();
          chunk_close(out, nullptr);
        }
        break;
      case stream_event::kind::finish:
        start(out);
        finish_ = ev.finish;
        write_finish(out);
        break;
      case stream_event::kind::usage:
        usage_ = ev.usage;
        break;
      case stream_event::kind::message_stop:
        start(out);
        write_finish(out);
        if (opt_.include_usage) write_usage(out);
        out += "data: [DONE]\n\n";
        closed_ = true;
        break;
      case stream_event::kind::signature:
        break;  // no place for it in OpenAI chunks
      case stream_event::kind::error:
        write_error(ev.err, out);
        closed_ = true;
        break;
    }
  }

  bool closed() const noexcept override { return closed_; }

 private:
  // The first chunk carries the role (some SDK accumulators need it: Portkey #1399).
  void start(std::string& out) {
    if (started_) return;
    started_ = true;
    if (opt_.id.empty()) opt_.id = synthesize_call_id(opt_.model, 0, "chatcmpl-");
    chunk_open(out);
    w_->member("role", "assistant").member("content", "");
    chunk_close(out, nullptr);
  }

  void write_finish(std::string& out) {
    if (finish_written_) return;
    finish_written_ = true;
    // Clients continue the agent loop on "tool_calls": say it whenever calls were sent.
    finish_reason r = finish_ == finish_reason::none ? finish_reason::stop : finish_;
    if (saw_tool_ && (r == finish_reason::stop || r == finish_reason::stop_sequence)) {
      r = finish_reason::tool_calls;
    }
    chunk_open(out);
    chunk_close(out, openai::finish_reason_name(r));
  }

  void write_usage(std::string& out) {
    std::string body;
    json_writer w(body);
    head(w);
    w.key("choices").start_array().end_array();
    w.key("usage").start_object()
        .member_int("prompt_tokens", usage_.prompt_tokens())
        .member_int("completion_tokens", usage_.output_tokens)
        .member_int("total_tokens", usage_.prompt_tokens() + usage_.output_tokens);
    w.key("prompt_tokens_details").start_object().member_int("cached_tokens", usage_.cache_read_tokens).end_object();
    w.key("completion_tokens_details").start_object().member_int("reasoning_tokens", usage_.reasoning_tokens).end_object();
    w.end_object().end_object();
    emit(out, body);
  }

  void write_error(const error& err, std::string& out) {
    std::string body;
    json_writer w(body);
    w.start_object().key("error").start_object()
        .member("message", err.message)
        .member("type", err.http_status == 429 ? "rate_limit_error" : "api_error")
        .key("code").null()
        .end_object().end_object();
    emit(out, body);
  }

  void head(json_writer& w) {
    w.start_object()
        .member("id", opt_.id)
        .member("object", "chat.completion.chunk")
        .member_int("created", opt_.created)
        .member("model", opt_.model);
  }

  // One chunk is built in buf_; chunk_open starts the delta object, chunk_close ends it.
  void chunk_open(std::string&) {
    buf_.clear();
    w_ = std::make_unique<json_writer>(buf_);
    head(*w_);
    w_->key("choices").start_array().start_object().member_int("index", 0).key("delta").start_object();
  }

  void chunk_close(std::string& out, const char* finish) {
    w_->end_object().key("logprobs").null().key("finish_reason");
    finish != nullptr ? w_->string(finish) : w_->null();
    w_->end_object().end_array();
    if (opt_.include_usage) w_->key("usage").null();
    w_->end_object();
    if (w_->ok()) emit(out, buf_);
    w_.reset();
  }

  static void emit(std::string& out, const std::string& json) {
    out += "data: ";
    out += json;
    out += "\n\n";
  }

  stream_encoder_options opt_;
  std::unique_ptr<json_writer> w_;
  std::string buf_;
  bool started_ = false;
  bool closed_ = false;
  bool saw_tool_ = false;
  bool finish_written_ = false;
  finish_reason finish_ = finish_reason::none;
  usage usage_;
  std::size_t next_tool_ = 0;
  std::unordered_map<std::size_t, std::size_t> tool_index_;
  std::unordered_map<std::size_t, bool> args_seen_;
  std::unordered_map<std::size_t, block_type> block_;
};

}  // namespace

std::unique_ptr<stream_encoder> make_openai_stream_encoder(stream_encoder_options options) {
  return std::make_unique<openai_encoder>(std::move(options));
}

}  // namespace harness::detail
