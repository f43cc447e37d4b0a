// formats_sections.cpp: special-token sections (DeepSeek R1 / V3.1, Step-3, Kimi K2) and
// Harmony headers.
#include "rescue/formats.h"
#include "rescue/markers.h"

namespace harness::detail::rescue {
namespace {

constexpr auto npos = std::string_view::npos;

struct found {
  std::size_t at = npos;
  std::size_t len = 0;
  tk token = tk::none;
};

// The first of `wanted` tokens at or after `from`.
found find_token(std::string_view t, std::size_t from, std::initializer_list<tk> wanted) {
  for (std::size_t i = t.find('<', from); i != npos; i = t.find('<', i + 1)) {
    const marker_match m = match_marker(t, i, true);
    if (m.k != marker_match::kind::full) continue;
    for (tk w : wanted) {
      if (m.token == w) return {i, m.len, m.token};
    }
  }
  return {};
}

bool one_section_call(std::string_view seg, drafts& out) {
  const found sep = find_token(seg, 0, {tk::ds_sep, tk::kimi_arg_b});
  call_draft d;
  if (sep.token == tk::kimi_arg_b || sep.at == npos) {
    // Kimi: the id carries the name ("functions.NAME:IDX"); a bare "NAME{...}" when the
    // special tokens were stripped.
    std::string_view head;
    std::string_view body;
    if (sep.at != npos) {
      head = trim(seg.substr(0, sep.at));
      body = seg.substr(sep.at + sep.len);
    } else {
      const auto brace = seg.find('{');
      if (brace == npos) return false;
      head = trim(seg.substr(0, brace));
      body = seg.substr(brace);
    }
    d.name.assign(head);
    d.native_id.assign(head);
    d.rules = name_kimi;
    d.family = "kimi_k2";
    if (!args_from_text(body, d.args)) return false;
    out.push_back(std::move(d));
    return true;
  }
  const std::string_view head = trim(seg.substr(0, sep.at));
  const std::string_view body = trim(seg.substr(sep.at + sep.len));
  if (!body.empty() && body.front() == '<') return invokes(body, out, "step3");
  if (head.empty() || head == "function") {
    // R1: the name on the line after the separator, then fenced JSON.
    std::size_t e = 0;
    while (e < body.size() && body[e] != '\n' && body[e] != '`' && body[e] != '{') ++e;
    d.name.assign(trim(body.substr(0, e)));
    d.family = "deepseek_r1";
    if (!args_from_text(body.substr(e), d.args)) return false;
  } else {
    d.name.assign(head);
    d.family = "deepseek_v31";
    if (!args_from_text(body, d.args)) return false;
  }
  out.push_back(std::move(d));
  return true;
}

}  // namespace

bool section_calls(std::string_view t, drafts& out) {
  const std::size_t mark = out.size();
  found begin = find_token(t, 0, {tk::ds_call_b});
  if (begin.at == npos) {
    if (!trim(t).empty() && one_section_call(t, out)) return true;
    out.resize(mark);
    return false;
  }
  if (!trim(t.substr(0, begin.at)).empty()) return false;
  while (begin.at != npos) {
    const std::size_t start = begin.at + begin.len;
    const found end = find_token(t, start, {tk::ds_call_e, tk::ds_call_b});
    const std::size_t seg_end = end.at == npos ? t.size() : end.at;
    if (!one_section_call(t.substr(start, seg_end - start), out)) {
      out.resize(mark);
      return false;
    }
    std::size_t next = seg_end;
    if (end.token == tk::ds_call_e) next = end.at + end.len;
    begin = find_token(t, next, {tk::ds_call_b});
    const std::size_t gap_end = begin.at == npos ? t.size() : begin.at;
    if (!trim(t.substr(next, gap_end - next)).empty()) {
      out.resize(mark);
      return false;
    }
  }
  return out.size() > mark;
}

harmony_header read_harmony_header(std::string_view header, bool started_with_channel) {
  harmony_header h;
  auto word_at = [&](std::size_t p) {
    while (p < header.size() && is_space(header[p])) ++p;
    std::size_t e = p;
    while (e < header.size() && !is_space(header[e]) && header[e] != '<') ++e;
    return std::string(header.substr(p, e - p));
  };
  if (started_with_channel) {
    h.channel = word_at(0);
  } else if (const auto c = header.find("<|channel|>"); c != npos) {
    h.channel = word_at(c + 11);
  }
  if (const auto to = header.find("to=");
      to != npos && (to == 0 || !is_name_char(header[to - 1]))) {
    h.recipient = word_at(to + 3);
  }
  return h;
}

}  // namespace harness::detail::rescue
