// discovery.h: asks a backend what one model can do (or whether the provider answers at all),
// through the gateway's transport. No other I/O.
//
//   ollama     POST {base}/api/show {"model": id}  -> capabilities, <arch>.context_length
//              GET  {base}/api/tags                 (provider only: a prefix route)
//   openai     GET  {base}/models                   -> the model's entry when listed
//              (OpenRouter `supported_parameters` / `context_length`, vLLM `max_model_len`)
//   anthropic  GET  {base}/v1/models?limit=1000     (key check; tools are always native)
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include <harness/config.h>
#include <harness/transport.h>

#include "gateway/capability_cache.h"

namespace harness::detail {

/// Longest wait for a discovery made on a request's path (the request then goes on without).
inline constexpr std::chrono::milliseconds discovery_timeout{5000};

/// Starts asking `provider` about `model` (empty: the provider only) and calls `done` exactly
/// once with what it learned (on the transport's thread). Failures come back as facts with
/// `answered` false and a health ("unreachable", "model_missing", "no_key", "unknown").
void discover(transport& upstream, const provider_config& provider, const server_config& server,
              const std::string& model, std::chrono::milliseconds timeout,
              std::function<void(model_facts)> done, std::stop_token stop = {});

/// The facts in an answer (exposed for tests). `status` is the HTTP status.
model_facts parse_ollama_show(int status, std::string_view body);
model_facts parse_model_listing(dialect kind, int status, std::string_view body,
                                const std::string& model);

}  // namespace harness::detail
