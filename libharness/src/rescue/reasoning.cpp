// reasoning.cpp: reasoning blocks (explicit, forced-open detection, Harmony analysis), the
// policy-7 tail of a block that never closes, and code spans shown as content.
#include "rescue/machine.h"
#include "rescue/scan.h"

namespace harness::detail::rescue {
namespace {

bool detect_decides_closed(tk t) noexcept {
  return is_reasoning_open(t) || t == tk::gchan_o || t == tk::h_start || t == tk::h_channel;
}

}  // namespace

// ---- detect: does the reply start inside a forced-open reasoning block? ----

bool machine::step_detect() {
  const std::size_t e = end();
  std::size_t i = detect_scan_ < pos_ ? pos_ : detect_scan_;
  // With the whole reply here, only a reasoning closer ahead can make detection release
  // anything; every other outcome is normal mode at pos_. One pass over '<' and '[' (where
  // every closer starts) settles a reply without one, instead of the stateful scan, which
  // stops at every newline and backtick.
  if (eof_ && !det_closer_checked_) {
    det_closer_checked_ = true;
    bool closer = false;
    for (std::size_t q = i; !closer && q < e; ++q) {
      q = base_ + scan_angle_or_bracket(text_.data(), q - base_, e - base_);
      if (q >= e) break;
      const marker_match m = marker_at(q);
      closer = m.k == marker_match::kind::full && is_reasoning_close(m.token);
    }
    if (!closer) {
      mode_ = mode::normal;
      return true;
    }
  }
  while (i < e) {
    if (det_string_) {  // inside a JSON string of a call: no marker counts here
      const std::size_t q = base_ + scan_any<'"', '\\'>(text_.data(), i - base_, e - base_);
      if (q >= e) {
        i = e;
        break;
      }
      if (at(q) == '\\') {
        if (q + 1 >= e && !eof_) {
          i = q;
          break;
        }
        i = q + 2;
        continue;
      }
      det_string_ = false;
      i = q + 1;
      continue;
    }
    if (!det_first_) {
      const std::size_t q =
          base_ + (det_in_call_ ? scan_any<'<', '[', '`', '\n', '"'>(text_.data(), i - base_, e - base_)
                                : scan_detect(text_.data(), i - base_, e - base_));
      if (q > i) {
        if (view(i, q).find_first_not_of(" \t\r\f\v") != std::string_view::npos) {
          det_line_start_ = false;
        }
        i = q;
        continue;
      }
    }
    const char c = at(i);
    if (c == '"' && det_in_call_ && !det_fence_ && det_inline_ == 0) {
      det_string_ = true;
      ++i;
      continue;
    }
    if (c == '\n') {
      det_line_start_ = true;
      if (det_inline_ > 0 && det_inline_ < 3) det_inline_ = 0;
      ++i;
      continue;
    }
    if (c == '`') {
      std::size_t j = i;
      while (j < e && at(j) == '`' && j - i < max_tick_run) ++j;
      if (j == e && !eof_) break;
      if (det_first_ && j - i >= 3) {  // a reply that opens with a fence is not reasoning
        mode_ = mode::normal;
        return true;
      }
      det_first_ = false;
      const std::size_t n = j - i;
      if (det_inline_ > 0) {
        if (n == det_inline_) det_inline_ = 0;
      } else if (n >= 3 && det_line_start_) {
        det_fence_ = !det_fence_;
      } else if (!det_fence_) {
        det_inline_ = n;
      }
      det_line_start_ = false;
      i = j;
      continue;
    }
    const bool first = det_first_;
    if (!det_fence_ && det_inline_ == 0 && (c == '<' || c == '[' || (first && c == '{'))) {
      const marker_match m = marker_at(i);
      if (m.k == marker_match::kind::partial) break;
      det_first_ = false;
      // A reply that opens with a call or JSON is not reasoning: decide now, so that a
      // closer inside its arguments cannot turn it into reasoning.
      if (first && (c == '{' || (m.k == marker_match::kind::full && !is_reasoning_close(m.token)) ||
                    (c == '[' && m.k == marker_match::kind::none))) {
        mode_ = mode::normal;
        return true;
      }
      if (m.k == marker_match::kind::full) {
        if (is_reasoning_close(m.token)) {
          // Forced-open reasoning: everything before the orphan closer is reasoning.
          out_.reasoning_break();
          out_.reasoning(view(pos_, i));
          out_.reasoning_break();
          out_.content_break();
          pos_ = i + m.len;
          mode_ = mode::normal;
          line_start_ = true;
          return true;
        }
        if (detect_decides_closed(m.token)) {
          mode_ = mode::normal;
          return true;
        }
        // After a call opener, a closer inside the call's JSON strings must not count.
        if (is_call_opener(m.token)) det_in_call_ = true;
        i += m.len;
        det_line_start_ = false;
        continue;
      }
    }
    if (!is_hspace(c)) det_line_start_ = false;
    if (!is_space(c)) det_first_ = false;
    ++i;
  }
  if (i >= e && eof_) {
    mode_ = mode::normal;
    return true;
  }
  const bool moved = i != detect_scan_;
  detect_scan_ = i;
  return moved;
}

// ---- reasoning ----

void machine::enter_reasoning(rkind kind, tk closer) {
  out_.content_break();
  out_.reasoning_break();
  rkind_ = kind;
  rclose_ = closer;
  mode_ = mode::reasoning;
}

bool machine::reasoning_closes(tk t, bool& consume) const noexcept {
  consume = true;
  switch (rkind_) {
    case rkind::one: return t == rclose_;
    case rkind::any: return is_reasoning_close(t);
    case rkind::harmony:
      if (t == tk::h_end || t == tk::h_return || t == tk::h_call) return true;
      if (t == tk::h_start || t == tk::h_channel) {
        consume = false;
        return true;
      }
      return false;
  }
  return false;
}

bool machine::step_reasoning() {
  const std::size_t e = end();
  if (pos_ >= e) {
    if (!eof_) return false;
    out_.reasoning_break();
    mode_ = mode::normal;
    return true;
  }
  const std::size_t q = base_ + scan_angle_or_bracket(text_.data(), pos_ - base_, e - base_);
  if (q > pos_) {
    out_.reasoning(view(pos_, q));
    pos_ = q;
    return true;
  }
  const marker_match m = marker_at(pos_);
  if (m.k == marker_match::kind::partial) return false;
  if (m.k == marker_match::kind::full) {
    bool consume = true;
    if (reasoning_closes(m.token, consume)) {
      out_.reasoning_break();
      out_.content_break();
      if (consume) pos_ += m.len;
      mode_ = mode::normal;
      line_start_ = true;
      return true;
    }
    if (is_call_opener(m.token) && m.token != tk::functionary && m.token != tk::response_o &&
        ctx_.any_tools() && depth_ < 2) {
      // Policy 7: a native start marker in a reasoning block that never closes ends it.
      mode_ = mode::suspect;
      suspect_start_ = pos_;
      suspect_scan_ = pos_ + m.len;
      return true;
    }
    out_.reasoning(view(pos_, pos_ + m.len));
    pos_ += m.len;
    return true;
  }
  out_.reasoning(view(pos_, pos_ + 1));
  ++pos_;
  return true;
}

bool machine::step_suspect() {
  const std::size_t e = end();
  std::size_t i = suspect_scan_;
  while (i < e) {
    const std::size_t q = base_ + scan_angle_or_bracket(text_.data(), i - base_, e - base_);
    if (q >= e) {
      i = e;
      break;
    }
    const marker_match m = marker_at(q);
    if (m.k == marker_match::kind::partial) {
      i = q;
      break;
    }
    bool consume = true;
    if (m.k == marker_match::kind::full && reasoning_closes(m.token, consume)) {
      // The block closes after all: everything was reasoning.
      out_.reasoning(view(suspect_start_, q));
      out_.reasoning_break();
      out_.content_break();
      pos_ = consume ? q + m.len : q;
      mode_ = mode::normal;
      line_start_ = true;
      return true;
    }
    i = q + (m.k == marker_match::kind::full ? m.len : 1);
  }
  if (i >= e && eof_) {
    resolve_suspect();
    return true;
  }
  const bool moved = i != suspect_scan_;
  suspect_scan_ = i;
  return moved;
}

void machine::resolve_suspect() {
  std::vector<piece> rec;
  sink nested(&rec);
  machine m(ctx_, nested, depth_ + 1, reply_start_, reasoning_start::closed);
  m.feed_all(view(suspect_start_, end()));
  bool has_call = false;
  for (const auto& p : rec) has_call = has_call || p.k == piece::kind::call;
  if (has_call) {
    out_.reasoning_break();
    out_.content_break();
    out_.replay(rec);
    reply_start_ = false;
  } else {
    out_.reasoning(view(suspect_start_, end()));
    out_.reasoning_break();
  }
  pos_ = end();
  mode_ = mode::normal;
}

// ---- code spans shown as content ----

bool machine::step_inline() {
  const std::size_t e = end();
  if (pos_ >= e) {
    if (!eof_) return false;
    mode_ = mode::normal;
    return true;
  }
  const char c = at(pos_);
  if (c == '`') {
    std::size_t j = pos_;
    while (j < e && at(j) == '`' && j - pos_ < max_tick_run) ++j;
    if (j == e && !eof_) return false;
    const std::size_t n = j - pos_;
    release(pos_, j);
    pos_ = j;
    if (n == tick_len_) mode_ = mode::normal;
    return true;
  }
  if (c == '\n' && tick_len_ < 3) {
    release(pos_, pos_ + 1);
    ++pos_;
    mode_ = mode::normal;
    return true;
  }
  std::size_t q = pos_;
  while (q < e && at(q) != '`' && at(q) != '\n') ++q;
  if (q == pos_) ++q;
  release(pos_, q);
  pos_ = q;
  return true;
}

bool machine::step_fence_content() {
  const std::size_t e = end();
  if (pos_ >= e) {
    if (!eof_) return false;
    mode_ = mode::normal;
    return true;
  }
  if (fence_line_start_) {
    std::size_t i = pos_;
    while (i < e && at(i) == ' ' && i - pos_ < 3) ++i;
    std::size_t j = i;
    while (j < e && at(j) == '`' && j - i < max_tick_run) ++j;
    if (j == e && !eof_) return false;
    fence_line_start_ = false;
    if (j - i >= tick_len_) {
      release(pos_, j);
      pos_ = j;
      mode_ = mode::normal;
      return true;
    }
  }
  const std::size_t nl = find_byte(pos_, '\n');
  if (nl == npos) {
    release(pos_, e);
    pos_ = e;
    return true;
  }
  release(pos_, nl + 1);
  pos_ = nl + 1;
  fence_line_start_ = true;
  return true;
}

}  // namespace harness::detail::rescue
