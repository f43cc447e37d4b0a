// sse.h: incremental Server-Sent Events reader and writer helpers (internal).
//
// Reader: feed it the body in any chunking; it delivers the same events as for the whole body
// (WHATWG HTML "event stream interpretation"):
//   * lines end in "\r\n", "\n" or "\r"; a "\r" ending one chunk and a "\n" starting the next are
//     one line end;
//   * a UTF-8 BOM at the very start of the stream is skipped (also when split across chunks);
//   * lines starting with ':' are comments (keep-alive pings) and are dropped without buffering;
//   * "field:value" with one leading space of the value stripped; a line without ':' is a field
//     with an empty value; fields `event`, `data` (several lines joined with '\n'), `id` (ignored
//     when it holds NUL; persists across events), `retry` (ASCII digits only); others ignored;
//   * a blank line dispatches the pending event if it had at least one data line (an event with
//     no data line is dropped, its `event` name reset), as the spec says;
//   * deviation from the spec, on purpose: finish() dispatches a pending event that has data
//     even when the final blank line (or final line end) is missing; upstreams that close the
//     connection right after their last "data: ..." line lose nothing.
//
// Speed and memory: the scan is memchr over each chunk; a line wholly inside the current chunk is
// parsed in place (no copy) and a single-line `data` event inside one chunk reaches the callback
// as a view into the caller's bytes. Only a line cut by a chunk boundary, a multi-line data field,
// or a data/event value still pending when feed() returns is copied, into buffers the reader keeps
// and reuses (no per-byte or per-event allocation once they have grown). The event callback is
// reached through one indirect call per event (a function pointer trampoline), so the parsing
// code is compiled once, in the framing module, not in every caller.
//
// Bound: an event whose data (joined) plus event name exceeds max_event_bytes, or a non-comment
// line longer than that, puts the reader into the error state framing_error::too_large: nothing
// of that event is delivered and further input is ignored until reset(). The bound is checked
// before bytes are buffered, so memory stays O(max_event_bytes) whatever the input. The outcome
// does not depend on the chunking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "framing/common.h"

namespace harness::detail {

/// One dispatched event. The views are valid only during the callback; `data` is never a null
/// view (an empty data field points at "").
struct sse_event {
  std::string_view event;  ///< the `event:` value; empty when the event had none (type "message")
  std::string_view data;   ///< `data:` lines joined with '\n' (no trailing '\n')
  std::string_view id;     ///< last event ID (the last accepted `id:` so far, possibly earlier)
  bool has_id = false;     ///< this event itself carried an accepted `id:` line
};

class sse_reader {
 public:
  explicit sse_reader(std::size_t max_event_bytes = default_max_frame_bytes) noexcept
      : max_(max_event_bytes) {}

  /// Parses `bytes`, calling `on_event(const sse_event&)` for each complete event. Returns ok().
  /// The callback must not call into this reader.
  template <class F>
  bool feed(std::string_view bytes, F&& on_event) {
    return feed_impl(bytes, sink_of(on_event));
  }

  /// End of the stream: completes a last line without line end and dispatches a pending event
  /// with data (see the deviation above). Then the reader is ready for a new stream (BOM and all),
  /// keeping error(), last_event_id() and retry_ms() until reset(). Returns ok().
  template <class F>
  bool finish(F&& on_event) {
    return finish_impl(sink_of(on_event));
  }

  bool ok() const noexcept { return err_ == framing_error::none; }
  framing_error error() const noexcept { return err_; }
  /// The last accepted `id:` value (the spec's last event ID buffer); empty when none.
  std::string_view last_event_id() const noexcept { return id_; }
  /// The last valid `retry:` value in milliseconds, -1 when none.
  std::int64_t retry_ms() const noexcept { return retry_; }
  std::size_t max_event_bytes() const noexcept { return max_; }
  /// Back to the initial state (error cleared); buffer capacity is kept for reuse.
  void reset() noexcept;

 private:
  struct sink {
    const void* ctx;
    void (*fn)(const void*, const sse_event&);
  };
  template <class F>
  static sink sink_of(F& f) noexcept {
    using T = std::remove_reference_t<F>;
    return sink{static_cast<const void*>(std::addressof(f)), [](const void* c, const sse_event& e) {
                  (*static_cast<T*>(const_cast<void*>(c)))(e);
                }};
  }

  bool feed_impl(std::string_view bytes, sink s);
  bool finish_impl(sink s);
  void scan(std::string_view bytes, sink s);
  void line(std::string_view ln, bool stable, sink s);
  void dispatch(sink s);
  void add_data(std::string_view v, bool stable);
  void set_event(std::string_view v, bool stable);
  void end_of_chunk();
  void clear_event() noexcept;
  void fail() noexcept { err_ = framing_error::too_large; }
  // Never a null view: consumers hand data() to memcpy-based parsers (simdjson), for which a
  // null pointer is undefined even with length 0 (an empty `data:` line; found by fuzz_stream).
  std::string_view pending_data() const noexcept {
    const std::string_view d = data_owned_ ? std::string_view(data_buf_) : data_;
    return d.data() != nullptr ? d : std::string_view("", 0);
  }
  std::string_view pending_event() const noexcept {
    return event_owned_ ? std::string_view(event_buf_) : event_;
  }

  std::size_t max_;
  framing_error err_ = framing_error::none;
  std::uint8_t bom_seen_ = 0;  // BOM bytes matched at the stream start
  bool bom_done_ = false;      // past the point where a BOM may appear
  bool pending_cr_ = false;    // the last chunk ended in '\r': skip one '\n' at the next start
  bool in_comment_ = false;    // the unfinished line is a comment being skipped
  std::string partial_;        // unfinished line cut by a chunk boundary

  // Pending event: data_/event_ view the current chunk (valid until feed() returns) unless the
  // *_owned_ flag says the value is in the buffer; between calls only the buffers are used, so
  // a reader may be copied or moved between feed() calls.
  std::string_view data_;
  std::string_view event_;
  std::string data_buf_;
  std::string event_buf_;
  std::size_t data_lines_ = 0;
  bool data_owned_ = false;
  bool event_owned_ = false;
  bool has_id_ = false;

  std::string id_;
  std::int64_t retry_ = -1;
};

// ---- writer helpers: append to a caller-owned buffer (reuse it across events).

/// Appends "data: <line>\n" for each line of `data` (split on "\r\n", "\n" or "\r", so the
/// reader gives back `data` with its line ends turned into '\n'), then the blank line.
void append_sse_data(std::string& out, std::string_view data);

/// Appends "event: <event>\n" (omitted when `event` is empty) and then append_sse_data(data).
/// `event` must not hold line ends; it is cut at the first one if it does.
void append_sse_event(std::string& out, std::string_view event, std::string_view data);

/// Appends a comment line ": <text>\n" followed by a blank line (a keep-alive ping).
void append_sse_comment(std::string& out, std::string_view text);

}  // namespace harness::detail
