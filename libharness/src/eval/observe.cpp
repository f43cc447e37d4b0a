#include "eval/observe.h"

#include <harness/codec.h>
#include <harness/stream.h>

#include "eval/client_api.h"
#include "json/writer.h"

namespace harness::eval_internal {
namespace {

observed failed(std::string code, std::string reason) {
  observed o;
  o.fail_code = std::move(code);
  o.fail_reason = std::move(reason);
  return o;
}

// A stream as a client of ex.api assembles it: blocks by index, calls from block_start + deltas.
observed observe_stream(const eval::exchange& ex) {
  observed o;
  const dialect d = dialect_of(ex.api);
  auto decoder = make_stream_decoder(d);
  std::vector<stream_event> events;
  decoder->feed(ex.reply, events);
  decoder->finish(events);
  struct open_block {
    std::size_t index;
    block_type type;
  };
  std::vector<open_block> blocks;
  bool stopped = false;
  for (const stream_event& ev : events) {
    switch (ev.type) {
      case stream_event::kind::block_start:
        blocks.push_back({ev.index, ev.block});
        if (ev.block == block_type::tool_call) {
          if (ev.id.empty() || ev.name.empty())
            o.stream_problems.push_back("a tool call's first chunk lacks its id or name");
          o.calls.push_back({ev.id, ev.name, {}});
        }
        break;
      case stream_event::kind::delta: {
        block_type type = block_type::text;
        for (const auto& b : blocks)
          if (b.index == ev.index) type = b.type;
        if (type == block_type::tool_call && !o.calls.empty()) o.calls.back().arguments += ev.text;
        else if (type == block_type::text) o.text += ev.text;
        break;
      }
      case stream_event::kind::finish: o.finish = ev.finish; break;
      case stream_event::kind::usage: o.usage = ev.usage; break;
      case stream_event::kind::message_stop: stopped = true; break;
      case stream_event::kind::error:
        return failed("infra.stream_error", "the stream failed: " + ev.err.message);
      default: break;
    }
  }
  if (d != dialect::openai) {
    // Messages ends with message_stop, Responses with response.completed: both decode to the
    // message's end.
    if (!stopped) o.stream_problems.push_back("the stream never completed its message");
    o.ok = true;
    return o;
  }
  // The finish_reason as the client reads it from the chunks (the decoder normalises it).
  const std::string_view key = "\"finish_reason\":\"";
  if (const std::size_t at = ex.reply.rfind(key); at != std::string::npos) {
    const std::size_t from = at + key.size();
    const std::string_view raw = std::string_view(ex.reply).substr(from, ex.reply.find('"', from) - from);
    if (raw == "stop") o.finish = finish_reason::stop;
    else if (raw == "length") o.finish = finish_reason::length;
    else if (raw == "tool_calls") o.finish = finish_reason::tool_calls;
  }
  if (ex.reply.find("data: [DONE]") == std::string::npos)
    o.stream_problems.push_back("no final `data: [DONE]`");
  if (!stopped) o.stream_problems.push_back("the stream never completed its message");
  o.ok = true;
  return o;
}

}  // namespace

std::string clip(std::string_view s, std::size_t n) {
  std::string out(s.size() <= n ? s : s.substr(0, detail::complete_utf8_prefix(s.substr(0, n))));
  // Reports are UTF-8 documents: bytes of a broken reply show as '?'.
  if (!detail::is_valid_utf8(out))
    for (char& c : out)
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  return s.size() <= n ? out : out + "...";
}

std::string last_message(std::string_view request_body) {
  auto req = decode_request(dialect::openai, request_body);
  if (!req || req->messages.empty()) return clip(request_body, 300);
  const message& m = req->messages.back();
  std::string text = m.joined_text();
  for (const content_block& b : m.content)
    if (const auto* r = std::get_if<tool_result_block>(&b)) text += r->joined_text();
  return std::string(to_string(m.role)) + ": " + clip(text, 400);
}

observed observe(const eval::exchange& ex) {
  if (!ex.transport_error.empty()) {
    const bool timeout = ex.transport_error.find("timeout") != std::string::npos ||
                         ex.transport_error.find("timed out") != std::string::npos;
    return failed(timeout ? "infra.timeout" : "infra.transport", ex.transport_error);
  }
  if (ex.status < 200 || ex.status >= 300) {
    const error err = decode_error(dialect_of(ex.api), ex.status, ex.reply);
    const std::string code = (ex.status >= 500 ? "infra.http_" : "http_") + std::to_string(ex.status);
    return failed(code, "HTTP " + std::to_string(ex.status) + ": " + clip(err.message, 300));
  }
  const bool sse = ex.reply.find("data:") != std::string::npos && !ex.reply.empty() && ex.reply.front() != '{';
  if (ex.stream || sse) {
    observed o = observe_stream(ex);
    if (o.ok && o.calls.empty() && o.text.empty() && o.finish == finish_reason::none)
      return failed("infra.bad_stream", "the stream held no chat completion chunks: " +
                                            clip(ex.reply, 200));
    return o;
  }
  auto response = decode_response(dialect_of(ex.api), ex.reply);
  if (!response)
    return failed("infra.bad_reply", std::string("the reply is not a ") + to_string(ex.api) + " answer: " +
                                         response.error_value().describe());
  observed o;
  o.ok = true;
  o.text = response->message.joined_text();
  for (const tool_call_block* c : response->message.tool_calls())
    o.calls.push_back({c->id, c->name, c->arguments});
  o.finish = response->finish;
  o.usage = response->usage;
  return o;
}

}  // namespace harness::eval_internal
