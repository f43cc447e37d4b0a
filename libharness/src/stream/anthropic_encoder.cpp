// Anthropic Messages SSE from canonical events (translation.md A.4a, A.6).
#include "codec/anthropic/anthropic.h"
#include "ir/ids.h"
#include "json/writer.h"
#include "stream/encoders.h"

namespace harness::detail {
namespace {

const char* error_type(int status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503:
    case 529: return "overloaded_error";
    default: return "api_error";
  }
}

class anthropic_encoder final : public stream_encoder {
 public:
  explicit anthropic_encoder(stream_encoder_options o) : opt_(std::move(o)) {}

  void encode(const stream_event& ev, std::string& out) override {
    if (closed_) return;
    switch (ev.type) {
      case stream_event::kind::message_start:
        if (!ev.id.empty() && opt_.id.empty()) opt_.id = ev.id;
        if (opt_.model.empty()) opt_.model = ev.name;
        usage_ = ev.usage;
        start(out);
        break;
      case stream_event::kind::block_start:
        start(out);
        close_block(out);
        open_block(ev, out);
        break;
      case stream_event::kind::delta:
        if (ev.text.empty()) break;  // an empty delta can crash SDK clients (A.6 step 4)
        if (!open_) break;           // never a delta for a block the client has not seen
        write_delta(ev.text, out);
        break;
      case stream_event::kind::signature:
        if (open_ && type_ == block_type::reasoning) {
          event(out, "content_block_delta", [&](json_writer& w) {
            w.member_int("index", index_).key("delta").start_object()
                .member("type", "signature_delta").member("signature", ev.text).end_object();
          });
        }
        break;
      case stream_event::kind::block_stop:
        close_block(out);
        break;
      case stream_event::kind::finish:
        finish_ = ev.finish;
        stop_sequence_ = ev.text;
        break;
      case stream_event::kind::usage:
        usage_ = ev.usage;  // cumulative: the latest wins (A.5, message_delta row)
        break;
      case stream_event::kind::message_stop:
        start(out);
        close_block(out);
        write_end(out);
        closed_ = true;
        break;
      case stream_event::kind::error:
        close_block(out);
        event(out, "error", [&](json_writer& w) {
          w.key("error").start_object()
              .member("type", error_type(ev.err.http_status))
              .member("message", ev.err.message)
              .end_object();
        });
        closed_ = true;
        break;
    }
  }

  bool closed() const noexcept override { return closed_; }

 private:
  template <class F>
  void event(std::string& out, const char* name, F&& body) {
    buf_.clear();
    json_writer w(buf_);
    w.start_object().member("type", name);
    body(w);
    w.end_object();
    if (!w.ok()) return;
    out += "event: ";
    out += name;
    out += "\ndata: ";
    out += buf_;
    out += "\n\n";
  }

  void write_usage(json_writer& w) {
    w.key("usage").start_object()
        .member_int("input_tokens", usage_.input_tokens)
        .member_int("cache_creation_input_tokens", usage_.cache_write_tokens)
        .member_int("cache_read_input_tokens", usage_.cache_read_tokens)
        .member_int("output_tokens", usage_.output_tokens)
        .end_object();
  }

  void start(std::string& out) {
    if (started_) return;
    started_ = true;
    std::string id = sanitize_call_id(opt_.id);
    if (id.rfind("msg_", 0) != 0) id = "msg_" + (id.empty() ? synthesize_call_id(opt_.model, 0, "") : id);
    event(out, "message_start", [&](json_writer& w) {
      w.key("message").start_object()
          .member("id", id)
          .member("type", "message")
          .member("role", "assistant")
          .member("model", opt_.model)
          .key("content").start_array().end_array()
          .key("stop_reason").null()
          .key("stop_sequence").null();
      write_usage(w);
      w.end_object();
    });
    event(out, "ping", [](json_writer&) {});
  }

  void open_block(const stream_event& ev, std::string& out) {
    open_ = true;
    type_ = ev.block;
    index_ = next_index_++;
    if (ev.block == block_type::tool_call) saw_tool_ = true;
    event(out, "content_block_start", [&](json_writer& w) {
      w.member_int("index", index_).key("content_block").start_object();
      if (ev.block == block_type::tool_call) {
        std::string id = sanitize_call_id(ev.id);
        if (id.empty()) id = synthesize_call_id(opt_.id + ev.name, static_cast<std::size_t>(index_), "toolu_");
        w.member("type", "tool_use").member("id", id).member("name", ev.name)
            .key("input").start_object().end_object();
      } else if (ev.block == block_type::reasoning) {
        w.member("type", "thinking").member("thinking", "").member("signature", "");
      } else {
        w.member("type", "text").member("text", "");
      }
      w.end_object();
    });
  }

  void write_delta(const std::string& text, std::string& out) {
    event(out, "content_block_delta", [&](json_writer& w) {
      w.member_int("index", index_).key("delta").start_object();
      if (type_ == block_type::tool_call) {
        w.member("type", "input_json_delta").member("partial_json", text);
      } else if (type_ == block_type::reasoning) {
        w.member("type", "thinking_delta").member("thinking", text);
      } else {
        w.member("type", "text_delta").member("text", text);
      }
      w.end_object();
    });
  }

  void close_block(std::string& out) {
    if (!open_) return;
    open_ = false;
    event(out, "content_block_stop", [&](json_writer& w) { w.member_int("index", index_); });
  }

  void write_end(std::string& out) {
    finish_reason r = finish_ == finish_reason::none ? finish_reason::stop : finish_;
    if (saw_tool_ && (r == finish_reason::stop || r == finish_reason::stop_sequence)) {
      r = finish_reason::tool_calls;
    }
    event(out, "message_delta", [&](json_writer& w) {
      w.key("delta").start_object().member("stop_reason", anthropic::finish_reason_name(r));
      w.key("stop_sequence");
      stop_sequence_.empty() || r != finish_reason::stop_sequence ? w.null() : w.string(stop_sequence_);
      w.end_object();
      write_usage(w);
    });
    event(out, "message_stop", [](json_writer&) {});
  }

  stream_encoder_options opt_;
  std::string buf_;
  bool started_ = false;
  bool closed_ = false;
  bool open_ = false;
  bool saw_tool_ = false;
  block_type type_ = block_type::text;
  std::int64_t index_ = 0;
  std::int64_t next_index_ = 0;
  finish_reason finish_ = finish_reason::none;
  std::string stop_sequence_;
  usage usage_;
};

}  // namespace

std::unique_ptr<stream_encoder> make_anthropic_stream_encoder(stream_encoder_options options) {
  return std::make_unique<anthropic_encoder>(std::move(options));
}

}  // namespace harness::detail
