// formats_python.cpp: pythonic calls (Llama 3.2/4, LFM2, OLMo 3, Llama 3.1 built-ins),
// key:value calls (FunctionGemma, Gemma 4) and NAME+JSON bodies (Mistral v11, Functionary).
#include "rescue/formats.h"

namespace harness::detail::rescue {
namespace {

void skip_ws(std::string_view t, std::size_t& p) {
  while (p < t.size() && is_space(t[p])) ++p;
}

std::string_view read_name(std::string_view t, std::size_t& p) {
  const std::size_t s = p;
  while (p < t.size() && is_name_char(t[p])) ++p;
  return t.substr(s, p - s);
}

// NAME(k=v, ...) at p; keyword arguments only.
bool one_python_call(std::string_view t, std::size_t& p, call_draft& d) {
  std::string_view name = read_name(t, p);
  if (name.empty() || !is_ident_start(name.front())) return false;
  if (name.size() > 5 && name.substr(name.size() - 5) == ".call") name.remove_suffix(5);
  skip_ws(t, p);
  if (p >= t.size() || t[p] != '(') return false;
  ++p;
  d.name.assign(name);
  d.args = jvalue::object();
  while (true) {
    skip_ws(t, p);
    if (p >= t.size()) return false;
    if (t[p] == ')') {
      ++p;
      return true;
    }
    const std::string_view key = read_name(t, p);
    if (key.empty() || !is_ident_start(key.front())) return false;
    skip_ws(t, p);
    if (p >= t.size() || (t[p] != '=' && t[p] != ':')) return false;
    ++p;
    jvalue v;
    if (parse_value(t, p, v, syntax::python, false) != parse_fail::none) return false;
    d.args.add(std::string(key), std::move(v));
    skip_ws(t, p);
    if (p < t.size() && t[p] == ',') ++p;
  }
}

}  // namespace

bool python_calls(std::string_view t, drafts& out, std::string_view family) {
  const std::size_t mark = out.size();
  std::size_t p = 0;
  skip_ws(t, p);
  const bool list = p < t.size() && t[p] == '[';
  if (list) ++p;
  bool closed = !list;
  while (true) {
    skip_ws(t, p);
    if (p >= t.size()) break;
    if (list && t[p] == ']') {
      ++p;
      closed = true;
      break;
    }
    call_draft d;
    d.family.assign(family);
    if (!one_python_call(t, p, d)) {
      out.resize(mark);
      return false;
    }
    out.push_back(std::move(d));
    skip_ws(t, p);
    if (p < t.size() && (t[p] == ',' || t[p] == ';')) ++p;
  }
  skip_ws(t, p);
  if (!closed || p < t.size() || out.size() == mark) {
    out.resize(mark);
    return false;
  }
  return true;
}

bool gemma_calls(std::string_view t, drafts& out) {
  const std::size_t mark = out.size();
  std::size_t p = 0;
  while (true) {
    skip_ws(t, p);
    if (p >= t.size()) break;
    if (t.substr(p, 5) != "call:") break;
    p += 5;
    const std::string_view name = read_name(t, p);
    skip_ws(t, p);
    jvalue args;
    if (name.empty() || p >= t.size() || t[p] != '{' ||
        parse_value(t, p, args, syntax::gemma, false) != parse_fail::none) {
      break;
    }
    call_draft d;
    d.name.assign(name);
    d.args = std::move(args);
    d.family = "gemma";
    out.push_back(std::move(d));
  }
  if (p < t.size() || out.size() == mark) {
    out.resize(mark);
    return false;
  }
  return true;
}

bool name_args(std::string_view t, drafts& out, std::string_view family) {
  std::size_t p = 0;
  skip_ws(t, p);
  const std::string_view name = read_name(t, p);
  if (name.empty() || !is_ident_start(name.front())) return false;
  if (t.substr(p, 9) == "[CALL_ID]") {
    const auto a = t.find("[ARGS]", p);
    if (a == std::string_view::npos) return false;
    p = a;
  }
  if (t.substr(p, 6) == "[ARGS]") p += 6;
  skip_ws(t, p);
  if (p >= t.size() || t[p] != '{') return false;
  jvalue args;
  if (parse_value(t, p, args, syntax::json, true) != parse_fail::none) return false;
  skip_ws(t, p);
  if (p < t.size()) return false;
  call_draft d;
  d.name.assign(name);
  d.args = std::move(args);
  d.family.assign(family);
  out.push_back(std::move(d));
  return true;
}

}  // namespace harness::detail::rescue
