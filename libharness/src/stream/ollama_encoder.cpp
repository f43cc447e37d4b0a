// Ollama /api/chat NDJSON from canonical events (translation.md B.5, the other direction).
// Ollama streams each tool call whole in one line, so argument fragments are collected until
// the call's block stops (memory bounded by one call).
#include <ctime>

#include "codec/ollama/ollama.h"
#include "ir/arguments.h"
#include "json/writer.h"
#include "stream/encoders.h"

namespace harness::detail {
namespace {

std::string rfc3339(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class ollama_encoder final : public stream_encoder {
 public:
  explicit ollama_encoder(stream_encoder_options o)
      : opt_(std::move(o)), created_at_(rfc3339(opt_.created)) {}

  void encode(const stream_event& ev, std::string& out) override {
    if (closed_) return;
    switch (ev.type) {
      case stream_event::kind::block_start:
        type_ = ev.block;
        if (ev.block == block_type::tool_call) {
          call_id_ = ev.id;
          call_name_ = ev.name;
          call_args_.clear();
          saw_tool_ = true;
        }
        break;
      case stream_event::kind::delta:
        if (ev.text.empty()) break;
        if (type_ == block_type::tool_call) {
          call_args_ += ev.text;
        } else {
          line(out, [&](json_writer& w) {
            w.member(type_ == block_type::reasoning ? "thinking" : "content", ev.text);
          }, false);
        }
        break;
      case stream_event::kind::block_stop:
        if (type_ == block_type::tool_call) write_call(out);
        if (closed_) return;
        type_ = block_type::text;
        break;
      case stream_event::kind::finish:
        finish_ = ev.finish;
        break;
      case stream_event::kind::usage:
        usage_ = ev.usage;
        break;
      case stream_event::kind::message_stop:
        write_done(out);
        closed_ = true;
        break;
      case stream_event::kind::error: {
        std::string body;
        json_writer w(body);
        w.start_object().member("error", ev.err.message).end_object();
        if (w.ok()) out += body + "\n";
        closed_ = true;
        break;
      }
      case stream_event::kind::message_start:
      case stream_event::kind::signature:
        break;
    }
  }

  bool closed() const noexcept override { return closed_; }

 private:
  template <class F>
  void line(std::string& out, F&& message_fields, bool done) {
    buf_.clear();
    json_writer w(buf_);
    w.start_object().member("model", opt_.model).member("created_at", created_at_);
    w.key("message").start_object().member("role", "assistant");
    message_fields(w);
    w.end_object().member_bool("done", done);
    if (done) {
      const finish_reason r = finish_ == finish_reason::length ? finish_reason::length
                                                               : finish_reason::stop;
      w.member("done_reason", ollama::finish_reason_name(r))
          .member_int("prompt_eval_count", usage_.prompt_tokens())
          .member_int("eval_count", usage_.output_tokens);
    }
    w.end_object();
    if (!w.ok()) return;
    out += buf_;
    out += '\n';
  }

  void write_call(std::string& out) {
    json_path where;
    auto args = arguments_object(parser_, call_args_, where);
    if (!args) {
      // Never hand a client a call with broken input: a mutating tool could run on it.
      out += "{\"error\":\"the model produced tool-call arguments that are not a JSON object\"}\n";
      closed_ = true;
      return;
    }
    const std::string& object = *args;
    line(out, [&](json_writer& w) {
      w.member("content", "").key("tool_calls").start_array().start_object();
      if (!call_id_.empty()) w.member("id", call_id_);
      w.key("function").start_object()
          .member_int("index", static_cast<std::int64_t>(calls_++))
          .member("name", call_name_).member_raw("arguments", object)
          .end_object().end_object().end_array();
    }, false);
  }

  void write_done(std::string& out) {
    line(out, [](json_writer& w) { w.member("content", ""); }, true);
  }

  stream_encoder_options opt_;
  std::string created_at_;
  std::string buf_;
  simdjson::dom::parser parser_;
  bool closed_ = false;
  bool saw_tool_ = false;
  block_type type_ = block_type::text;
  std::string call_id_;
  std::string call_name_;
  std::string call_args_;
  std::size_t calls_ = 0;
  finish_reason finish_ = finish_reason::none;
  usage usage_;
};

}  // namespace

std::unique_ptr<stream_encoder> make_ollama_stream_encoder(stream_encoder_options options) {
  return std::make_unique<ollama_encoder>(std::move(options));
}

}  // namespace harness::detail
