// Ollama /api/chat NDJSON -> canonical events (translation.md B.3, B.5).
#include "codec/ollama/ollama.h"
#include "framing/ndjson.h"
#include "ir/ids.h"
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

class ollama_decoder final : public decoder_base {
 private:
  void consume(std::string_view bytes) override {
    if (done_) return;
    if (!reader_.feed(bytes, [&](std::string_view line) { on_line(line); })) {
      blocks_.fail(errc::upstream_http, "upstream stream line too large");
      done_ = true;
    }
  }

  void end() override {
    finishing_ = true;  // a cut final event means the upstream stopped mid-way
    if (!done_) reader_.finish([&](std::string_view line) { on_line(line); });
    if (!blocks_.failed() && !blocks_.stopped()) {
      blocks_.fail(errc::upstream_transport, "upstream ended the stream early");
    }
  }

  void on_line(std::string_view line) {
    if (done_) return;
    json_element root;
    json_object obj;
    if (parser_.parse(line.data(), line.size(), true).get(root) != simdjson::SUCCESS ||
        root.get_object().get(obj) != simdjson::SUCCESS) {
      blocks_.fail(errc::upstream_http, finishing_ ? "upstream ended the stream early"
                                               : "upstream sent a stream line that is not JSON");
      done_ = true;
      return;
    }
    // Mid-stream errors are a line {"error": "..."} with status 200 (B.1).
    if (json_element err; obj["error"].get(err) == simdjson::SUCCESS && !err.is_null()) {
      std::string_view message = "upstream reported an error";
      get_optional(err.get_string(), message);
      if (json_object eo; err.get_object().get(eo) == simdjson::SUCCESS) {
        if (auto m = str(eo, "message"); !m.empty()) message = m;
      }
      blocks_.fail(errc::upstream_http, std::string(message));
      done_ = true;
      return;
    }
    if (!blocks_.started()) blocks_.start({}, str(obj, "model"), usage{});
    if (json_object msg; obj["message"].get_object().get(msg) == simdjson::SUCCESS) {
      on_message(msg, line);
    }
    bool done = false;
    if (obj["done"].get_bool().get(done) == simdjson::SUCCESS && done) {
      usage u;
      std::int64_t v = 0;
      if (obj["prompt_eval_count"].get_int64().get(v) == simdjson::SUCCESS) {
        u.input_tokens = v;
        u.present = true;
      }
      if (obj["eval_count"].get_int64().get(v) == simdjson::SUCCESS) {
        u.output_tokens = v;
        u.present = true;
      }
      blocks_.finish(ollama::parse_finish_reason(str(obj, "done_reason")));
      if (u.present) blocks_.usage_event(u);
      blocks_.stop();
      done_ = true;
    }
  }

  void on_message(json_object msg, std::string_view line) {
    const std::string_view thinking = str(msg, "thinking");
    if (!thinking.empty()) {
      blocks_.ensure(block_type::reasoning);
      blocks_.delta(thinking);
    }
    const std::string_view content = str(msg, "content");
    if (!content.empty()) {
      blocks_.ensure(block_type::text);
      blocks_.delta(content);
    }
    json_array calls;
    if (msg["tool_calls"].get_array().get(calls) != simdjson::SUCCESS) return;
    for (json_element call : calls) {
      json_object tc;
      json_object fn;
      if (call.get_object().get(tc) != simdjson::SUCCESS ||
          tc["function"].get_object().get(fn) != simdjson::SUCCESS) {
        continue;
      }
      // Each call arrives whole in one line; ids exist since Ollama 0.12.10, else derive a
      // stable one from the line (the same under any chunking).
      std::string id(str(tc, "id"));
      if (id.empty()) id = synthesize_call_id(line, calls_);
      ++calls_;
      blocks_.open_tool(id, str(fn, "name"));
      json_element args;
      if (fn["arguments"].get(args) == simdjson::SUCCESS) {
        std::string_view s;
        blocks_.delta(args.get_string().get(s) == simdjson::SUCCESS ? std::string(s) : raw_json(args));
      }
      blocks_.close();
    }
  }

  ndjson_reader reader_;
  simdjson::dom::parser parser_;
  std::size_t calls_ = 0;
  bool done_ = false;
  bool finishing_ = false;
};

}  // namespace

std::unique_ptr<stream_decoder> make_ollama_stream_decoder() {
  return std::make_unique<ollama_decoder>();
}

}  // namespace harness::detail
