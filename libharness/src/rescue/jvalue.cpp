// jvalue.cpp: lenient recursive-descent parser and compact writer for jvalue.
#include "rescue/jvalue.h"

#include "rescue/scan.h"

namespace harness::detail::rescue {

const jvalue* jvalue::find(std::string_view key) const noexcept {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

jvalue* jvalue::find(std::string_view key) noexcept {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

void jvalue::erase(std::string_view key) {
  for (std::size_t i = keys.size(); i-- > 0;) {
    if (keys[i] == key) {
      keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(i));
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

void jvalue::add(std::string key, jvalue value) {
  keys.push_back(std::move(key));
  items.push_back(std::move(value));
}

bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto digit = [&](std::size_t at) { return at < n && s[at] >= '0' && s[at] <= '9'; };
  if (i < n && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

namespace {

constexpr std::size_t max_depth = 512;
constexpr std::string_view gemma_escape = "<escape>";
constexpr std::string_view gemma_quote = "<|\"|>";

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool ident_char(char c) noexcept { return ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class parser {
 public:
  parser(std::string_view text, std::size_t pos, syntax sx, bool close)
      : t_(text), p_(pos), sx_(sx), close_(close) {}

  bool value(jvalue& out, std::size_t depth) {
    if (depth > max_depth) return fail(parse_fail::depth);
    ws();
    if (end()) return fail(parse_fail::syntax);
    const char c = t_[p_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, ']', depth);
    if (c == '(' && sx_ == syntax::python) return array(out, ')', depth);
    if (c == '"' || c == '\'') return quoted(out, c);
    if (sx_ == syntax::gemma) {
      if (gemma_string_at(p_)) return gemma_string(out);
      return bare_word(out);
    }
    if (c == '-' || c == '+' || (c >= '0' && c <= '9') || c == '.') return number(out);
    if (ident_start(c)) return literal(out);
    return fail(parse_fail::syntax);
  }

  void ws() {
    while (p_ < t_.size()) {
      const char c = t_[p_];
      if (is_space(c)) {
        ++p_;
        continue;
      }
      if (c == '/' && sx_ != syntax::gemma && p_ + 1 < t_.size()) {
        if (t_[p_ + 1] == '/') {
          const auto e = t_.find('\n', p_);
          p_ = e == std::string_view::npos ? t_.size() : e;
          continue;
        }
        if (t_[p_ + 1] == '*') {
          const auto e = t_.find("*/", p_ + 2);
          p_ = e == std::string_view::npos ? t_.size() : e + 2;
          continue;
        }
      }
      if (c == '#' && sx_ == syntax::python) {
        const auto e = t_.find('\n', p_);
        p_ = e == std::string_view::npos ? t_.size() : e;
        continue;
      }
      break;
    }
  }

  std::size_t pos() const noexcept { return p_; }
  parse_fail why() const noexcept { return why_; }

 private:
  bool end() const noexcept { return p_ >= t_.size(); }
  bool fail(parse_fail why) {
    if (why_ == parse_fail::none) why_ = why;
    return false;
  }
  bool close_ok() { return close_ ? true : fail(parse_fail::syntax); }
  bool gemma_string_at(std::size_t at) const noexcept {
    return t_.substr(at, gemma_escape.size()) == gemma_escape ||
           t_.substr(at, gemma_quote.size()) == gemma_quote;
  }

  bool object(jvalue& out, std::size_t depth) {
    ++p_;
    out.k = jvalue::kind::object;
    for (;;) {
      ws();
      if (end()) return close_ok();
      if (t_[p_] == '}') {
        ++p_;
        return true;
      }
      std::string key;
      const char c = t_[p_];
      if (c == '"' || c == '\'') {
        jvalue k;
        if (!quoted(k, c)) return false;
        key = std::move(k.s);
      } else if (sx_ == syntax::gemma && gemma_string_at(p_)) {
        jvalue k;
        if (!gemma_string(k)) return false;
        key = std::move(k.s);
      } else if (ident_start(c) || (c >= '0' && c <= '9')) {
        const std::size_t s = p_;
        while (p_ < t_.size() && ident_char(t_[p_])) ++p_;
        key.assign(t_.substr(s, p_ - s));
      } else {
        return fail(parse_fail::syntax);
      }
      ws();
      if (end() || (t_[p_] != ':' && !(sx_ == syntax::python && t_[p_] == '='))) {
        return fail(parse_fail::syntax);
      }
      ++p_;
      ws();
      if (end()) return fail(parse_fail::syntax);
      jvalue v;
      if (!value(v, depth + 1)) return false;
      out.add(std::move(key), std::move(v));
      ws();
      if (end()) return close_ok();
      if (t_[p_] == ',') {
        ++p_;
        continue;
      }
      if (t_[p_] == '}') {
        ++p_;
        return true;
      }
      return fail(parse_fail::syntax);
    }
  }

  bool array(jvalue& out, char closer, std::size_t depth) {
    ++p_;
    out.k = jvalue::kind::array;
    for (;;) {
      ws();
      if (end()) return close_ok();
      if (t_[p_] == closer) {
        ++p_;
        return true;
      }
      jvalue v;
      if (!value(v, depth + 1)) return false;
      out.items.push_back(std::move(v));
      ws();
      if (end()) return close_ok();
      if (t_[p_] == ',') {
        ++p_;
        continue;
      }
      if (t_[p_] == closer) {
        ++p_;
        return true;
      }
      return fail(parse_fail::syntax);
    }
  }

  bool quoted(jvalue& out, char q) {
    const bool triple = sx_ == syntax::python && t_.substr(p_, 3) == std::string(3, q);
    p_ += triple ? 3 : 1;
    std::string s;
    for (;;) {
      if (end()) return fail(parse_fail::string_open);
      const char c = t_[p_];
      if (c == q) {
        if (!triple) {
          ++p_;
          break;
        }
        if (t_.substr(p_, 3) == std::string(3, q)) {
          p_ += 3;
          break;
        }
        s += c;
        ++p_;
        continue;
      }
      if (c == '\\') {
        if (p_ + 1 >= t_.size()) return fail(parse_fail::string_open);
        const char e = t_[p_ + 1];
        p_ += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
          case '\'': s += e; break;
          case 'b': s += '\b'; break;
          case 'f': s += '\f'; break;
          case 'n': s += '\n'; break;
          case 'r': s += '\r'; break;
          case 't': s += '\t'; break;
          case '\n': break;  // line continuation
          case 'u': unicode_escape(s); break;
          case 'x': {
            const int h = p_ + 1 < t_.size() ? hex_value(t_[p_]) : -1;
            const int l = h >= 0 ? hex_value(t_[p_ + 1]) : -1;
            if (l >= 0) {
              append_utf8(s, static_cast<unsigned>(h * 16 + l));
              p_ += 2;
            } else {
              s += "\\x";
            }
            break;
          }
          default:
            s += '\\';
            s += e;
            break;
        }
        continue;
      }
      const std::size_t run = q == '"' ? scan_any<'"', '\\'>(t_.data(), p_, t_.size())
                                       : scan_any<'\'', '\\'>(t_.data(), p_, t_.size());
      s.append(t_.substr(p_, run - p_));
      p_ = run;
    }
    out.k = jvalue::kind::string;
    out.s = std::move(s);
    return true;
  }

  bool read_hex4(unsigned& cp) {
    if (p_ + 4 > t_.size()) return false;
    cp = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const int h = hex_value(t_[p_ + i]);
      if (h < 0) return false;
      cp = cp * 16 + static_cast<unsigned>(h);
    }
    p_ += 4;
    return true;
  }

  void unicode_escape(std::string& s) {
    unsigned cp = 0;
    if (!read_hex4(cp)) {
      s += "\\u";
      return;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const std::size_t save = p_;
      unsigned lo = 0;
      if (t_.substr(p_, 2) == "\\u" && (p_ += 2, read_hex4(lo)) && lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      } else {
        p_ = save;
        cp = 0xFFFD;
      }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    append_utf8(s, cp);
  }

  bool gemma_string(jvalue& out) {
    const std::string_view delim =
        t_.substr(p_, gemma_escape.size()) == gemma_escape ? gemma_escape : gemma_quote;
    p_ += delim.size();
    const auto e = t_.find(delim, p_);
    if (e == std::string_view::npos) return fail(parse_fail::string_open);
    out.k = jvalue::kind::string;
    out.s.assign(t_.substr(p_, e - p_));
    p_ = e + delim.size();
    return true;
  }

  // Gemma: a bare token up to ',', '}' or ']' typed by syntax (number, boolean, null, else text).
  bool bare_word(jvalue& out) {
    const std::size_t s = p_;
    while (p_ < t_.size() && t_[p_] != ',' && t_[p_] != '}' && t_[p_] != ']' &&
           !gemma_string_at(p_)) {
      ++p_;
    }
    std::string_view w = t_.substr(s, p_ - s);
    while (!w.empty() && is_space(w.back())) w.remove_suffix(1);
    if (w.empty()) return fail(parse_fail::syntax);
    if (is_json_number(w)) {
      out.k = jvalue::kind::number;
      out.s.assign(w);
    } else if (w == "true" || w == "false") {
      out.k = jvalue::kind::boolean;
      out.b = w == "true";
    } else if (w == "null") {
      out.k = jvalue::kind::null;
    } else {
      out.k = jvalue::kind::string;
      out.s.assign(w);
    }
    return true;
  }

  bool number(jvalue& out) {
    const std::size_t s = p_;
    if (t_[p_] == '-' || t_[p_] == '+') ++p_;
    while (p_ < t_.size()) {
      const char c = t_[p_];
      const bool ok = (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
                      ((c == '+' || c == '-') && (t_[p_ - 1] == 'e' || t_[p_ - 1] == 'E'));
      if (!ok) break;
      ++p_;
    }
    std::string_view lex = t_.substr(s, p_ - s);
    if (!lex.empty() && lex.front() == '+') lex.remove_prefix(1);
    if (!is_json_number(lex)) return fail(parse_fail::syntax);
    out.k = jvalue::kind::number;
    out.s.assign(lex);
    return true;
  }

  bool literal(jvalue& out) {
    const std::size_t s = p_;
    while (p_ < t_.size() && ident_char(t_[p_])) ++p_;
    const std::string_view w = t_.substr(s, p_ - s);
    if (w == "true" || w == "True") {
      out.k = jvalue::kind::boolean;
      out.b = true;
    } else if (w == "false" || w == "False") {
      out.k = jvalue::kind::boolean;
      out.b = false;
    } else if (w == "null" || w == "None") {
      out.k = jvalue::kind::null;
    } else {
      return fail(parse_fail::syntax);
    }
    return true;
  }

  std::string_view t_;
  std::size_t p_;
  syntax sx_;
  bool close_;
  parse_fail why_ = parse_fail::none;
};

}  // namespace

parse_fail parse_value(std::string_view text, std::size_t& pos, jvalue& out, syntax sx,
                       bool close_at_end) {
  parser p(text, pos, sx, close_at_end);
  if (!p.value(out, 0)) return p.why() == parse_fail::none ? parse_fail::syntax : p.why();
  pos = p.pos();
  return parse_fail::none;
}

parse_fail parse_whole(std::string_view text, jvalue& out, syntax sx, bool close_at_end) {
  parser p(text, 0, sx, close_at_end);
  if (!p.value(out, 0)) return p.why() == parse_fail::none ? parse_fail::syntax : p.why();
  p.ws();
  return p.pos() == text.size() ? parse_fail::none : parse_fail::syntax;
}

}  // namespace harness::detail::rescue
