// finders.cpp: resumable scans for the end of a construct: a balanced value (strings and
// escapes skipped), what follows it, a closer token, a Harmony header, a closing fence. Each
// keeps its position in the construct, so every byte is scanned once whatever the chunking.
#include <algorithm>

#include "rescue/formats.h"
#include "rescue/machine.h"
#include "rescue/scan.h"

namespace harness::detail::rescue {
namespace {

constexpr std::size_t max_header = 512;
constexpr std::size_t max_info = 64;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

bool fence_info_allowed(std::string_view info) {
  const std::string l = lower(info);
  for (std::string_view ok : {"", "json", "json5", "jsonc", "xml", "tool_call", "tool_calls"}) {
    if (l == ok) return true;
  }
  return false;
}

}  // namespace

machine::result machine::scan_value() {
  const std::size_t e = end();
  const bool stop_lt = c_.closers[0] != tk::none;
  balance& b = c_.bal;
  std::size_t i = c_.scan;
  while (i < e) {
    const char ch = at(i);
    if (b.quote == 'e' || b.quote == 'g') {
      const std::string_view d = b.quote == 'e' ? std::string_view("<escape>") : "<|\"|>";
      if (ch != '<') {
        ++i;
        continue;
      }
      const std::string_view have = view(i, std::min(e, i + d.size()));
      if (have.size() < d.size() && !eof_ && d.substr(0, have.size()) == have) break;
      if (have == d) {
        b.quote = 0;
        i += d.size();
      } else {
        ++i;
      }
      continue;
    }
    if (b.quote == 'b') {  // a whole value escaped as if inside a string: {\"a\": 1}
      if (ch != '\\') {
        ++i;
        continue;
      }
      if (i + 1 >= e) {
        if (!eof_) break;
        ++i;
        continue;
      }
      if (at(i + 1) == '"') b.quote = 0;
      i += 2;
      continue;
    }
    if (b.quote != 0) {
      if (b.escape) {
        b.escape = false;
        ++i;
        continue;
      }
      if (ch != '\\' && ch != b.quote) {  // skip the body of the string
        const std::size_t q = b.quote == '"'
                                  ? scan_any<'"', '\\'>(text_.data(), i - base_, e - base_)
                                  : scan_any<'\'', '\\'>(text_.data(), i - base_, e - base_);
        i = base_ + q;
        continue;
      }
      if (ch == '\\') {
        b.escape = true;
        ++i;
        continue;
      }
      if (ch == b.quote) {
        if (!b.triple) {
          b.quote = 0;
          ++i;
          continue;
        }
        if (i + 3 > e && !eof_) break;
        if (i + 3 <= e && at(i + 1) == ch && at(i + 2) == ch) {
          b.quote = 0;
          b.triple = false;
          i += 3;
          continue;
        }
      }
      ++i;
      continue;
    }
    if (ch == '\\' && c_.sx != syntax::gemma) {
      if (i + 1 >= e) {
        if (!eof_) break;
        ++i;
        continue;
      }
      if (at(i + 1) == '"') b.quote = 'b';
      i += 2;
      continue;
    }
    if (ch == '"' || (ch == '\'' && c_.sx != syntax::gemma)) {
      if (c_.sx == syntax::python) {
        if (i + 3 > e && !eof_) break;
        if (i + 3 <= e && at(i + 1) == ch && at(i + 2) == ch) {
          b.quote = ch;
          b.triple = true;
          i += 3;
          continue;
        }
      }
      b.quote = ch;
      b.triple = false;
      ++i;
      continue;
    }
    if (ch == '<') {
      if (c_.sx == syntax::gemma) {
        bool partial = false;
        bool opened = false;
        for (const std::string_view d :
             {std::string_view("<escape>"), std::string_view("<|\"|>")}) {
          const std::string_view have = view(i, std::min(e, i + d.size()));
          if (have == d) {
            b.quote = d.size() == 8 ? 'e' : 'g';
            i += d.size();
            opened = true;
            break;
          }
          if (have.size() < d.size() && d.substr(0, have.size()) == have && !eof_) partial = true;
        }
        if (opened) continue;
        if (partial) break;
      }
      if (stop_lt && b.depth > 0) {
        const marker_match m = marker_at(i);
        if (m.k == marker_match::kind::partial) break;
        if (m.k == marker_match::kind::full && is_closer(m.token)) {
          c_.closer_at = i;
          c_.span_end = c_.consume_closer ? i + m.len : i;
          c_.st = stage::done;
          return result::done;
        }
      }
      ++i;
      continue;
    }
    if (ch == '{' || ch == '[' || ch == '(') {
      ++b.depth;
    } else if ((ch == '}' || ch == ']' || ch == ')') && b.depth > 0 && --b.depth == 0) {
      c_.value_end = i + 1;
      c_.scan = i + 1;
      c_.st = stage::after_value;
      return result::done;
    }
    ++i;
  }
  c_.scan = i;
  if (i >= e && eof_) {
    c_.value_end = e;
    c_.span_end = e;
    c_.st = stage::done;
    return result::done;
  }
  return result::wait;
}

machine::result machine::after_value() {
  const std::size_t e = end();
  if (!c_.multi && c_.trail == 0 && c_.closers[0] == tk::none) {
    c_.span_end = c_.value_end;  // nothing can follow the value inside this span
    c_.st = stage::done;
    return result::done;
  }
  std::size_t i = c_.scan;
  while (i < e && (is_space(at(i)) || (c_.multi && (at(i) == ';' || at(i) == ',')))) ++i;
  c_.scan = i;
  if (i >= e) {
    if (!eof_) return result::wait;
    c_.span_end = c_.value_end;
    c_.st = stage::done;
    return result::done;
  }
  const char ch = at(i);
  if (c_.trail != 0 && ch == c_.trail) {
    c_.span_end = i + 1;
    c_.st = stage::done;
    return result::done;
  }
  if (c_.closers[0] != tk::none && (ch == '<' || ch == '>')) {
    const marker_match m = marker_at(i);
    if (m.k == marker_match::kind::partial) return result::wait;
    if (m.k == marker_match::kind::full && is_closer(m.token)) {
      c_.closer_at = i;
      c_.span_end = c_.consume_closer ? i + m.len : i;
      c_.st = stage::done;
      return result::done;
    }
  }
  if (c_.multi && (ch == '{' || ch == '[')) {
    c_.bal = balance{};
    c_.scan = i;
    c_.st = stage::value;
    return result::done;
  }
  c_.span_end = c_.value_end;
  c_.st = stage::done;
  return result::done;
}

machine::result machine::scan_closer() {
  const std::size_t e = end();
  const bool angle_right = is_closer(tk::functionary);
  std::size_t i = c_.scan;
  while (i < e) {
    std::size_t q = find_byte(i, '<');
    if (angle_right) {
      const std::size_t g = find_byte(i, '>');
      if (g != npos && (q == npos || g < q)) q = g;
    }
    if (q == npos) {
      i = e;
      break;
    }
    const marker_match m = marker_at(q);
    if (m.k == marker_match::kind::partial) {
      c_.scan = q;
      return result::wait;
    }
    if (m.k == marker_match::kind::full && is_closer(m.token)) {
      c_.closer_at = q;
      c_.span_end = c_.consume_closer ? q + m.len : q;
      c_.st = stage::done;
      return result::done;
    }
    i = q + 1;
  }
  c_.scan = i;
  if (!eof_) return result::wait;
  c_.span_end = e;
  c_.st = stage::done;
  return result::done;
}

machine::result machine::scan_header() {
  const std::size_t e = end();
  const std::size_t limit = c_.body + max_header;
  std::size_t i = c_.scan;
  while (i < e && i < limit) {
    const std::size_t q = find_byte(i, '<');
    if (q == npos || q >= limit) {
      i = std::min(e, limit);
      break;
    }
    const marker_match m = marker_at(q);
    if (m.k == marker_match::kind::partial) {
      c_.scan = q;
      return result::wait;
    }
    if (m.k == marker_match::kind::full) {
      if (m.token == tk::h_message) {
        const harmony_header h = read_harmony_header(view(c_.body, q), c_.opener == tk::h_channel);
        c_.channel = h.channel;
        if (h.recipient.empty()) {
          c_.span_end = q + m.len;
          c_.st = stage::done;
          return result::done;
        }
        c_.name = h.recipient;
        set_closers({tk::h_call, tk::h_end, tk::h_return});
        set_pick(q + m.len, "{[", true);
        return result::done;
      }
      if (m.token != tk::h_channel && m.token != tk::h_constrain) return result::reject;
    }
    i = q + 1;
  }
  c_.scan = i;
  if (i >= limit) return result::reject;
  return eof_ ? result::reject : result::wait;
}

machine::result machine::fence_info() {
  const std::size_t e = end();
  const std::size_t limit = c_.fence_body + max_info;
  std::size_t nl = c_.scan;
  while (nl < e && nl < limit && at(nl) != '\n') ++nl;
  c_.scan = nl;
  if (nl >= limit) return result::reject;
  if (nl >= e) return eof_ ? result::reject : result::wait;
  if (!fence_info_allowed(trim(view(c_.fence_body, nl)))) return result::reject;
  c_.payload = nl + 1;
  c_.scan = nl + 1;
  c_.st = stage::fence_check;
  return result::done;
}

machine::result machine::fence_check() {
  if (const result r = skip_space(); r != result::done) return r;
  const std::size_t p = c_.scan;
  const char ch = at(p);
  bool ok = ch == '{' || ch == '[';
  if (ch == '<') {
    const marker_match m = marker_at(p);
    if (m.k == marker_match::kind::partial) return result::wait;
    ok = m.k == marker_match::kind::full &&
         (group_allows_token(m.token) || m.token == tk::h_start || m.token == tk::h_channel);
  } else if (is_ident_start(ch)) {
    std::size_t j = p;
    if (const result r = name_run(p, j, max_name); r != result::done) return r;
    std::string_view run = view(p, j);
    if (ends_with(run, ".call")) run.remove_suffix(5);
    ok = (run == "call" && j < end() && at(j) == ':') || ctx_.resolve(run, name_plain).has_value();
  }
  if (!ok) return result::reject;
  c_.scan = c_.payload;
  c_.line_pending = true;
  c_.st = stage::fence_close;
  return result::done;
}

machine::result machine::fence_close() {
  const std::size_t e = end();
  for (;;) {
    if (c_.line_pending) {
      const std::size_t ls = c_.scan;
      std::size_t i = ls;
      while (i < e && at(i) == ' ' && i - ls < 3) ++i;
      std::size_t j = i;
      while (j < e && at(j) == '`' && j - i < max_tick_run) ++j;
      if (j >= e && !eof_) return result::wait;
      if (j - i >= c_.fence_len) {
        c_.closer_at = ls;
        c_.span_end = j;
        c_.st = stage::done;
        return result::done;
      }
      c_.line_pending = false;
      c_.scan = j;
    }
    const std::size_t nl = find_byte(c_.scan, '\n');
    if (nl == npos) {
      c_.scan = e;
      if (!eof_) return result::wait;
      c_.span_end = e;
      c_.st = stage::done;
      return result::done;
    }
    c_.scan = nl + 1;
    c_.line_pending = true;
  }
}

}  // namespace harness::detail::rescue
