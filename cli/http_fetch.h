// http_fetch.h: one small blocking HTTP request (libcurl), for commands that look at services
// on this machine (init asks a local Ollama, connect asks a running proxy).
#pragma once

#include <chrono>
#include <string>

namespace harness_cli {

struct fetch_result {
  int status = 0;     ///< HTTP status; 0 when no answer (see error)
  std::string body;
  std::string error;  ///< why there was no answer ("connection refused", "timed out")
  bool ok() const noexcept { return status >= 200 && status < 300; }
};

/// GET `url`, or POST `json_body` when it is not empty. Never throws; bounded by `timeout`.
fetch_result http_fetch(const std::string& url, const std::string& json_body,
                        std::chrono::milliseconds timeout);

}  // namespace harness_cli
