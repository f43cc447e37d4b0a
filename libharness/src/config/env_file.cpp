// env_file.cpp: the `.env` file format (KEY=VALUE lines) and reading whole files.
//
// Accepted: blank lines, `#` comments, an optional `export ` prefix, spaces around '=', bare
// values (an inline comment starts at " #"), 'single-quoted' literal values and
// "double-quoted" values with \n \r \t \" \\ escapes; quoted values may span lines. Errors
// name the line and the variable, never the value (it is usually a key).
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

#include "config/internal.h"

namespace harness::detail {
namespace {

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

class env_parser {
 public:
  env_parser(std::string_view text, std::string_view source) : text_(text), source_(source) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);  // UTF-8 BOM
  }

  result<env_vars> run() {
    env_vars vars;
    while (pos_ < text_.size()) {
      skip_blanks();
      if (at_line_end()) {
        next_line();
        continue;
      }
      if (peek() == '#') {
        skip_to_line_end();
        next_line();
        continue;
      }
      if (text_.substr(pos_, 7) == "export " || text_.substr(pos_, 7) == "export\t") {
        pos_ += 7;
        skip_blanks();
      }
      const std::size_t name_begin = pos_;
      while (pos_ < text_.size() && !is_blank(peek()) && peek() != '=' && !at_line_end()) ++pos_;
      const std::string name(text_.substr(name_begin, pos_ - name_begin));
      if (!is_env_var_name(name)) return fail({}, "expected KEY=VALUE (KEY: letters, digits, '_')");
      skip_blanks();
      if (pos_ >= text_.size() || peek() != '=') return fail(name, "expected '=' after the name");
      ++pos_;
      skip_blanks();
      std::string value;
      if (auto r = read_value(name, value); !r) return r.error_value();
      vars.insert_or_assign(name, std::move(value));
      next_line();
    }
    return vars;
  }

 private:
  char peek() const noexcept { return text_[pos_]; }
  bool at_line_end() const noexcept {
    return pos_ >= text_.size() || peek() == '\n' || (peek() == '\r' && text_.substr(pos_, 2) == "\r\n");
  }
  void skip_blanks() noexcept {
    while (pos_ < text_.size() && is_blank(peek())) ++pos_;
  }
  void skip_to_line_end() noexcept {
    while (!at_line_end()) ++pos_;
  }
  void next_line() noexcept {
    skip_to_line_end();
    if (pos_ < text_.size()) pos_ += peek() == '\r' ? 2 : 1;
    ++line_;
  }

  error fail(const std::string& name, std::string_view problem) const {
    std::string path = std::string(source_) + ":" + std::to_string(line_);
    std::string message = path + ": ";
    if (!name.empty()) message += name + ": ";
    message += problem;
    return make_error(errc::config, std::move(message), std::move(path));
  }

  result<void> read_value(const std::string& name, std::string& value) {
    if (pos_ < text_.size() && (peek() == '"' || peek() == '\'')) {
      const char quote = peek();
      const int first_line = line_;
      ++pos_;
      for (;;) {
        if (pos_ >= text_.size()) {
          line_ = first_line;
          return fail(name, "unterminated quoted value");
        }
        const char c = text_[pos_++];
        if (c == quote) break;
        if (c == '\n') ++line_;
        if (c == '\\' && quote == '"' && pos_ < text_.size()) {
          const char e = text_[pos_++];
          switch (e) {
            case 'n': value += '\n'; break;
            case 'r': value += '\r'; break;
            case 't': value += '\t'; break;
            case '"': value += '"'; break;
            case '\\': value += '\\'; break;
            default: value += '\\'; value += e; break;
          }
          continue;
        }
        value += c;
      }
      skip_blanks();
      if (!at_line_end() && peek() != '#') return fail(name, "unexpected text after the closing quote");
      return {};
    }
    const std::size_t begin = pos_;
    std::size_t end = pos_;
    while (!at_line_end()) {
      if (peek() == '#' && pos_ > begin && is_blank(text_[pos_ - 1])) break;  // inline comment
      ++pos_;
      if (!is_blank(text_[pos_ - 1])) end = pos_;
    }
    value.assign(text_.substr(begin, end - begin));
    return {};
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

struct file_closer {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

}  // namespace

result<env_vars> parse_env_file(std::string_view text, std::string_view source_name) {
  return env_parser(text, source_name).run();
}

result<std::string> read_text_file(const std::string& path) {
  auto cannot = [&path](int err) {
    return make_error(errc::config,
                      "cannot read " + path + ": " + std::generic_category().message(err), path);
  };
  std::unique_ptr<std::FILE, file_closer> f(std::fopen(path.c_str(), "rb"));
  if (!f) return cannot(errno);
  std::string out;
  char buf[16384];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.append(buf, n);
  if (std::ferror(f.get())) return cannot(errno != 0 ? errno : EIO);
  return out;
}

}  // namespace harness::detail
