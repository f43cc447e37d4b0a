// sink.h: where the rescuer's decisions go. It applies the content rule incrementally (each
// segment trimmed, empty ones dropped, segments joined with "\n\n"), never splits a UTF-8
// sequence, and gives calls their deterministic ids.
#pragma once

#include <harness/rescue.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace harness::detail::rescue {

/// A raw decision, before the content rule: recorded by nested runs and replayed.
struct piece {
  enum class kind { content, content_break, reasoning, reasoning_break, call };
  kind k = kind::content;
  std::string text;
  rescued_call call;
};

/// Streams one channel (content or reasoning) through the content rule.
class segment_writer {
 public:
  /// Appends what `s` releases to `out`.
  void text(std::string_view s, std::string& out);
  /// A removed span: ends the current segment.
  void brk() noexcept {
    ws_.clear();
    at_start_ = true;
  }
  /// End of stream: drops held whitespace, releases any held bytes.
  void finish(std::string& out);

 private:
  void put(std::string_view s, std::string& out);
  bool any_ = false;
  bool at_start_ = true;
  std::string ws_;
  std::string tail_;
};

class sink {
 public:
  /// Nested runs record pieces; the top level writes events (set_events before each feed).
  explicit sink(std::vector<piece>* record) : record_(record) {}
  /// Writes straight into a result (rescue_text); call finish() before reading it.
  explicit sink(rescue_result* direct) : direct_(direct) {}
  sink() = default;
  void set_events(rescue_events* events) noexcept { events_ = events; }
  /// Direct mode: room for `n` bytes of content (released content never exceeds the input).
  void reserve(std::size_t n) { direct_content_.reserve(n); }

  void content(std::string_view s);
  void content_break();
  void reasoning(std::string_view s);
  void reasoning_break();
  void call(rescued_call c);
  void replay(const std::vector<piece>& pieces);
  void finish();

 private:
  void write(rescue_event::kind kind, segment_writer& w, std::string_view s, bool finish);

  std::vector<piece>* record_ = nullptr;
  rescue_events* events_ = nullptr;
  rescue_result* direct_ = nullptr;
  segment_writer content_;
  segment_writer reasoning_;
  std::size_t calls_ = 0;
  std::string direct_content_;
  std::string direct_reasoning_;
};

}  // namespace harness::detail::rescue
