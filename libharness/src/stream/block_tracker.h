// block_tracker.h: keeps decoded events in canonical order (one open block at a time, indexes
// counted across all block types), shared by the three stream decoders.
//
// Events go either to the end of a caller's vector or to a sink; for a sink the tracker fills
// one event object it keeps, so its strings' capacity is reused and no event is allocated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <harness/stream.h>

namespace harness::detail {

class block_tracker {
 public:
  block_tracker() = default;
  explicit block_tracker(std::vector<stream_event>& out) noexcept : out_(&out) {}

  /// Where the next events go (the tracker keeps the reference until the next rebind).
  void rebind(std::vector<stream_event>& out) noexcept {
    out_ = &out;
    sink_ = nullptr;
  }
  void rebind(stream_event_sink& sink) noexcept {
    sink_ = &sink;
    out_ = nullptr;
  }

  /// message_start once (later calls are ignored).
  void start(std::string_view id, std::string_view model, const usage& u);
  bool started() const noexcept { return started_; }

  /// Opens a block of `type` unless one of that type is already open (text and reasoning
  /// continue; tool calls always get a new block).
  void ensure(block_type type);
  void open_tool(std::string_view id, std::string_view name);
  void delta(std::string_view text);
  void signature(std::string_view text);
  void close();
  bool open() const noexcept { return open_; }
  block_type open_type() const noexcept { return type_; }
  bool saw_tool_call() const noexcept { return saw_tool_; }

  void finish(finish_reason r, std::string_view stop_sequence = {});
  bool finished() const noexcept { return finished_; }
  void usage_event(const usage& u);
  /// Closes the block, adds finish (when none was given: stop, or tool_calls after a call)
  /// and message_stop.
  void stop();
  bool stopped() const noexcept { return stopped_; }
  void fail(errc code, std::string message, int http_status = 502);
  bool failed() const noexcept { return failed_; }

 private:
  /// A blank event of kind `k` to fill: a new element of out_, or the reused event_.
  stream_event& begin(stream_event::kind k);
  /// Hands a filled event_ to the sink (nothing to do for a vector).
  void commit() {
    if (sink_ != nullptr) sink_->on_event(event_);
  }

  std::vector<stream_event>* out_ = nullptr;
  stream_event_sink* sink_ = nullptr;
  stream_event event_;  // reused for the sink
  bool started_ = false;
  bool open_ = false;
  bool saw_tool_ = false;
  bool finished_ = false;
  bool stopped_ = false;
  bool failed_ = false;
  block_type type_ = block_type::text;
  std::size_t index_ = 0;
  std::size_t next_ = 0;
};

}  // namespace harness::detail
