// constructs.cpp: a candidate call from its opener to its end. `check` (check.cpp) reads
// the bounded head after the opener; the resumable finders (finders.cpp) locate the end; the
// span is then parsed once (decide.cpp).
#include <algorithm>

#include "rescue/machine.h"
#include "rescue/scan.h"

namespace harness::detail::rescue {

void machine::begin(ck kind, tk opener, std::size_t start, std::size_t body) {
  c_ = construct{};
  c_.kind = kind;
  c_.opener = opener;
  c_.start = start;
  c_.body = body;
  c_.payload = body;
  c_.scan = body;
  c_.reply_start = reply_start_;
  if (kind == ck::fence) {
    c_.st = stage::fence_info;
    c_.fence_body = body;
  } else if (kind == ck::harmony) {
    c_.st = stage::header;
  }
  mode_ = mode::construct;
}

void machine::set_value(std::size_t at, bool multi, syntax sx) {
  c_.payload = at;
  c_.scan = at;
  c_.bal = balance{};
  c_.multi = multi;
  c_.sx = sx;
  c_.st = stage::value;
}

void machine::set_pick(std::size_t from, std::string_view open, bool closer_else) {
  c_.payload = from;
  c_.scan = from;
  c_.pick_open = open;
  c_.pick_closer_else = closer_else;
  c_.st = stage::pick;
}

void machine::set_closers(std::initializer_list<tk> list, bool consume) {
  std::size_t i = 0;
  for (tk t : list) {
    if (i < 3) c_.closers[i++] = t;
  }
  c_.consume_closer = consume;
}

bool machine::is_closer(tk t) const noexcept {
  return t != tk::none &&
         std::find(std::begin(c_.closers), std::end(c_.closers), t) != std::end(c_.closers);
}

machine::result machine::name_run(std::size_t from, std::size_t& j, std::size_t limit) const {
  const std::size_t e = end();
  j = from;
  while (j < e && j < from + limit && is_name_char(at(j))) ++j;
  if (j >= from + limit) return result::reject;
  if (j >= e && !eof_) return result::wait;
  return result::done;
}

bool machine::step_construct() {
  const result r = advance();
  if (r == result::wait) return false;
  if (r == result::reject) {
    early_reject();
  } else {
    finish_construct();
  }
  return true;
}

machine::result machine::advance() {
  for (;;) {
    result r = result::done;
    switch (c_.st) {
      case stage::check: r = check(); break;
      case stage::pick: r = pick(); break;
      case stage::value: r = scan_value(); break;
      case stage::after_value: r = after_value(); break;
      case stage::closer: r = scan_closer(); break;
      case stage::header: r = scan_header(); break;
      case stage::fence_info: r = fence_info(); break;
      case stage::fence_check: r = fence_check(); break;
      case stage::fence_close: r = fence_close(); break;
      case stage::done: return result::done;
    }
    if (r != result::done) return r;
  }
}

// Skips whitespace from c_.scan; wait/reject at the end, done at a byte.
machine::result machine::skip_space() {
  const std::size_t e = end();
  std::size_t p = c_.scan;
  while (p < e && is_space(at(p))) ++p;
  c_.scan = p;
  if (p < e) return result::done;
  return eof_ ? result::reject : result::wait;
}

machine::result machine::payload_start(std::size_t p) {
  const std::size_t e = end();
  const char ch = at(p);
  c_.payload = p;
  c_.scan = p;
  if (ch == '{' || ch == '[') {
    set_value(p, true, syntax::json);
    return result::done;
  }
  if (ch == '`') {
    c_.st = stage::closer;
    return result::done;
  }
  if (ch == '<') {
    const marker_match m = marker_at(p);
    if (m.k == marker_match::kind::partial) return result::wait;
    if (m.k == marker_match::kind::full && group_allows_token(m.token)) {
      c_.st = stage::closer;
      return result::done;
    }
    std::size_t q = p + 1;
    while (q < e && q < p + 48 && at(q) != '>' && !is_space(at(q))) ++q;
    if (q >= e && !eof_ && q < p + 48) return result::wait;
    if (ends_with(view(p + 1, q), "invoke")) {
      c_.st = stage::closer;
      return result::done;
    }
    return result::reject;
  }
  if (!is_ident_start(ch)) return result::reject;
  std::size_t j = p;
  while (j < e && j < p + max_name && (is_name_char(at(j)) || at(j) == ':')) ++j;
  if (j >= p + max_name) return result::reject;
  if (j >= e && !eof_) return result::wait;
  std::string_view run = view(p, j);
  if (run.substr(0, 5) == "call:") {
    c_.st = stage::closer;
    return result::done;
  }
  if (const auto colon = run.find(':'); colon != std::string_view::npos) run = run.substr(0, colon);
  if (ends_with(run, ".call")) run.remove_suffix(5);
  if (!ctx_.resolve(run, name_kimi)) return result::reject;
  c_.st = stage::closer;
  return result::done;
}

}  // namespace harness::detail::rescue
