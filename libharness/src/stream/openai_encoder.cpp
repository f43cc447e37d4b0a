// OpenAI `chat.completion.chunk` SSE from canonical events (translation.md A.4a, A.5).
//
// Speed: every chunk of a stream starts with the same bytes
//   data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":{
// and most end with the same bytes, so both are built once per stream (with json_writer, so
// they are exactly what it writes) and an event only escapes its own fields (escape.h) straight
// into `out`: no writer, no temporary buffer, no allocation per event once `out` has grown.
#include <charconv>

#include "codec/openai/openai.h"
#include "ir/ids.h"
#include "json/escape.h"
#include "json/writer.h"
#include "stream/block_index.h"
#include "stream/encoders.h"

namespace harness::detail {
namespace {

// A JSON string value as json_writer writes it; false (nothing written) for invalid UTF-8.
bool append_string(std::string& out, std::string_view s) {
  return append_json_string(out, '\0', s, hex_case::upper, true);
}

void append_int(std::string& out, std::size_t v) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out.append(buf, static_cast<std::size_t>(end - buf));
}

// What the encoder remembers of a block: its type, and for a tool call its position among the
// calls and whether an argument fragment was sent.
struct block_info {
  block_type type = block_type::text;
  std::size_t tool = 0;
  bool args_seen = false;
};

class openai_encoder final : public stream_encoder {
 public:
  explicit openai_encoder(stream_encoder_options o) : opt_(std::move(o)) {
    tail_ = "},\"logprobs\":null,\"finish_reason\":null}]";
    if (opt_.include_usage) tail_ += ",\"usage\":null";
    tail_ += "}\n\n";
  }

  void encode(const stream_event& ev, std::string& out) override {
    if (closed_) return;
    switch (ev.type) {
      case stream_event::kind::message_start:
        if (opt_.model.empty()) opt_.model = ev.name;  // no client name: echo the upstream's
        if (opt_.id.empty()) opt_.id = ev.id.empty() ? synthesize_call_id(ev.name, 0, "chatcmpl-") : ev.id;
        head_.clear();  // id or model may have changed
        start(out);
        break;
      case stream_event::kind::block_start: {
        start(out);
        block_info& b = blocks_[ev.index];
        b.type = ev.block;
        if (ev.block == block_type::tool_call) {
          b.tool = next_tool_++;
          b.args_seen = false;
          saw_tool_ = true;
          write_tool_start(b.tool, ev, out);
        }
        break;
      }
      case stream_event::kind::delta: {
        if (ev.text.empty()) break;
        start(out);
        block_info* b = blocks_.find(ev.index);
        const block_type type = b != nullptr ? b->type : block_type::text;
        if (type == block_type::tool_call) {
          b->args_seen = true;
          write_arguments(b->tool, ev.text, out);
        } else {
          write_text(type == block_type::reasoning ? "\"reasoning_content\":" : "\"content\":",
                     ev.text, out);
        }
        break;
      }
      case stream_event::kind::block_stop:
        // A zero-argument call streamed no fragments: send "{}" so the client's accumulated
        // arguments are valid JSON (translation.md C.7).
        if (const block_info* b = blocks_.find(ev.index);
            b != nullptr && b->type == block_type::tool_call && !b->args_seen) {
          write_arguments(b->tool, "{}", out);
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
    if (opt_.id.empty()) {
      opt_.id = synthesize_call_id(opt_.model, 0, "chatcmpl-");
      head_.clear();
    }
    const std::size_t at = chunk_open(out);
    out += "\"role\":\"assistant\",\"content\":\"\"";
    chunk_close(out, at, true);
  }

  void write_tool_start(std::size_t tool, const stream_event& ev, std::string& out) {
    const std::size_t at = chunk_open(out);
    out += "\"tool_calls\":[{\"index\":";
    append_int(out, tool);
    out += ",\"id\":";
    bool ok = ev.id.empty() ? append_string(out, synthesize_call_id(opt_.id, tool))
                            : append_string(out, ev.id);
    out += ",\"type\":\"function\",\"function\":{\"name\":";
    ok = append_string(out, ev.name) && ok;
    out += ",\"arguments\":\"\"}}]";
    chunk_close(out, at, ok);
  }

  void write_arguments(std::size_t tool, std::string_view fragment, std::string& out) {
    const std::size_t at = chunk_open(out);
    out += "\"tool_calls\":[{\"index\":";
    append_int(out, tool);
    out += ",\"function\":{\"arguments\":";
    const bool ok = append_string(out, fragment);
    out += "}}]";
    chunk_close(out, at, ok);
  }

  void write_text(std::string_view key, std::string_view text, std::string& out) {
    const std::size_t at = chunk_open(out);
    out += key;
    chunk_close(out, at, append_string(out, text));
  }

  void write_finish(std::string& out) {
    if (finish_written_) return;
    finish_written_ = true;
    // Clients continue the agent loop on "tool_calls": say it whenever calls were sent.
    finish_reason r = finish_ == finish_reason::none ? finish_reason::stop : finish_;
    if (saw_tool_ && (r == finish_reason::stop || r == finish_reason::stop_sequence)) {
      r = finish_reason::tool_calls;
    }
    if (!head_ok()) return;
    out += head_;
    out += "},\"logprobs\":null,\"finish_reason\":";
    append_string(out, openai::finish_reason_name(r));  // a fixed ASCII name
    out += "}]";
    if (opt_.include_usage) out += ",\"usage\":null";
    out += "}\n\n";
  }

  void write_usage(std::string& out) {
    std::string body;
    json_writer w(body);
    head_fields(w);
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

  void head_fields(json_writer& w) {
    w.start_object()
        .member("id", opt_.id)
        .member("object", "chat.completion.chunk")
        .member_int("created", opt_.created)
        .member("model", opt_.model);
  }

  // Builds head_ when id or model changed; false when they cannot be written (invalid UTF-8),
  // and then no chunk is written, as before.
  bool head_ok() {
    if (head_.empty()) {
      head_ = "data: ";
      json_writer w(head_);
      head_fields(w);
      w.key("choices").start_array().start_object().member_int("index", 0).key("delta").start_object();
      head_valid_ = w.ok();
    }
    return head_valid_;
  }

  // A chunk is head_ + the delta's fields + tail_. chunk_open returns where the chunk starts so
  // chunk_close can take it back when a field could not be written (invalid UTF-8).
  std::size_t chunk_open(std::string& out) {
    const std::size_t at = out.size();
    if (head_ok()) out += head_;
    return at;
  }

  void chunk_close(std::string& out, std::size_t at, bool ok) {
    if (ok && head_valid_) {
      out += tail_;
    } else {
      out.resize(at);
    }
  }

  static void emit(std::string& out, const std::string& json) {
    out += "data: ";
    out += json;
    out += "\n\n";
  }

  stream_encoder_options opt_;
  std::string head_;  // empty: to be (re)built
  bool head_valid_ = false;
  std::string tail_;  // the end of a chunk without finish_reason
  bool started_ = false;
  bool closed_ = false;
  bool saw_tool_ = false;
  bool finish_written_ = false;
  finish_reason finish_ = finish_reason::none;
  usage usage_;
  std::size_t next_tool_ = 0;
  block_index<block_info> blocks_;
};

}  // namespace

std::unique_ptr<stream_encoder> make_openai_stream_encoder(stream_encoder_options options) {
  return std::make_unique<openai_encoder>(std::move(options));
}

}  // namespace harness::detail
