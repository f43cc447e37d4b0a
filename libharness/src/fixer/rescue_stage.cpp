// Response-side fixes: rescue of text tool calls (whole and streamed), emulated replies, and a
// whole response replayed as stream events.
#include <harness/fixer.h>
#include <harness/rescue.h>

#include "json/reader.h"
#include "stream/block_tracker.h"

namespace harness {
inline namespace v0 {
namespace {

rescue_options options_for(std::vector<tool_spec> tools, reasoning_start start) {
  rescue_options o;
  o.tools = std::move(tools);
  o.reasoning = start;
  return o;
}

// Rebuilds the assistant message: reasoning, then text, then native calls, then rescued calls.
void rebuild(message& msg, const rescue_result& r) {
  std::vector<content_block> out;
  for (auto& b : msg.content) {
    if (std::holds_alternative<reasoning_block>(b)) out.push_back(std::move(b));
  }
  if (r.reasoning) out.emplace_back(reasoning_block{*r.reasoning, {}, false, {}});
  if (r.content) out.emplace_back(text_block{*r.content, {}});
  for (auto& b : msg.content) {
    if (std::holds_alternative<tool_call_block>(b)) out.push_back(std::move(b));
  }
  for (const auto& c : r.calls) out.emplace_back(tool_call_block{c.id, c.name, c.arguments, {}});
  msg.content = std::move(out);
  msg.content_null = !r.content.has_value();
}

}  // namespace

fix_report rescue_response(chat_response& response, const std::vector<tool_spec>& tools) {
  fix_report report;
  if (tools.empty()) return report;
  const std::string text = response.message.joined_text();
  if (text.empty()) return report;
  // A whole reply can afford to look for a forced-open <think> (its closer without an opener).
  rescue_result r = rescue_text(text, options_for(tools, reasoning_start::detect));
  if (r.calls.empty()) return report;  // prose stays exactly as the model wrote it
  report.calls_rescued = static_cast<int>(r.calls.size());
  report.rescue_family = r.calls.front().family;
  rebuild(response.message, r);
  response.finish = finish_reason::tool_calls;
  return report;
}

fix_report unwrap_emulated(chat_response& response, const std::vector<tool_spec>& tools) {
  fix_report report;
  report.tools_emulated = true;
  const std::string text = response.message.joined_text();
  simdjson::dom::parser parser;
  auto doc = detail::parse_json(parser, text);
  detail::json_object obj;
  if (doc && doc->get_object().get(obj) == simdjson::SUCCESS) {
    std::string_view name;
    std::string_view answer;
    const bool has_name = obj["name"].get_string().get(name) == simdjson::SUCCESS;
    if (!has_name && obj["answer"].get_string().get(answer) == simdjson::SUCCESS) {
      // The model chose not to call a tool: its answer is the reply.
      std::vector<content_block> out;
      for (auto& b : response.message.content) {
        if (std::holds_alternative<reasoning_block>(b)) out.push_back(std::move(b));
      }
      out.emplace_back(text_block{std::string(answer), {}});
      response.message.content = std::move(out);
      response.message.content_null = false;
      return report;
    }
  }
  fix_report rescued = rescue_response(response, tools);
  rescued.tools_emulated = true;
  return rescued;
}

struct stream_fixer::impl {
  stream_rescuer rescuer;
  std::vector<stream_event> out;
  detail::block_tracker blocks{out};
  rescue_events released;
  fix_report report;
  bool in_text = false;
  bool native_open = false;
  bool rescuer_done = false;

  // Streams start as content: detecting a forced-open <think> would hold every byte of prose
  // until the end of the reply, and streaming clients need text as it comes.
  explicit impl(std::vector<tool_spec> t)
      : rescuer(options_for(std::move(t), reasoning_start::closed)) {}

  void emit_released() {
    for (auto& ev : released) {
      switch (ev.type) {
        case rescue_event::kind::content:
          blocks.ensure(block_type::text);
          blocks.delta(ev.text);
          break;
        case rescue_event::kind::reasoning:
          blocks.ensure(block_type::reasoning);
          blocks.delta(ev.text);
          break;
        case rescue_event::kind::call:
          if (report.calls_rescued++ == 0) report.rescue_family = ev.call.family;
          blocks.open_tool(ev.call.id, ev.call.name);
          blocks.delta(ev.call.arguments);
          blocks.close();
          break;
      }
    }
    released.clear();
  }

  void finish_rescuer() {
    if (rescuer_done) return;
    rescuer_done = true;
    rescuer.finish(released);
    emit_released();
  }

  void on(stream_event& ev) {
    using k = stream_event::kind;
    switch (ev.type) {
      case k::message_start:
        blocks.start(ev.id, ev.name, ev.usage);
        break;
      case k::block_start:
        if (ev.block == block_type::text) {
          in_text = true;  // rescued output decides the text blocks
        } else if (ev.block == block_type::tool_call) {
          native_open = true;
          blocks.open_tool(ev.id, ev.name);
        } else {
          native_open = true;
          blocks.ensure(ev.block);
        }
        break;
      case k::delta:
        if (in_text) {
          rescuer.feed(ev.text, released);
          emit_released();
        } else if (native_open) {
          blocks.delta(ev.text);
        }
        break;
      case k::signature:
        blocks.signature(ev.text);
        break;
      case k::block_stop:
        if (in_text) {
          in_text = false;
        } else if (native_open) {
          native_open = false;
          blocks.close();
        }
        break;
      case k::finish:
        finish_rescuer();
        blocks.finish(ev.finish, ev.text);
        break;
      case k::usage:
        blocks.usage_event(ev.usage);
        break;
      case k::message_stop:
        finish_rescuer();
        blocks.stop();
        break;
      case k::error:
        finish_rescuer();
        blocks.fail(ev.err.code, ev.err.message, ev.err.http_status);
        break;
    }
  }
};

stream_fixer::stream_fixer(std::vector<tool_spec> tools)
    : impl_(std::make_unique<impl>(std::move(tools))) {}
stream_fixer::~stream_fixer() = default;
stream_fixer::stream_fixer(stream_fixer&&) noexcept = default;
stream_fixer& stream_fixer::operator=(stream_fixer&&) noexcept = default;

void stream_fixer::process(std::vector<stream_event>& events) {
  impl_->out.clear();
  for (auto& ev : events) impl_->on(ev);
  events.swap(impl_->out);
}

const fix_report& stream_fixer::report() const noexcept { return impl_->report; }

std::vector<stream_event> response_events(const chat_response& response) {
  std::vector<stream_event> out;
  detail::block_tracker blocks(out);
  blocks.start(response.id, response.model, response.usage);
  for (const auto& b : response.message.content) {
    if (const auto* t = std::get_if<text_block>(&b)) {
      blocks.ensure(block_type::text);
      blocks.delta(t->text);
    } else if (const auto* r = std::get_if<reasoning_block>(&b)) {
      if (r->redacted) continue;
      blocks.ensure(block_type::reasoning);
      blocks.delta(r->text);
      if (!r->signature.empty()) blocks.signature(r->signature);
    } else if (const auto* c = std::get_if<tool_call_block>(&b)) {
      blocks.open_tool(c->id, c->name);
      blocks.delta(c->arguments);
      blocks.close();
    }
  }
  blocks.finish(response.finish, response.stop_sequence);
  if (response.usage.present) blocks.usage_event(response.usage);
  blocks.stop();
  return out;
}

}  // namespace v0
}  // namespace harness
