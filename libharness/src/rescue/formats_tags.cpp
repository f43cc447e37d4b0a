// formats_tags.cpp: TAG_WITH_TAGGED shapes: Qwen3-Coder / Seed-OSS <function=...>,
// MiniMax / Step-3 / DSML <invoke ...>, GLM / LongCat <arg_key>/<arg_value>.
// Values are raw text (typed later from the schema); each loses one leading and one trailing
// newline.
#include "rescue/formats.h"

namespace harness::detail::rescue {
namespace {

constexpr auto npos = std::string_view::npos;

void skip_ws(std::string_view t, std::size_t& p) {
  while (p < t.size() && is_space(t[p])) ++p;
}

bool starts_at(std::string_view t, std::size_t p, std::string_view s) {
  return t.substr(p, s.size()) == s;
}

// The value of attribute `name` inside a tag's text (`<x name="v" other='w'>`).
bool attribute(std::string_view tag, std::string_view name, std::string& out) {
  std::size_t from = 0;
  while (true) {
    const auto at = tag.find(name, from);
    if (at == npos) return false;
    from = at + 1;
    if (at > 0 && !is_space(tag[at - 1])) continue;
    std::size_t p = at + name.size();
    skip_ws(tag, p);
    if (p >= tag.size() || tag[p] != '=') continue;
    ++p;
    skip_ws(tag, p);
    if (p >= tag.size()) return false;
    const char q = tag[p];
    if (q == '"' || q == '\'') {
      const auto e = tag.find(q, p + 1);
      if (e == npos) return false;
      out.assign(tag.substr(p + 1, e - p - 1));
      return true;
    }
    std::size_t e = p;
    while (e < tag.size() && !is_space(tag[e]) && tag[e] != '>' && tag[e] != '/') ++e;
    out.assign(tag.substr(p, e - p));
    return true;
  }
}

// Reads `<TAGNAME ...>` at p: the tag name and the whole tag text; p moves past '>'.
bool read_tag(std::string_view t, std::size_t& p, std::string_view& name, std::string_view& text) {
  if (p >= t.size() || t[p] != '<') return false;
  const auto close = t.find('>', p);
  if (close == npos) return false;
  std::size_t e = p + 1;
  while (e < close && !is_space(t[e]) && t[e] != '=') ++e;
  name = t.substr(p + 1, e - p - 1);
  text = t.substr(p, close + 1 - p);
  p = close + 1;
  return !name.empty();
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// <parameter=K>V</parameter> / <parameter name="K">V</parameter> inside a function body.
void function_parameters(std::string_view body, jvalue& obj) {
  std::size_t p = 0;
  while (true) {
    const auto at = body.find("<parameter", p);
    if (at == npos) return;
    std::size_t q = at;
    std::string_view tag_name;
    std::string_view tag_text;
    if (!read_tag(body, q, tag_name, tag_text)) return;
    std::string key;
    if (starts_at(body, at, "<parameter=")) {
      key.assign(trim(tag_text.substr(11, tag_text.size() - 12)));
      if (!key.empty() && (key.front() == '"' || key.front() == '\'')) {
        key = key.substr(1, key.size() >= 2 ? key.size() - 2 : 0);
      }
    } else if (!attribute(tag_text, "name", key)) {
      p = q;
      continue;
    }
    const auto close = body.find("</parameter>", q);
    const auto next = body.find("<parameter", q);
    std::size_t end = body.size();
    std::size_t after = body.size();
    if (close != npos && (next == npos || close < next)) {
      end = close;
      after = close + 12;
    } else if (next != npos) {
      end = next;
      after = next;
    }
    obj.add(std::move(key),
            jvalue::string(std::string(strip_one_newline(body.substr(q, end - q)))));
    p = after;
  }
}

}  // namespace

bool xml_functions(std::string_view t, drafts& out) {
  const std::size_t mark = out.size();
  std::size_t p = 0;
  while (true) {
    skip_ws(t, p);
    if (p >= t.size()) break;
    std::string name;
    if (starts_at(t, p, "<function=")) {
      const auto gt = t.find('>', p);
      if (gt == npos) break;
      name.assign(trim(t.substr(p + 10, gt - p - 10)));
      p = gt + 1;
    } else if (starts_at(t, p, "<function ")) {
      std::string_view tag_name;
      std::string_view tag_text;
      if (!read_tag(t, p, tag_name, tag_text) || !attribute(tag_text, "name", name)) break;
    } else {
      break;
    }
    const auto close = t.find("</function>", p);
    const auto next = t.find("<function", p);
    std::size_t end = t.size();
    std::size_t after = t.size();
    if (close != npos && (next == npos || close < next)) {
      end = close;
      after = close + 11;
    } else if (next != npos) {
      end = next;
      after = next;
    }
    const std::string_view body = t.substr(p, end - p);
    call_draft d;
    d.name = std::move(name);
    d.family = "xml_function";
    const std::string_view b = trim(body);
    if (!b.empty() && (b.front() == '{' || b.front() == '`')) {
      if (!args_from_text(b, d.args)) break;
    } else {
      d.args = jvalue::object();
      function_parameters(body, d.args);
      d.typed = true;
    }
    out.push_back(std::move(d));
    p = after;
  }
  if (p < t.size() || out.size() == mark) {
    out.resize(mark);
    return false;
  }
  return true;
}

bool invokes(std::string_view t, drafts& out, std::string_view family) {
  const std::size_t mark = out.size();
  std::size_t p = 0;
  while (true) {
    skip_ws(t, p);
    if (p >= t.size()) break;
    std::string_view tag_name;
    std::string_view tag_text;
    std::size_t q = p;
    if (!read_tag(t, q, tag_name, tag_text) || !ends_with(tag_name, "invoke")) break;
    call_draft d;
    if (!attribute(tag_text, "name", d.name)) break;
    const std::string prefix(tag_name.substr(0, tag_name.size() - 6));
    const std::string close_tag = "</" + std::string(tag_name) + ">";
    const std::string param_open = "<" + prefix + "parameter";
    const std::string param_close = "</" + prefix + "parameter>";
    const auto close = t.find(close_tag, q);
    const std::size_t body_end = close == npos ? t.size() : close;
    const std::string_view body = t.substr(q, body_end - q);
    d.args = jvalue::object();
    d.typed = true;
    d.family.assign(family);
    std::size_t b = 0;
    while (true) {
      const auto at = body.find(param_open, b);
      if (at == npos) break;
      std::size_t v = at;
      std::string_view pname;
      std::string_view ptext;
      if (!read_tag(body, v, pname, ptext)) break;
      std::string key;
      if (!attribute(ptext, "name", key)) {
        b = v;
        continue;
      }
      std::string is_string;
      const bool json_value = attribute(ptext, "string", is_string) && is_string == "false";
      const auto pc = body.find(param_close, v);
      const auto pn = body.find(param_open, v);
      std::size_t end = body.size();
      std::size_t after = body.size();
      if (pc != npos && (pn == npos || pc < pn)) {
        end = pc;
        after = pc + param_close.size();
      } else if (pn != npos) {
        end = pn;
        after = pn;
      }
      const std::string_view raw = strip_one_newline(body.substr(v, end - v));
      jvalue value;
      if (!json_value || parse_whole(raw, value, syntax::json, false) != parse_fail::none) {
        value = jvalue::string(std::string(raw));
      }
      d.args.add(std::move(key), std::move(value));
      b = after;
    }
    out.push_back(std::move(d));
    p = close == npos ? t.size() : close + close_tag.size();
  }
  if (p < t.size() || out.size() == mark) {
    out.resize(mark);
    return false;
  }
  return true;
}

bool glm_call(std::string_view t, drafts& out) {
  std::size_t p = 0;
  while (p < t.size() && t[p] != '<' && t[p] != '\n') ++p;
  const std::string_view name = trim(t.substr(0, p));
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_name_char(c) && c != ':') return false;
  }
  call_draft d;
  d.name.assign(name);
  d.args = jvalue::object();
  d.typed = true;
  d.family = "glm";
  while (true) {
    skip_ws(t, p);
    if (p >= t.size()) break;
    std::string_view key_tag;
    std::string_view key_text;
    if (!read_tag(t, p, key_tag, key_text) || !ends_with(key_tag, "arg_key")) return false;
    const std::string key_close = "</" + std::string(key_tag) + ">";
    const auto kc = t.find(key_close, p);
    if (kc == npos) return false;
    const std::string key(trim(t.substr(p, kc - p)));
    p = kc + key_close.size();
    skip_ws(t, p);
    std::string_view val_tag;
    std::string_view val_text;
    if (!read_tag(t, p, val_tag, val_text) || !ends_with(val_tag, "arg_value")) return false;
    const std::string val_close = "</" + std::string(val_tag) + ">";
    const auto vc = t.find(val_close, p);
    const std::size_t end = vc == npos ? t.size() : vc;
    d.args.add(key, jvalue::string(std::string(strip_one_newline(t.substr(p, end - p)))));
    p = vc == npos ? t.size() : vc + val_close.size();
  }
  out.push_back(std::move(d));
  return true;
}

}  // namespace harness::detail::rescue
