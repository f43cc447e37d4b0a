// Anthropic Messages SSE -> canonical events (translation.md A.4a, A.5).
#include <unordered_set>

#include "codec/anthropic/anthropic.h"
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

std::int64_t num(json_object obj, const char* key) {
  std::int64_t v = 0;
  get_optional(obj[key].get_int64(), v);
  return v;
}

// Anthropic error types to the status a client should see (529 overloaded -> 503, A.7).
int status_of(std::string_view type) {
  if (type == "overloaded_error") return 503;
  if (type == "rate_limit_error") return 429;
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  return 502;
}

class anthropic_decoder final : public decoder_base {
 private:
  void consume(std::string_view bytes) override {
    if (done_) return;
    if (!reader_.feed(bytes, [&](const sse_event& ev) { on_event(ev); })) {
      blocks_.fail(errc::upstream_http, "upstream stream event too large");
      done_ = true;
    }
  }

  void end() override {
    finishing_ = true;  // a cut final event means the upstream stopped mid-way
    if (!done_) reader_.finish([&](const sse_event& ev) { on_event(ev); });
    if (!blocks_.failed() && !blocks_.stopped()) {
      blocks_.fail(errc::upstream_transport, "upstream ended the stream early");
    }
  }

  void on_event(const sse_event& ev) {
    if (done_) return;
    json_element root;
    json_object obj;
    if (parser_.parse(ev.data.data(), ev.data.size(), true).get(root) != simdjson::SUCCESS ||
        root.get_object().get(obj) != simdjson::SUCCESS) {
      blocks_.fail(errc::upstream_http, finishing_ ? "upstream ended the stream early"
                                               : "upstream sent a stream event that is not JSON");
      done_ = true;
      return;
    }
    // The JSON `type` names the event (the SSE `event:` line repeats it).
    const std::string_view type = str(obj, "type");
    if (type == "message_start") {
      json_object msg;
      if (obj["message"].get_object().get(msg) != simdjson::SUCCESS) return;
      usage u;
      if (json_object uo; msg["usage"].get_object().get(uo) == simdjson::SUCCESS) u = read_usage(uo);
      usage_ = u;
      blocks_.start(str(msg, "id"), str(msg, "model"), u);
    } else if (type == "content_block_start") {
      on_block_start(obj);
    } else if (type == "content_block_delta") {
      on_delta(obj);
    } else if (type == "content_block_stop") {
      if (ignored_.count(num(obj, "index")) == 0U) blocks_.close();
    } else if (type == "message_delta") {
      json_object delta;
      if (obj["delta"].get_object().get(delta) == simdjson::SUCCESS) {
        std::string_view reason;
        if (delta["stop_reason"].get_string().get(reason) == simdjson::SUCCESS) {
          blocks_.finish(anthropic::parse_finish_reason(reason), str(delta, "stop_sequence"));
        }
      }
      if (json_object uo; obj["usage"].get_object().get(uo) == simdjson::SUCCESS) {
        // Cumulative: take the newest counts, keep earlier ones the delta does not repeat.
        const usage u = read_usage(uo);
        if (u.input_tokens) usage_.input_tokens = u.input_tokens;
        if (u.cache_read_tokens) usage_.cache_read_tokens = u.cache_read_tokens;
        if (u.cache_write_tokens) usage_.cache_write_tokens = u.cache_write_tokens;
        usage_.output_tokens = u.output_tokens;
        usage_.present = true;
        blocks_.usage_event(usage_);
      }
    } else if (type == "message_stop") {
      blocks_.stop();
      done_ = true;
    } else if (type == "error") {
      json_object err;
      std::string_view message = "upstream reported an error";
      int status = 502;
      if (obj["error"].get_object().get(err) == simdjson::SUCCESS) {
        if (auto m = str(err, "message"); !m.empty()) message = m;
        status = status_of(str(err, "type"));
      }
      blocks_.fail(errc::upstream_http, std::string(message), status);
      done_ = true;
    }
    // ping and unknown event types are ignored (Anthropic's versioning policy).
  }

  void on_block_start(json_object obj) {
    const std::int64_t index = num(obj, "index");
    json_object block;
    if (obj["content_block"].get_object().get(block) != simdjson::SUCCESS) return;
    const std::string_view type = str(block, "type");
    if (type == "text") {
      // Every upstream block is its own canonical block.
      force_new(block_type::text);
      blocks_.delta(str(block, "text"));
    } else if (type == "thinking") {
      force_new(block_type::reasoning);
      blocks_.delta(str(block, "thinking"));
    } else if (type == "tool_use") {
      blocks_.open_tool(str(block, "id"), str(block, "name"));
    } else {
      ignored_.insert(index);  // server tools, redacted thinking: nothing a client can run
    }
  }

  void force_new(block_type t) {
    blocks_.close();
    blocks_.ensure(t);
  }

  void on_delta(json_object obj) {
    if (ignored_.count(num(obj, "index")) != 0U) return;
    json_object delta;
    if (obj["delta"].get_object().get(delta) != simdjson::SUCCESS) return;
    const std::string_view type = str(delta, "type");
    if (type == "text_delta") {
      blocks_.delta(str(delta, "text"));
    } else if (type == "input_json_delta") {
      blocks_.delta(str(delta, "partial_json"));
    } else if (type == "thinking_delta") {
      blocks_.delta(str(delta, "thinking"));
    } else if (type == "signature_delta") {
      blocks_.signature(str(delta, "signature"));
    }
  }

  static usage read_usage(json_object uo) {
    usage u;
    u.present = true;
    u.input_tokens = num(uo, "input_tokens");
    u.output_tokens = num(uo, "output_tokens");
    u.cache_read_tokens = num(uo, "cache_read_input_tokens");
    u.cache_write_tokens = num(uo, "cache_creation_input_tokens");
    return u;
  }

  sse_reader reader_;
  simdjson::dom::parser parser_;
  std::unordered_set<std::int64_t> ignored_;
  usage usage_;
  bool done_ = false;
  bool finishing_ = false;
};

}  // namespace

std::unique_ptr<stream_decoder> make_anthropic_stream_decoder() {
  return std::make_unique<anthropic_decoder>();
}

}  // namespace harness::detail
