// block_tracker.h: keeps decoded events in canonical order (one open block at a time, indexes
// counted across all block types), shared by the three stream decoders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <harness/stream.h>

namespace harness::detail {

class block_tracker {
 public:
  explicit block_tracker(std::vector<stream_event>& out) : out_(&out) {}
  void rebind(std::vector<stream_event>& out) { out_ = &out; }

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
  std::vector<stream_event>* out_;
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
