// check.cpp: the bounded head of each construct after its opener (a name, an id, a channel,
// the first payload byte), deciding how its end will be found, or rejecting it early.
#include "rescue/machine.h"
#include "rescue/scan.h"

namespace harness::detail::rescue {

machine::result machine::check() {
  const std::size_t e = end();
  switch (c_.kind) {
    case ck::wrapper: {
      if (const result r = skip_space(); r != result::done) return r;
      const std::size_t p = c_.scan;
      if (c_.opener == tk::internlm_o && at(p) == '<') {
        const marker_match m = marker_at(p);
        if (m.k == marker_match::kind::partial) return result::wait;
        if (m.k == marker_match::kind::full &&
            (m.token == tk::plugin || m.token == tk::interpreter)) {
          c_.scan = p + m.len;
          return result::done;  // check again after the plugin token
        }
      }
      set_closers({wrapper_closer(c_.opener)});
      return payload_start(p);
    }
    case ck::func_tag:
    case ck::invoke_tag: {
      const char stop = c_.opener == tk::func_eq ? '>' : '"';
      std::size_t q = c_.body;
      while (q < e && q < c_.body + max_name && at(q) != stop && at(q) != '\n' && at(q) != '<') ++q;
      if (q >= c_.body + max_name) return result::reject;
      if (q >= e) return eof_ ? result::reject : result::wait;
      if (at(q) != stop) return result::reject;
      const std::string name(trim(view(c_.body, q)));
      std::size_t after = q + 1;
      if (stop == '"') {
        std::size_t g = after;
        while (g < e && g < after + 64 && at(g) != '>' && at(g) != '<') ++g;
        if (g >= e) return eof_ ? result::reject : result::wait;
        if (at(g) != '>') return result::reject;
        after = g + 1;
      }
      if (!ctx_.resolve(name, name_plain)) return result::reject;
      c_.name = name;
      if (c_.kind == ck::invoke_tag) {
        set_closers({tk::invoke_c});
        c_.payload = after;
        c_.scan = after;
        c_.st = stage::closer;
      } else {
        set_closers({tk::function_c, tk::tool_call_c});
        set_pick(after, "{", true);
      }
      return result::done;
    }
    case ck::mistral: {
      if (const result r = skip_space(); r != result::done) return r;
      const std::size_t p = c_.scan;
      if (at(p) == '[' || at(p) == '{') {
        set_value(p, false, syntax::json);
        return result::done;
      }
      if (!is_ident_start(at(p))) return result::reject;
      std::size_t j = p;
      if (const result r = name_run(p, j, max_name); r != result::done) return r;
      if (j >= e || !ctx_.resolve(view(p, j), name_plain)) return result::reject;
      if (at(j) == '{') {
        set_value(j, false, syntax::json);
        return result::done;
      }
      const std::string_view have = view(j, std::min(e, j + 9));
      if (have.substr(0, 6) == "[ARGS]") {
        set_pick(j + 6, "{", false);
        return result::done;
      }
      if (have == "[CALL_ID]") {
        for (std::size_t k = j + 9; k < e && k < j + 9 + 64; ++k) {
          if (view(k, std::min(e, k + 6)) == "[ARGS]") {
            set_pick(k + 6, "{", false);
            return result::done;
          }
        }
        return e < j + 9 + 64 + 6 && !eof_ ? result::wait : result::reject;
      }
      const bool maybe = std::string_view("[ARGS]").substr(0, have.size()) == have ||
                         std::string_view("[CALL_ID]").substr(0, have.size()) == have;
      return maybe && !eof_ ? result::wait : result::reject;
    }
    case ck::python_tag: {
      if (const result r = skip_space(); r != result::done) return r;
      const std::size_t p = c_.scan;
      set_closers({tk::eom, tk::eot});
      if (at(p) == '{' || at(p) == '[') {
        set_value(p, true, syntax::json);
        return result::done;
      }
      if (is_ident_start(at(p))) {
        std::size_t j = p;
        const result r = name_run(p, j, max_name);
        if (r == result::wait) return r;
        if (r == result::done && j < e && at(j) == '(' && ends_with(view(p, j), ".call")) {
          set_value(j, false, syntax::python);
          return result::done;
        }
      }
      if (!ctx_.resolve("python", name_plain)) return result::reject;
      c_.raw_body = true;
      c_.payload = p;
      c_.st = stage::closer;
      return result::done;
    }
    case ck::granite: set_pick(c_.body, "[{", false); return result::done;
    case ck::functools: set_value(c_.body - 1, false, syntax::json); return result::done;
    case ck::gigachat: set_pick(c_.body, "{", false); return result::done;
    case ck::calling_tool: {
      std::size_t j = c_.body;
      if (const result r = name_run(c_.body, j, max_name); r != result::done) return r;
      if (j >= e || at(j) != '(' || !ctx_.resolve(view(c_.body, j), name_plain)) {
        return result::reject;
      }
      c_.name.assign(view(c_.body, j));
      c_.trail = ']';
      set_value(j, false, syntax::json);
      return result::done;
    }
    case ck::section:
      set_closers({wrapper_closer(c_.opener)});
      c_.st = stage::closer;
      return result::done;
    case ck::gemma_channel: {
      std::size_t j = c_.body;
      while (j < e && j < c_.body + 32 && is_name_char(at(j))) ++j;
      if (j >= e && !eof_) return result::wait;
      c_.channel.assign(view(c_.body, j));
      c_.span_end = j < e && at(j) == '\n' ? j + 1 : j;
      c_.st = stage::done;
      return result::done;
    }
    case ck::functionary:
    case ck::reply_name: {
      std::size_t j = c_.body;
      if (c_.kind == ck::functionary) {
        if (const result r = name_run(c_.body, j, max_name); r != result::done) return r;
        c_.name.assign(view(c_.body, j));
      }
      if (j >= e) return eof_ ? result::reject : result::wait;
      if (at(j) != '\n') return result::reject;
      if (c_.name == "all") {
        c_.channel = "all";
        c_.span_end = j + 1;
        c_.st = stage::done;
        return result::done;
      }
      const auto resolved = ctx_.resolve(c_.name, name_plain);
      if (!resolved) return result::reject;
      const bool python = *resolved == "python";
      if (python) set_closers({tk::functionary}, false);
      set_pick(j + 1, "{", python);
      return result::done;
    }
    case ck::untagged: {
      if (const result r = skip_space(); r != result::done) return r;
      const std::size_t p = c_.scan;
      const char ch = at(p);
      if (!c_.name.empty()) {
        if (ch == '{') {
          set_value(p, false, syntax::json);
          return result::done;
        }
        if (ch == '(' && p == c_.body) {
          set_value(p, false, syntax::python);
          return result::done;
        }
        return result::reject;
      }
      if (at(c_.start) == '{') {
        if (ch != '"' && ch != '\'' && ch != '\\' && !is_ident_start(ch)) return result::reject;
        set_value(c_.start, false, syntax::json);
        return result::done;
      }
      if (ch == '{') {
        set_value(c_.start, false, syntax::json);
        return result::done;
      }
      if (!is_ident_start(ch)) return result::reject;
      std::size_t j = p;
      if (const result r = name_run(p, j, max_name); r != result::done) return r;
      std::size_t k = j;
      while (k < e && k < j + 16 && is_hspace(at(k))) ++k;
      if (k >= e) return eof_ ? result::reject : result::wait;
      if (at(k) != '(') return result::reject;
      set_value(c_.start, false, syntax::python);
      return result::done;
    }
    case ck::action: {
      std::size_t p = c_.scan;
      while (p < e && is_hspace(at(p))) ++p;
      c_.scan = p;
      if (p >= e) return eof_ ? result::reject : result::wait;
      if (at(p) == '{') {
        set_value(p, false, syntax::json);
        return result::done;
      }
      if (at(p) != '`') return result::reject;
      std::size_t j = p;
      while (j < e && at(j) == '`' && j - p < max_tick_run) ++j;
      if (j == e && !eof_) return result::wait;
      if (j - p < 3) return result::reject;
      c_.fence_len = j - p;
      c_.fence_body = j;
      c_.scan = j;
      c_.st = stage::fence_info;
      return result::done;
    }
    default: return result::reject;
  }
}

machine::result machine::pick() {
  const result r = skip_space();
  if (r == result::wait) return r;
  if (r == result::reject) {  // end of stream with only whitespace
    if (!c_.pick_closer_else) return result::reject;
    c_.st = stage::closer;
    return result::done;
  }
  if (c_.pick_open.find(at(c_.scan)) != std::string_view::npos) {
    const std::size_t payload = c_.payload;
    set_value(c_.scan, c_.multi, syntax::json);
    c_.payload = payload;
    return result::done;
  }
  if (!c_.pick_closer_else) return result::reject;
  c_.st = stage::closer;
  return result::done;
}

}  // namespace harness::detail::rescue
