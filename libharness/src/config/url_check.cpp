// url_check.cpp: the shape of a provider's base_url and of a loopback bind address.
#include <algorithm>
#include <string>

#include "config/internal.h"

namespace harness {
namespace detail {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) noexcept {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string base_url_problem(std::string_view url) {
  if (url.empty()) return "missing; must be an http:// or https:// URL";
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f')
      return "must not contain spaces or control characters";
  }
  std::size_t rest = 0;
  if (starts_with_nocase(url, "http://")) rest = 7;
  else if (starts_with_nocase(url, "https://")) rest = 8;
  else return "must start with http:// or https://";
  if (url.find('?') != std::string_view::npos) return "must not have a query ('?...')";
  if (url.find('#') != std::string_view::npos) return "must not have a fragment ('#...')";
  const std::string_view authority = url.substr(rest, url.find('/', rest) - rest);
  if (authority.find('@') != std::string_view::npos)
    return "must not hold credentials (user@host); name the key's variable in api_key_env";
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return "has an unterminated [IPv6] host";
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return "has text after the [IPv6] host";
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return "has an empty port";
  }
  if (host.empty() || host == "[]") return "has no host";
  if (authority.size() > host.size()) {
    long number = 0;
    for (char c : port) {
      // Stop at the first non-digit or once past the range: the value never overflows.
      if (c < '0' || c > '9' || number > 65535) {
        number = -1;
        break;
      }
      number = number * 10 + (c - '0');
    }
    if (port.empty() || number < 1 || number > 65535) return "has a bad port (1-65535)";
  }
  return {};
}

bool is_loopback_host(std::string_view host) noexcept {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.substr(0, 4) == "127.";
}

}  // namespace detail
}  // namespace harness
