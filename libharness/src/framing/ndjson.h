// ndjson.h: incremental newline-delimited JSON framer (internal). It frames lines; it does not
// parse JSON.
//
// Lines end in '\n'; one trailing '\r' of a line is stripped; empty lines (also "\r" alone) are
// skipped; finish() delivers a last line that has no '\n'. Fed any chunking of a body it gives
// the same lines as fed the whole body.
//
// Speed: memchr per line; a line wholly inside the current chunk reaches the callback as a view
// into the caller's bytes; a line cut by a chunk boundary is assembled in a buffer the reader
// reuses. One indirect call per line (function pointer trampoline), parsing compiled once in the
// framing module.
//
// Bound: a line longer than max_line_bytes (after the '\r' strip) puts the reader into the error
// state framing_error::too_large (the line is not delivered; further input is ignored until
// reset()). At most max_line_bytes + 1 bytes are ever buffered. The outcome does not depend on
// the chunking.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "framing/common.h"

namespace harness::detail {

class ndjson_reader {
 public:
  explicit ndjson_reader(std::size_t max_line_bytes = default_max_frame_bytes) noexcept
      : max_(max_line_bytes) {}

  /// Parses `bytes`, calling `on_line(std::string_view)` for each complete non-empty line (the
  /// view is valid only during the call; the callback must not call into this reader).
  /// Returns ok().
  template <class F>
  bool feed(std::string_view bytes, F&& on_line) {
    return feed_impl(bytes, sink_of(on_line));
  }

  /// End of the stream: delivers a last line without '\n'; then the reader is ready for a new
  /// stream (error() stays until reset()). Returns ok().
  template <class F>
  bool finish(F&& on_line) {
    return finish_impl(sink_of(on_line));
  }

  bool ok() const noexcept { return err_ == framing_error::none; }
  framing_error error() const noexcept { return err_; }
  std::size_t max_line_bytes() const noexcept { return max_; }
  /// Back to the initial state (error cleared); buffer capacity is kept for reuse.
  void reset() noexcept {
    err_ = framing_error::none;
    partial_.clear();
  }

 private:
  struct sink {
    const void* ctx;
    void (*fn)(const void*, std::string_view);
  };
  template <class F>
  static sink sink_of(F& f) noexcept {
    using T = std::remove_reference_t<F>;
    return sink{static_cast<const void*>(std::addressof(f)), [](const void* c, std::string_view l) {
                  (*static_cast<T*>(const_cast<void*>(c)))(l);
                }};
  }

  bool feed_impl(std::string_view bytes, sink s);
  bool finish_impl(sink s);
  void deliver(std::string_view ln, sink s);

  std::size_t max_;
  framing_error err_ = framing_error::none;
  std::string partial_;  // unfinished line cut by a chunk boundary
};

}  // namespace harness::detail
