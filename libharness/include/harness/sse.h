// sse.h: Server-Sent Events (text/event-stream) read from bytes as they arrive.
//
// For event streams that are not model streams: harness-server's live feed
// (GET /v1/harness/events, read by `harness-cli watch`), or any other SSE endpoint. Model
// streams need no separate framing: the decoders in stream.h read SSE themselves.
//
// The rules are the WHATWG HTML "event stream interpretation": lines end in CR, LF or CRLF
// (also when a chunk boundary splits CRLF); a BOM at the start is skipped; lines starting with
// ':' are comments; `data:` lines are joined with '\n'; a blank line delivers an event that had
// data. One deviation: finish() also delivers a last event whose blank line never came.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <harness/result.h>

namespace harness::detail {
class sse_reader;
}  // namespace harness::detail

namespace harness {
inline namespace v0 {

/// One event, copied out of the stream.
struct sse_message {
  std::string event = "message";  ///< the `event:` field; "message" when the event had none
  std::string data;               ///< its `data:` lines joined with '\n'
  std::string id;                 ///< the stream's last event ID (`id:`) so far; empty if none
};

/// Splits a byte stream into events; the outcome does not depend on how the bytes are chunked.
/// Not thread-safe: one parser per stream. A moved-from parser may only be destroyed or assigned.
class sse_parser {
 public:
  /// An event whose data and name together exceed `max_event_bytes` (or a line that long) is an
  /// error instead of unbounded buffering.
  explicit sse_parser(std::size_t max_event_bytes = std::size_t{16} << 20);
  ~sse_parser();
  sse_parser(sse_parser&&) noexcept;
  sse_parser& operator=(sse_parser&&) noexcept;

  /// The events `bytes` completed, in order. An event over the bound stops the parser: the
  /// events before it are still returned, ok() turns false, and input is ignored until reset().
  std::vector<sse_message> feed(std::string_view bytes);
  /// End of the stream: a last line without line end and a last event without blank line.
  std::vector<sse_message> finish();
  bool ok() const noexcept;
  /// Why ok() is false (errc::invalid_request naming the bound); a default error when ok().
  harness::error error() const;
  /// Ready for a new stream (error and last event ID cleared).
  void reset() noexcept;

 private:
  std::unique_ptr<detail::sse_reader> reader_;
};

}  // namespace v0
}  // namespace harness
