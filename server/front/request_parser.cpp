#include "front/request_parser.h"

#include <algorithm>
#include <cstring>

namespace harness_server {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// tchar of RFC 9110 5.6.2.
bool is_token_char(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_token(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char);
}

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether a comma-separated header value lists `token` (case-insensitive).
bool lists_token(std::string_view value, std::string_view token) noexcept {
  while (!value.empty()) {
    const auto comma = value.find(',');
    if (iequals(trim_ows(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// Where the head ends (index just past its blank line) in `in`, searching from `from`; npos
// when not yet. Lines may end in CRLF or, leniently, LF.
std::size_t head_end(std::string_view in, std::size_t from) noexcept {
  for (std::size_t i = in.find('\n', from); i != std::string_view::npos; i = in.find('\n', i + 1)) {
    if (i + 1 < in.size() && in[i + 1] == '\n') return i + 2;
    if (i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

// The next line of `s` (without its CRLF / LF), advancing `s` past it.
std::string_view take_line(std::string_view& s) noexcept {
  const auto lf = s.find('\n');
  std::string_view line = s.substr(0, lf);
  s.remove_prefix(lf == std::string_view::npos ? s.size() : lf + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

std::string_view http_request::header(std::string_view name) const noexcept {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

bool http_request::has_header(std::string_view name) const noexcept {
  return std::any_of(headers.begin(), headers.end(),
                     [name](const auto& h) { return iequals(h.first, name); });
}

bool http_request::keep_alive() const noexcept {
  const std::string_view c = header("Connection");
  if (lists_token(c, "close")) return false;
  return minor_version >= 1 || lists_token(c, "keep-alive");
}

bool http_request::expects_continue() const noexcept {
  return minor_version >= 1 && iequals(trim_ows(header("Expect")), "100-continue");
}

request_parser::state request_parser::fail(int status, std::string message) {
  error_status_ = status;
  error_message_ = std::move(message);
  return state_ = state::failed;
}

void request_parser::reset() {
  state_ = state::head;
  // The next request on the connection reuses the strings' buffers: no allocation for a head
  // like the last one.
  req_.method.clear();
  req_.path.clear();
  req_.query.clear();
  req_.minor_version = 1;
  for (auto& h : req_.headers) spare_headers_.push_back(std::move(h));
  req_.headers.clear();
  req_.body = std::string();
  error_status_ = 0;
  error_message_.clear();
  mode_ = body_mode::none;
  remaining_ = 0;
  chunk_ = chunk_phase::size;
  scanned_ = 0;
}

request_parser::state request_parser::feed(std::string& in) {
  std::string_view rest(in);
  const state st = feed(rest);
  in.erase(0, in.size() - rest.size());
  return st;
}

request_parser::state request_parser::feed(std::string_view& in) {
  if (state_ == state::head) {
    // Empty lines before a request line are ignored (RFC 9112 2.2).
    std::size_t lead = 0;
    while (lead < in.size() && (in[lead] == '\r' || in[lead] == '\n')) ++lead;
    if (lead > 0) {
      in.remove_prefix(lead);
      scanned_ = 0;
    }
    const std::size_t end = head_end(in, scanned_ > 2 ? scanned_ - 2 : 0);
    if (end == std::string::npos) {
      scanned_ = in.size();
      if (in.size() > limits_.max_head_bytes) return fail(431, "request head too large");
      return state_;
    }
    if (end > limits_.max_head_bytes) return fail(431, "request head too large");
    if (parse_head(in.substr(0, end)) == state::failed) return state_;
    in.remove_prefix(end);
    state_ = state::body;
  }
  if (state_ == state::body) return feed_body(in);
  return state_;
}

request_parser::state request_parser::parse_head(std::string_view head) {
  std::string_view line = take_line(head);
  // request-line = method SP request-target SP HTTP-version
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail(400, "malformed request line");
  }
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(400, "malformed request method");
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return fail(400, "malformed HTTP version");
  }
  // Another major version (505 in RFC 9110) is answered as the malformed input it is here.
  if (version[5] != '1') return fail(400, "only HTTP/1.0 and HTTP/1.1 are served here");
  req_.minor_version = version[7] - '0';
  // absolute-form (http://host/path) is reduced to its path; origin-form and '*' stay.
  if (const auto scheme = target.find("://"); scheme != std::string_view::npos && target.front() != '/') {
    const auto slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || (target.front() != '/' && target != "*")) {
    return fail(400, "malformed request target");
  }
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return fail(400, "malformed request target");
  }
  const auto q = target.find('?');
  req_.method.assign(method);
  req_.path.assign(target.substr(0, q));
  if (q != std::string_view::npos) req_.query.assign(target.substr(q + 1));

  std::string_view content_length;
  bool has_length = false;
  bool has_transfer_encoding = false;
  int transfer_encoding_lines = 0;
  std::string_view transfer_encoding;
  while (!head.empty()) {
    line = take_line(head);
    if (line.empty()) break;  // the blank line
    if (line.front() == ' ' || line.front() == '\t') return fail(400, "obsolete header folding");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return fail(400, "malformed header line");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim_ows(line.substr(colon + 1));
    if (!is_token(name)) return fail(400, "malformed header name");
    for (char c : value) {
      if (c == '\0' || c == '\r' || c == '\n') return fail(400, "invalid character in a header value");
    }
    if (req_.headers.size() >= limits_.max_headers) return fail(431, "too many request headers");
    if (iequals(name, "Content-Length")) {
      if (has_length && value != content_length) return fail(400, "conflicting Content-Length headers");
      has_length = true;
      content_length = value;
    } else if (iequals(name, "Transfer-Encoding")) {
      has_transfer_encoding = true;
      ++transfer_encoding_lines;
      transfer_encoding = value;
    }
    if (spare_headers_.empty()) {
      req_.headers.emplace_back(name, value);
    } else {
      req_.headers.push_back(std::move(spare_headers_.back()));
      spare_headers_.pop_back();
      req_.headers.back().first.assign(name);
      req_.headers.back().second.assign(value);
    }
  }
  if (has_transfer_encoding) {
    // Both framings at once is how requests are smuggled past proxies: refused (RFC 9112 6.1).
    if (has_length) return fail(400, "both Content-Length and Transfer-Encoding");
    // Several lines are one list ("gzip" then "chunked" is "gzip, chunked"): not plain chunked,
    // whichever line comes last.
    if (transfer_encoding_lines > 1 || !iequals(transfer_encoding, "chunked")) {
      return fail(501, "unsupported transfer coding");
    }
    mode_ = body_mode::chunked;
    chunk_ = chunk_phase::size;
    return state_;
  }
  if (has_length) {
    if (content_length.empty() || content_length.size() > 18 ||
        !std::all_of(content_length.begin(), content_length.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(400, "malformed Content-Length");
    }
    std::size_t n = 0;
    for (char c : content_length) n = n * 10 + static_cast<std::size_t>(c - '0');
    if (n > limits_.max_body_bytes) return fail(413, "request body too large");
    mode_ = n > 0 ? body_mode::length : body_mode::none;
    remaining_ = n;
    req_.body.reserve(n);
  }
  return state_;
}

request_parser::state request_parser::feed_body(std::string_view& in) {
  if (mode_ == body_mode::none) return state_ = state::complete;
  if (mode_ == body_mode::chunked) return feed_chunked(in);
  const std::size_t n = std::min(remaining_, in.size());
  req_.body.append(in.data(), n);
  in.remove_prefix(n);
  remaining_ -= n;
  if (remaining_ == 0) state_ = state::complete;
  return state_;
}

request_parser::state request_parser::feed_chunked(std::string_view& in) {
  constexpr std::size_t max_size_line = 1024;
  for (;;) {
    switch (chunk_) {
      case chunk_phase::size: {
        const auto lf = in.find('\n');
        if (lf == std::string::npos) {
          if (in.size() > max_size_line) return fail(400, "malformed chunk size");
          return state_;
        }
        std::string_view line(in.data(), lf);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        line = line.substr(0, line.find(';'));  // chunk extensions are ignored
        line = trim_ows(line);
        if (line.empty() || line.size() > 15) return fail(400, "malformed chunk size");
        std::size_t size = 0;
        for (char c : line) {
          int d = c >= '0' && c <= '9' ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
          if (d < 0) return fail(400, "malformed chunk size");
          size = size * 16 + static_cast<std::size_t>(d);
        }
        in.remove_prefix(lf + 1);
        if (size > limits_.max_body_bytes - req_.body.size()) {
          return fail(413, "request body too large");
        }
        remaining_ = size;
        chunk_ = size == 0 ? chunk_phase::trailers : chunk_phase::data;
        break;
      }
      case chunk_phase::data: {
        const std::size_t n = std::min(remaining_, in.size());
        req_.body.append(in.data(), n);
        in.remove_prefix(n);
        remaining_ -= n;
        if (remaining_ > 0) return state_;
        chunk_ = chunk_phase::data_end;
        break;
      }
      case chunk_phase::data_end: {
        if (in.empty()) return state_;
        if (in[0] == '\n') {
          in.remove_prefix(1);
        } else if (in[0] == '\r') {
          if (in.size() < 2) return state_;
          if (in[1] != '\n') return fail(400, "malformed chunk end");
          in.remove_prefix(2);
        } else {
          return fail(400, "malformed chunk end");
        }
        chunk_ = chunk_phase::size;
        break;
      }
      case chunk_phase::trailers: {
        // Trailer fields are read and dropped, up to the blank line.
        const auto lf = in.find('\n');
        if (lf == std::string::npos) {
          if (in.size() > limits_.max_head_bytes) return fail(431, "chunk trailers too large");
          return state_;
        }
        const bool blank = lf == 0 || (lf == 1 && in[0] == '\r');
        in.remove_prefix(lf + 1);
        if (blank) return state_ = state::complete;
        break;
      }
    }
  }
}

}  // namespace harness_server
