// machine.cpp: the buffer, the driver loop, output helpers and normal mode (prose, markers,
// top-level candidates at line starts).
#include "rescue/machine.h"

#include <cstring>

#include "rescue/scan.h"

namespace harness::detail::rescue {

machine::machine(const context& ctx, sink& out, int depth, bool reply_start, reasoning_start start)
    : ctx_(ctx), out_(out), depth_(depth), reply_start_(reply_start) {
  if (start == reasoning_start::detect) mode_ = mode::detect;
  if (start == reasoning_start::open) enter_reasoning(rkind::any, tk::none);
}

void machine::feed(std::string_view chunk) {
  if (eof_) return;
  buf_.append(chunk);
  text_ = buf_;
  run();
}

void machine::feed_all(std::string_view text) {
  if (eof_) return;
  if (buf_.empty() && base_ == 0) {
    text_ = text;  // read in place: no copy of the reply
  } else {
    buf_.append(text);
    text_ = buf_;
  }
  eof_ = true;
  run();
}

void machine::finish() {
  if (eof_) return;
  eof_ = true;
  run();
}

marker_match machine::marker_at(std::size_t abs) const {
  return match_marker(text_, abs - base_, eof_);
}

std::size_t machine::find_byte(std::size_t from, char c) const noexcept {
  if (from >= end()) return npos;
  const void* hit = std::memchr(text_.data() + (from - base_), c, end() - from);
  return hit ? base_ + static_cast<std::size_t>(static_cast<const char*>(hit) - text_.data())
             : npos;
}

void machine::compact() {
  std::size_t keep = pos_;
  if (mode_ == mode::construct && c_.start < keep) keep = c_.start;
  if (mode_ == mode::suspect && suspect_start_ < keep) keep = suspect_start_;
  if (group_active_ && group_start_ < keep) keep = group_start_;
  const std::size_t drop = keep - base_;
  if (text_.data() == buf_.data() && drop >= 4096 && drop * 2 >= buf_.size()) {
    buf_.erase(0, drop);
    base_ = keep;
    text_ = buf_;
  }
}

void machine::run() {
  for (;;) {
    bool progressed = false;
    switch (mode_) {
      case mode::detect: progressed = step_detect(); break;
      case mode::normal: progressed = step_normal(); break;
      case mode::reasoning: progressed = step_reasoning(); break;
      case mode::suspect: progressed = step_suspect(); break;
      case mode::inline_code: progressed = step_inline(); break;
      case mode::fence_content: progressed = step_fence_content(); break;
      case mode::construct: progressed = step_construct(); break;
    }
    if (!progressed) break;
  }
  compact();
}

// ---- output helpers ----

void machine::note_content(std::string_view s) noexcept {
  constexpr std::string_view hspace = " \t\r\f\v";
  const auto nl = s.rfind('\n');
  const std::string_view tail = nl == std::string_view::npos ? s : s.substr(nl + 1);
  const bool tail_text = tail.find_first_not_of(hspace) != std::string_view::npos;
  if (nl != std::string_view::npos) {
    line_start_ = !tail_text;
  } else if (tail_text) {
    line_start_ = false;
  }
  if (tail_text || (nl != std::string_view::npos &&
                    s.substr(0, nl).find_first_not_of(" \t\r\f\v\n") != std::string_view::npos)) {
    reply_start_ = false;
    after_call_ = false;
  }
}

void machine::note_run(std::string_view s) noexcept {
  if (s.find_first_not_of(" \t\r\f\v") != std::string_view::npos) {
    line_start_ = false;
    reply_start_ = false;
    after_call_ = false;
  }
}

void machine::release(std::size_t from, std::size_t to) {
  if (from >= to) return;
  const std::string_view s = view(from, to);
  out_.content(s);
  note_content(s);
}

void machine::remove_markup(std::size_t to) {
  out_.content_break();
  pos_ = to;
  line_start_ = true;
}

void machine::emit_calls(std::vector<rescued_call>& calls) {
  out_.content_break();
  for (auto& c : calls) out_.call(std::move(c));
  out_.content_break();
  after_call_ = true;
  line_start_ = true;
  reply_start_ = false;
}

// ---- normal ----

bool machine::step_normal() {
  const std::size_t e = end();
  if (pos_ >= e) {
    if (eof_ && group_active_) {
      accept_group();
      return true;
    }
    return false;
  }
  if (group_active_) return step_group();
  if (line_start_) {
    if (is_space(at(pos_))) {
      std::size_t j = pos_;
      while (j < e && is_space(at(j))) ++j;
      release(pos_, j);
      pos_ = j;
      return true;
    }
    result r = result::reject;
    if (line_start_check(false, r)) return true;
    if (r == result::wait) return false;
    line_start_ = false;
  }
  const std::size_t q = base_ + scan_lead(text_.data(), pos_ - base_, e - base_);
  if (q > pos_) {
    const std::string_view run = view(pos_, q);  // no newline: it is a lead byte
    out_.content(run);
    note_run(run);
    pos_ = q;
    return true;
  }
  const char c = at(pos_);
  if (c == '\n') {
    release(pos_, pos_ + 1);
    ++pos_;
    return true;
  }
  if (c == '`') {
    std::size_t j = pos_;
    while (j < e && at(j) == '`' && j - pos_ < max_tick_run) ++j;
    if (j == e && !eof_) return false;
    tick_len_ = j - pos_;
    release(pos_, j);
    pos_ = j;
    mode_ = mode::inline_code;
    return true;
  }
  const marker_match m = marker_at(pos_);
  if (m.k == marker_match::kind::partial) return false;
  if (m.k == marker_match::kind::full && on_token(m)) return true;
  release(pos_, pos_ + 1);
  ++pos_;
  return true;
}

bool machine::on_token(const marker_match& m) {
  const tk t = m.token;
  const std::size_t after = pos_ + m.len;
  if (is_reasoning_open(t)) {
    enter_reasoning(rkind::one, reasoning_closer(t));
    pos_ = after;
    return true;
  }
  if (t == tk::gchan_o) {
    begin(ck::gemma_channel, t, pos_, after);
    return true;
  }
  if (t == tk::h_start || t == tk::h_channel) {
    begin(ck::harmony, t, pos_, after);
    return true;
  }
  if (is_reasoning_close(t) || is_markup(t)) {
    remove_markup(after);
    return true;
  }
  if (is_call_closer(t)) {
    if (!after_call_) return false;
    remove_markup(after);
    return true;
  }
  if (!ctx_.any_tools()) {
    if (t != tk::response_o) return false;
    remove_markup(after);
    return true;
  }
  switch (t) {
    case tk::response_o:
      begin(ck::wrapper, t, pos_, after);
      c_.markup_fallback = true;
      return true;
    case tk::func_eq:
    case tk::func_name: begin(ck::func_tag, t, pos_, after); return true;
    case tk::invoke_o: begin(ck::invoke_tag, t, pos_, after); return true;
    case tk::mistral: begin(ck::mistral, t, pos_, after); return true;
    case tk::python_tag: begin(ck::python_tag, t, pos_, after); return true;
    case tk::granite: begin(ck::granite, t, pos_, after); return true;
    case tk::calling_tool: begin(ck::calling_tool, t, pos_, after); return true;
    case tk::functionary: begin(ck::functionary, t, pos_, after); return true;
    case tk::ds_calls_b:
    case tk::ds_call_b:
    case tk::kimi_sec_b:
    case tk::dsml_o: begin(ck::section, t, pos_, after); return true;
    default:
      if (wrapper_closer(t) == tk::none) return false;
      begin(ck::wrapper, t, pos_, after);
      return true;
  }
}

// At the first non-blank byte of a line (or anywhere inside a group): top-level candidates.
// Returns true when it acted; otherwise `r` is wait (undecided) or reject (nothing here).
bool machine::line_start_check(bool in_group, result& r) {
  const std::size_t e = end();
  const char c = at(pos_);
  r = result::reject;
  if (!in_group) {
    if (c == '`') {
      std::size_t j = pos_;
      while (j < e && at(j) == '`' && j - pos_ < max_tick_run) ++j;
      if (j == e && !eof_) {
        r = result::wait;
        return false;
      }
      if (j - pos_ < 3) return false;
      if (ctx_.any_tools()) {
        begin(ck::fence, tk::none, pos_, j);
        c_.fence_len = j - pos_;
        return true;
      }
      tick_len_ = j - pos_;
      release(pos_, j);
      pos_ = j;
      mode_ = mode::fence_content;
      fence_line_start_ = false;
      return true;
    }
    if (!ctx_.any_tools()) return false;
    if (c == '{') {
      begin(ck::untagged, tk::none, pos_, pos_ + 1);
      return true;
    }
    if (c == '[') {
      const marker_match m = marker_at(pos_);
      if (m.k == marker_match::kind::partial) r = result::wait;
      if (m.k != marker_match::kind::none) return false;
      begin(ck::untagged, tk::none, pos_, pos_ + 1);
      return true;
    }
    if (c == 'A') {
      constexpr std::string_view action = "Action:";
      const std::string_view have = view(pos_, std::min(e, pos_ + action.size()));
      if (have == action) {
        begin(ck::action, tk::none, pos_, pos_ + action.size());
        return true;
      }
      if (action.substr(0, have.size()) == have && !eof_) {
        r = result::wait;
        return false;
      }
    }
  }
  if (!ctx_.any_tools()) return false;
  if (c == 'f') {
    const marker_match m = marker_at(pos_);
    if (m.k == marker_match::kind::partial) {
      r = result::wait;
      return false;
    }
    if (m.k == marker_match::kind::full && (m.token == tk::functools || m.token == tk::gigachat)) {
      begin(m.token == tk::functools ? ck::functools : ck::gigachat, m.token, pos_, pos_ + m.len);
      return true;
    }
  }
  if (!is_ident_start(c)) return false;
  // NAME\n{..} at the reply start (Functionary v3.2), NAME{..} / NAME[ARGS]{..} / NAME(..)
  // (the bodies of formats whose control tokens were stripped).
  const std::size_t limit = pos_ + 160;
  std::size_t j = pos_;
  while (j < e && j < limit && is_name_char(at(j))) ++j;
  if (j >= limit) return false;
  const std::string_view run = view(pos_, j);
  const bool at_reply_start = reply_start_ && !in_group;
  if (j == e && !eof_) {
    const auto dot = run.rfind('.');
    const bool call_suffix =
        dot != std::string_view::npos &&
        std::string_view(".call").substr(0, run.size() - dot) == run.substr(dot) &&
        ctx_.resolve(run.substr(0, dot), name_plain);
    if (ctx_.name_prefix(run) || call_suffix ||
        (at_reply_start && std::string_view("all").substr(0, run.size()) == run)) {
      r = result::wait;
    }
    return false;
  }
  const char next = j < e ? at(j) : '\0';
  std::string_view base = run;
  if (base.size() > 5 && base.substr(base.size() - 5) == ".call") base.remove_suffix(5);
  const bool known = ctx_.resolve(base, name_plain).has_value();
  if (at_reply_start && next == '\n') {
    if (run == "all") {
      remove_markup(j + 1);
      return true;
    }
    if (known) {
      begin(ck::reply_name, tk::none, pos_, j);
      c_.name.assign(run);
      return true;
    }
  }
  if (!known) return false;
  if (next == '{') {
    begin(ck::untagged, tk::none, pos_, j);
    c_.name.assign(base);
    return true;
  }
  if (next == '[') {
    constexpr std::string_view args = "[ARGS]";
    const std::string_view have = view(j, std::min(e, j + args.size()));
    if (have == args) {
      begin(ck::untagged, tk::none, pos_, j + args.size());
      c_.name.assign(base);
      return true;
    }
    if (args.substr(0, have.size()) == have && !eof_) r = result::wait;
  }
  return false;
}

}  // namespace harness::detail::rescue
