// request_guard.h: checks a request must pass before it reaches the gateway: the proxy's access
// token (compared in constant time), and refusal of what a web page can make a browser send to
// a local proxy (cross-site requests would spend the user's API keys).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace harness_server {

/// True when `given` equals `token`, in time independent of where they differ.
bool token_matches(std::string_view given, std::string_view token) noexcept;

/// True when no token is configured, or the client sent it as `Authorization: Bearer TOKEN` or
/// `x-api-key: TOKEN` (the header values given, empty when absent).
bool access_granted(std::string_view token, std::string_view authorization,
                    std::string_view x_api_key) noexcept;

/// Why a request is refused before any work: the status and the message for the client.
struct refusal {
  int status;
  std::string message;
};

/// Refuses what only a browser on another site sends: an `Origin` that is not a loopback
/// origin (403; coding tools send none), and the content types a page may post cross-site
/// without a preflight, text/plain and multipart/form-data (415). A missing content type and
/// application/x-www-form-urlencoded (curl -d) are accepted: the body is parsed as JSON.
std::optional<refusal> refuse_browser_request(std::string_view origin,
                                              std::string_view content_type);

}  // namespace harness_server
