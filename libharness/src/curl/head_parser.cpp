#include "curl/head_parser.h"

#include <string>

namespace harness::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// "HTTP/1.1 200 OK", "HTTP/2 200": the three digits after the first space; 0 if malformed.
int parse_status(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return 0;
  std::string_view rest = trim(line.substr(space + 1));
  if (rest.size() < 3) return 0;
  int code = 0;
  for (int i = 0; i < 3; ++i) {
    const char c = rest[static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return 0;
    code = code * 10 + (c - '0');
  }
  if (rest.size() > 3 && !is_space(rest[3])) return 0;
  return code;
}

}  // namespace

bool head_parser::feed(std::string_view line) {
  if (done_) return false;  // trailers after the body
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);

  if (line.starts_with("HTTP/")) {  // a status line always starts a new block
    status_ = parse_status(line);
    headers_.clear();
    in_block_ = true;
    return false;
  }
  if (line.empty()) {
    if (!in_block_) return false;
    in_block_ = false;
    // RFC 9110 15.2: 1xx responses are interim; the final response follows on the same stream.
    if (status_ >= 100 && status_ < 200) {
      headers_.clear();
      return false;
    }
    done_ = true;
    return true;
  }
  if (!in_block_) return false;
  if (is_space(line.front())) {  // obsolete line folding (RFC 9112 5.2): joins the last value
    if (!headers_.empty()) {
      std::string& value = headers_.back().second;
      if (!value.empty()) value += ' ';
      value += trim(line);
    }
    return false;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string name(trim(line.substr(0, colon)));
  for (char& c : name) c = lower(c);
  headers_.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
  return false;
}

}  // namespace harness::detail
