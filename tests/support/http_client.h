// http_client.h: a small blocking HTTP client over libcurl for integration tests.
#pragma once

#include <curl/curl.h>

#include <string>
#include <utility>
#include <vector>

namespace harness_test {

struct http_result {
  long status = 0;
  std::string body;
  std::string headers;  ///< raw header block, lower-case search with find_header
  std::string error;    ///< curl's error text when the transfer failed
  std::string header(const std::string& name) const;
};

/// POSTs `body` (or GETs when `method` is "GET") and returns everything. `abort_after` > 0
/// drops the connection after that many body bytes (a client that goes away mid-stream).
http_result http_request(const std::string& method, const std::string& url, const std::string& body,
                         const std::vector<std::string>& headers = {"content-type: application/json"},
                         std::size_t abort_after = 0, long timeout_ms = 30000);

inline http_result http_post(const std::string& url, const std::string& body,
                             std::vector<std::string> headers = {"content-type: application/json"}) {
  return http_request("POST", url, body, headers);
}

inline http_result http_get(const std::string& url, std::vector<std::string> headers = {}) {
  return http_request("GET", url, "", headers);
}

}  // namespace harness_test
