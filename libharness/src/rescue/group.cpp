// group.cpp: untagged candidates (bare or fenced JSON, pythonic lists) are calls only when
// nothing but whitespace or further calls follows (policy 3). They are held as a group until
// the reply ends (accepted) or prose appears (rejected: their bytes become content).
#include "rescue/machine.h"
#include "rescue/scan.h"

namespace harness::detail::rescue {

bool machine::group_allows_token(tk t) const noexcept {
  return is_call_opener(t) && t != tk::response_o;
}

bool machine::step_group() {
  const std::size_t e = end();
  const char c = at(pos_);
  if (is_space(c) || c == ';' || c == ',') {
    std::size_t j = pos_;
    while (j < e && (is_space(at(j)) || at(j) == ';' || at(j) == ',')) ++j;
    if (!group_.empty() && group_.back().k == gitem::kind::sep && group_.back().to == pos_) {
      group_.back().to = j;
    } else {
      group_.push_back({gitem::kind::sep, pos_, j, {}, {}});
    }
    const std::string_view s = view(pos_, j);
    const auto nl = s.rfind('\n');
    if (nl != std::string_view::npos) line_start_ = true;
    if (s.find_first_of(";,") != std::string_view::npos &&
        (nl == std::string_view::npos || s.find_first_of(";,", nl) != std::string_view::npos)) {
      line_start_ = false;
    }
    pos_ = j;
    return true;
  }
  if (c == '{') {
    begin(ck::untagged, tk::none, pos_, pos_ + 1);
    return true;
  }
  if (c == '`') {
    std::size_t j = pos_;
    while (j < e && at(j) == '`' && j - pos_ < max_tick_run) ++j;
    if (j == e && !eof_) return false;
    if (j - pos_ >= 3) {
      begin(ck::fence, tk::none, pos_, j);
      c_.fence_len = j - pos_;
      return true;
    }
    reject_group();
    return true;
  }
  if (c == '<' || c == '[' || c == '>') {
    const marker_match m = marker_at(pos_);
    if (m.k == marker_match::kind::partial) return false;
    if (m.k == marker_match::kind::full) {
      if (is_markup(m.token) || (is_call_closer(m.token) && after_call_)) {
        group_.push_back({gitem::kind::markup, pos_, pos_ + m.len, {}, {}});
        pos_ += m.len;
        return true;
      }
      if (group_allows_token(m.token)) return on_token(m);
      reject_group();
      return true;
    }
    if (c == '[') {
      begin(ck::untagged, tk::none, pos_, pos_ + 1);
      return true;
    }
    reject_group();
    return true;
  }
  if (is_ident_start(c)) {
    result r = result::reject;
    if (line_start_check(true, r)) return true;
    if (r == result::wait) return false;
  }
  reject_group();
  return true;
}

void machine::accept_group() {
  for (auto& item : group_) {
    switch (item.k) {
      case gitem::kind::sep:
      case gitem::kind::markup: out_.content_break(); break;
      case gitem::kind::untagged:
      case gitem::kind::native: emit_calls(item.calls); break;
      case gitem::kind::response:
        out_.content_break();
        out_.content(item.text);
        out_.content_break();
        break;
    }
  }
  group_.clear();
  group_active_ = false;
}

void machine::reject_group() {
  for (auto& item : group_) {
    switch (item.k) {
      case gitem::kind::markup:
        out_.content_break();
        line_start_ = true;
        break;
      case gitem::kind::native: emit_calls(item.calls); break;
      default: release(item.from, item.to); break;
    }
  }
  group_.clear();
  group_active_ = false;
}

}  // namespace harness::detail::rescue
