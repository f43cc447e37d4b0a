// machine.h: the incremental rescuer. rescue_text is this machine fed the whole text at once;
// the stream rescuer feeds it chunk by chunk. Every decision is a function of the bytes seen
// so far that answers "wait" until those bytes determine it, so the output never depends on
// the chunking (rescue-formats.md C.4-C.5).
//
// Cost: every byte is scanned a bounded number of times. Scans that may wait (a call's end, a
// closing fence, a reasoning closer) keep their position and resume; the parse of a span runs
// once, when its end is known; lookahead checks are bounded in length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rescue/context.h"
#include "rescue/markers.h"
#include "rescue/sink.h"

namespace harness::detail::rescue {

/// Balanced-bracket scanner state (strings and their escapes skipped).
struct balance {
  std::uint32_t depth = 0;
  char quote = 0;  ///< '"' or '\'' inside a quoted string; 'e' <escape>, 'g' <|"|> (Gemma)
  bool triple = false;
  bool escape = false;
};

class machine {
 public:
  /// `depth` > 0 for nested runs (a fence body, a reasoning tail); `reply_start` tells whether
  /// nothing but whitespace, markup or reasoning came before.
  machine(const context& ctx, sink& out, int depth, bool reply_start, reasoning_start start);

  void feed(std::string_view chunk);
  void finish();
  /// The whole text at once, read in place (it must outlive the call); implies finish().
  void feed_all(std::string_view text);

 private:
  enum class mode : std::uint8_t {
    detect,
    normal,
    reasoning,
    suspect,
    inline_code,
    fence_content,
    construct
  };
  enum class ck : std::uint8_t {
    wrapper,
    func_tag,
    invoke_tag,
    mistral,
    python_tag,
    granite,
    functools,
    gigachat,
    calling_tool,
    section,
    harmony,
    gemma_channel,
    functionary,
    reply_name,
    untagged,
    fence,
    action
  };
  enum class stage : std::uint8_t {
    check,
    pick,
    value,
    after_value,
    closer,
    header,
    fence_info,
    fence_check,
    fence_close,
    done
  };
  enum class result : std::uint8_t { wait, reject, done };
  enum class rkind : std::uint8_t { one, any, harmony };

  struct construct {
    ck kind = ck::wrapper;
    tk opener = tk::none;
    std::size_t start = 0;    // first byte of the span
    std::size_t body = 0;     // first byte after the opener
    std::size_t payload = 0;  // where the payload (or the value) starts
    std::size_t scan = 0;     // resume position of the current stage
    stage st = stage::check;
    balance bal;
    syntax sx = syntax::json;
    bool multi = false;
    bool consume_closer = true;
    bool markup_fallback = false;   // <response>: not a call -> the tag is markup
    bool raw_body = false;          // python_tag raw code
    bool reply_start = false;       // nothing but markup/reasoning came before the span
    bool pick_closer_else = false;  // pick: a non-value payload searches the closer
    bool line_pending = false;      // fence_close: `scan` is a line start to examine
    std::string_view pick_open;     // pick: bytes that start a value payload
    std::size_t fence_body = 0;     // first byte after the opening backtick run
    char trail = 0;                 // literal consumed after the value (']' of [Calling tool:)
    tk closers[3] = {tk::none, tk::none, tk::none};
    std::size_t value_end = 0;
    std::size_t closer_at = npos;
    std::size_t span_end = npos;
    std::size_t fence_len = 0;
    std::string name;
    std::string channel;
  };

  struct gitem {
    enum class kind : std::uint8_t { sep, markup, untagged, native, response };
    kind k = kind::sep;
    std::size_t from = 0;
    std::size_t to = 0;
    std::vector<rescued_call> calls;
    std::string text;
  };

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // buffer
  std::size_t end() const noexcept { return base_ + text_.size(); }
  char at(std::size_t abs) const noexcept { return text_[abs - base_]; }
  std::string_view view(std::size_t from, std::size_t to) const noexcept {
    return text_.substr(from - base_, to - from);
  }
  marker_match marker_at(std::size_t abs) const;
  std::size_t find_byte(std::size_t from, char c) const noexcept;
  void compact();
  void run();

  // output helpers
  void release(std::size_t from, std::size_t to);
  void note_content(std::string_view s) noexcept;
  void note_run(std::string_view s) noexcept;
  void remove_markup(std::size_t to);
  void emit_calls(std::vector<rescued_call>& calls);

  // modes (machine.cpp)
  bool step_detect();
  bool step_normal();
  bool step_group();
  bool step_reasoning();
  bool step_suspect();
  bool step_inline();
  bool step_fence_content();
  bool line_start_check(bool in_group, result& r);
  bool on_token(const marker_match& m);
  void enter_reasoning(rkind kind, tk closer);
  bool reasoning_closes(tk t, bool& consume) const noexcept;
  void resolve_suspect();
  void accept_group();
  void reject_group();
  bool group_allows_token(tk t) const noexcept;

  // constructs (constructs.cpp)
  void begin(ck kind, tk opener, std::size_t start, std::size_t body);
  bool step_construct();
  result advance();
  result check();
  result pick();
  result scan_value();
  result after_value();
  result scan_closer();
  result scan_header();
  result fence_info();
  result fence_check();
  result fence_close();
  result skip_space();
  result name_run(std::size_t from, std::size_t& run_end, std::size_t limit) const;
  result payload_start(std::size_t p);
  void set_value(std::size_t at, bool multi, syntax sx);
  void set_pick(std::size_t from, std::string_view open, bool closer_else);
  void set_closers(std::initializer_list<tk> list, bool consume = true);
  bool is_closer(tk t) const noexcept;
  void finish_construct();
  void early_reject();
  bool parse_span(std::vector<call_draft>& out, std::string& response) const;
  bool fence_body_calls(std::string_view body, std::vector<rescued_call>& calls) const;

  const context& ctx_;
  sink& out_;
  int depth_;
  std::string buf_;        // owned bytes when fed in chunks
  std::string_view text_;  // the bytes from base_: buf_, or the caller's text (feed_all)
  std::size_t base_ = 0;
  bool eof_ = false;
  bool finished_ = false;

  mode mode_ = mode::normal;
  std::size_t pos_ = 0;
  bool line_start_ = true;
  bool reply_start_ = true;
  bool after_call_ = false;

  // detect
  std::size_t detect_scan_ = 0;
  bool det_line_start_ = true;
  bool det_first_ = true;     // no non-blank byte seen yet
  bool det_in_call_ = false;  // a call opener was seen: skip JSON strings
  bool det_string_ = false;   // inside such a string
  bool det_fence_ = false;
  std::size_t det_inline_ = 0;
  bool det_closer_checked_ = false;  // the whole-reply shortcut was tried

  // reasoning / suspect
  rkind rkind_ = rkind::one;
  tk rclose_ = tk::none;
  std::size_t suspect_start_ = 0;
  std::size_t suspect_scan_ = 0;

  // inline code / fenced code shown as content
  std::size_t tick_len_ = 0;
  bool fence_line_start_ = false;

  // pending candidates: untagged calls that must turn out to be the last thing in the reply
  bool group_active_ = false;
  std::size_t group_start_ = 0;
  std::vector<gitem> group_;

  construct c_;
};

}  // namespace harness::detail::rescue
