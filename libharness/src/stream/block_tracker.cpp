#include "stream/block_tracker.h"

#include "stream/encoders.h"

namespace harness::detail {

stream_event error_event(errc code, std::string message) {
  stream_event ev;
  ev.type = stream_event::kind::error;
  ev.err = make_error(code, std::move(message));
  if (code == errc::upstream_transport || code == errc::upstream_http) ev.err.http_status = 502;
  return ev;
}

stream_event& block_tracker::begin(stream_event::kind k) {
  if (sink_ == nullptr && out_ != nullptr) {
    stream_event& ev = out_->emplace_back();
    ev.type = k;
    return ev;
  }
  // Back to a default event, keeping the strings' capacity.
  stream_event& ev = event_;
  ev.type = k;
  ev.index = 0;
  ev.block = block_type::text;
  ev.id.clear();
  ev.name.clear();
  ev.text.clear();
  ev.finish = finish_reason::none;
  ev.usage = usage{};
  ev.err.code = error{}.code;
  ev.err.message.clear();
  ev.err.path.clear();
  ev.err.http_status = error{}.http_status;
  return ev;
}

void block_tracker::start(std::string_view id, std::string_view model, const usage& u) {
  if (started_) return;
  started_ = true;
  stream_event& ev = begin(stream_event::kind::message_start);
  ev.id.assign(id);
  ev.name.assign(model);
  ev.usage = u;
  commit();
}

void block_tracker::ensure(block_type type) {
  if (open_ && type_ == type && type != block_type::tool_call) return;
  close();
  open_ = true;
  type_ = type;
  index_ = next_++;
  stream_event& ev = begin(stream_event::kind::block_start);
  ev.index = index_;
  ev.block = type;
  commit();
}

void block_tracker::open_tool(std::string_view id, std::string_view name) {
  close();
  open_ = true;
  type_ = block_type::tool_call;
  saw_tool_ = true;
  index_ = next_++;
  stream_event& ev = begin(stream_event::kind::block_start);
  ev.index = index_;
  ev.block = block_type::tool_call;
  ev.id.assign(id);
  ev.name.assign(name);
  commit();
}

void block_tracker::delta(std::string_view text) {
  if (!open_ || text.empty()) return;
  stream_event& ev = begin(stream_event::kind::delta);
  ev.index = index_;
  ev.block = type_;
  ev.text.assign(text);
  commit();
}

void block_tracker::signature(std::string_view text) {
  if (!open_ || type_ != block_type::reasoning) return;
  stream_event& ev = begin(stream_event::kind::signature);
  ev.index = index_;
  ev.block = type_;
  ev.text.assign(text);
  commit();
}

void block_tracker::close() {
  if (!open_) return;
  open_ = false;
  stream_event& ev = begin(stream_event::kind::block_stop);
  ev.index = index_;
  ev.block = type_;
  commit();
}

void block_tracker::finish(finish_reason r, std::string_view stop_sequence) {
  if (finished_) return;
  close();
  finished_ = true;
  if (saw_tool_ && (r == finish_reason::stop || r == finish_reason::none)) r = finish_reason::tool_calls;
  stream_event& ev = begin(stream_event::kind::finish);
  ev.finish = r == finish_reason::none ? finish_reason::stop : r;
  ev.text.assign(stop_sequence);
  commit();
}

void block_tracker::usage_event(const usage& u) {
  stream_event& ev = begin(stream_event::kind::usage);
  ev.usage = u;
  commit();
}

void block_tracker::stop() {
  if (stopped_ || failed_) return;
  start({}, {}, usage{});
  finish(finish_reason::none);
  stopped_ = true;
  begin(stream_event::kind::message_stop);
  commit();
}

void block_tracker::fail(errc code, std::string message, int http_status) {
  if (stopped_ || failed_) return;
  failed_ = true;
  stream_event& ev = begin(stream_event::kind::error);
  ev.err = make_error(code, std::move(message));
  ev.err.http_status = http_status;
  commit();
}

}  // namespace harness::detail
