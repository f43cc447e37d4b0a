// sse_reader.h: splits a text/event-stream into events as bytes arrive (any chunking).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace harness_cli {

struct sse_message {
  std::string event = "message";  ///< the `event:` field; "message" when none was given
  std::string data;               ///< `data:` lines joined by '\n'
};

/// Incremental SSE parser (the WHATWG event-stream rules the proxy's events need): `event:` and
/// `data:` fields, comments (`: ping`) ignored, CRLF or LF line ends, a blank line dispatches.
class sse_reader {
 public:
  /// Feeds the next bytes; returns the events they completed, in order.
  std::vector<sse_message> feed(std::string_view bytes);

 private:
  std::string line_;     // the incomplete last line
  sse_message current_;
  bool has_data_ = false;
  void take_line(std::string_view line, std::vector<sse_message>& out);
};

}  // namespace harness_cli
