#include "gateway/upstream_request.h"

namespace harness::detail {
namespace {

std::string join_url(std::string base, const char* path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

}  // namespace

http_request make_upstream_request(const provider_config& provider, const server_config& server,
                                   std::string body, bool stream) {
  http_request req;
  req.method = "POST";
  req.body = std::move(body);
  req.headers.emplace_back("content-type", "application/json");
  req.headers.emplace_back("accept", stream ? (provider.kind == dialect::ollama
                                                   ? "application/x-ndjson"
                                                   : "text/event-stream")
                                            : "application/json");
  switch (provider.kind) {
    case dialect::anthropic:
      // The Messages API lives under the root URL (translation.md A.1, headers row).
      req.url = join_url(provider.base_url, "/v1/messages");
      req.headers.emplace_back("anthropic-version", "2023-06-01");
      if (provider.key_present()) req.headers.emplace_back("x-api-key", provider.api_key);
      break;
    case dialect::openai:
    case dialect::responses:
      // OpenAI-compatible base URLs include the version segment (".../v1").
      req.url = join_url(provider.base_url, provider.kind == dialect::responses
                                                ? "/responses"
                                                : "/chat/completions");
      if (provider.key_present()) {
        req.headers.emplace_back("authorization", "Bearer " + provider.api_key);
      }
      break;
    case dialect::ollama:
      req.url = join_url(provider.base_url, "/api/chat");
      if (provider.key_present()) {
        req.headers.emplace_back("authorization", "Bearer " + provider.api_key);
      }
      break;
  }
  req.connect_timeout = std::chrono::milliseconds(server.connect_timeout_ms);
  req.first_byte_timeout = std::chrono::milliseconds(server.first_byte_timeout_ms);
  req.idle_timeout = std::chrono::milliseconds(server.idle_timeout_ms);
  req.total_timeout = std::chrono::milliseconds(stream ? 0 : server.request_timeout_ms);
  return req;
}

const char* stream_content_type(dialect d) noexcept {
  return d == dialect::ollama ? "application/x-ndjson" : "text/event-stream";
}

}  // namespace harness::detail
