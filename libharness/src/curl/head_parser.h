// head_parser.h: assembles the response head from libcurl's header callback lines.
//
// libcurl hands the header callback every header line of every header block it receives: the
// interim `100 Continue` (and other 1xx) blocks, the final block, and trailers after a chunked
// body. Only the final block is the response head; 1xx blocks are dropped, trailers ignored.
#pragma once

#include <string_view>

#include <harness/transport.h>

namespace harness::detail {

class head_parser {
 public:
  /// Feeds one line as libcurl passes it (CRLF included, maybe without). Returns true exactly
  /// once: when the blank line that ends the final (non-1xx) block arrives.
  bool feed(std::string_view line);

  /// True once the final block ended; later lines (trailers) are ignored.
  bool done() const noexcept { return done_; }
  /// The status of the block being read or of the final one; 0 before any status line.
  int status() const noexcept { return status_; }
  /// Headers of the block being read or of the final one; names lower-cased, values trimmed.
  const header_list& headers() const noexcept { return headers_; }

 private:
  header_list headers_;
  int status_ = 0;
  bool in_block_ = false;
  bool done_ = false;
};

}  // namespace harness::detail
