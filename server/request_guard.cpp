#include "request_guard.h"

#include <algorithm>
#include <cctype>

namespace harness_server {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "http://localhost:3000", "http://127.0.0.1", "http://[::1]:8080" (any scheme, any port).
bool loopback_origin(std::string_view origin) {
  const auto scheme = origin.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view host = origin.substr(scheme + 3);
  if (host.rfind("[::1]", 0) == 0) {
    host.remove_prefix(5);
  } else {
    const auto colon = host.find(':');
    const std::string_view name = host.substr(0, colon);
    if (name != "localhost" && name != "127.0.0.1") return false;
    host.remove_prefix(name.size());
  }
  // Nothing but an optional ":port" may follow.
  if (host.empty()) return true;
  if (host.front() != ':' || host.size() == 1) return false;
  return std::all_of(host.begin() + 1, host.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

bool token_matches(std::string_view given, std::string_view token) noexcept {
  // Every byte of `token` is compared whatever `given` holds; only the length leaks, and a
  // token's length is no secret worth keeping.
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(g) ^
                                              static_cast<unsigned char>(token[i])));
  }
  return diff == 0;
}

bool access_granted(std::string_view token, std::string_view authorization,
                    std::string_view x_api_key) noexcept {
  if (token.empty()) return true;
  constexpr std::string_view bearer = "Bearer ";
  const bool by_bearer = authorization.size() > bearer.size() &&
                         authorization.substr(0, bearer.size()) == bearer &&
                         token_matches(authorization.substr(bearer.size()), token);
  const bool by_key = token_matches(x_api_key, token);
  return by_bearer || by_key;
}

std::optional<refusal> refuse_browser_request(std::string_view origin,
                                              std::string_view content_type) {
  if (!origin.empty() && !loopback_origin(lower(origin))) {
    return refusal{403, "cross-origin requests are refused: this proxy serves local tools"};
  }
  const std::string type = lower(content_type.substr(0, content_type.find(';')));
  if (type.find("text/plain") != std::string::npos ||
      type.find("multipart/form-data") != std::string::npos) {
    return refusal{415, "the body must be JSON (content-type: application/json)"};
  }
  return std::nullopt;
}

}  // namespace harness_server
