// routes.h: route states built from the config, refined by discovery and learning; the
// policy an exchange applies on a route.
#pragma once

#include <cstdint>
#include <string>

#include <harness/gateway.h>

#include "gateway/capability_cache.h"

namespace harness::detail {

/// "native", "native+rescue", "emulate_tools" or "strip_tools".
std::string policy_name(const model_policy& policy);

/// The route asks its backend what the model can do: `policy = "auto"`, or an Ollama route
/// that sets no policy at all.
bool is_automatic(const config& cfg, const model_route& route);

/// What an exchange does with tools and thinking on a route, for the facts known now.
struct resolved_policy {
  bool strip_tools = false;
  bool emulate_tools = false;
  bool rescue = false;
  bool drop_thinking = false;        ///< the model cannot think: drop the request's thinking
  std::int64_t context_length = 0;   ///< 0: unknown
  std::string name;                  ///< as policy_name
  std::string source;                ///< "config", "discovered", "learned", "default"
};

/// The policy for `route` given `facts` (nullptr: nothing known). Automatic routes: a model
/// without tools gets emulate_tools (or strip_tools per on_no_tools), others native+rescue;
/// nothing known: native+rescue. Other routes: what the config says.
resolved_policy resolve_policy(const config& cfg, const model_route& route,
                               const model_facts* facts);

/// Ollama num_ctx for an automatic route that does not fix it: the smallest power of two
/// holding the request (bytes / 4) and its output (max_tokens, else 4096), at least 8192, at
/// most the model's context length. 0 when the context length is unknown.
std::int64_t pick_num_ctx(std::int64_t context_length, std::size_t request_bytes,
                          std::int64_t max_tokens);

/// What to do about a missing key, naming the variable and the .env that was read (or where
/// one would be read): "set VAR in the environment or in /dir/.env".
std::string missing_key_hint(const config& cfg, const provider_config& provider);

/// What the config alone says about `route` (policy, key presence; health "no_key" when a
/// needed key is missing, else "unknown").
route_state config_route_state(const config& cfg, const model_route& route);

/// `state` refined by what discovery or errors taught (`facts` may be nullptr).
void apply_facts(route_state& state, const config& cfg, const model_route& route,
                 const model_facts* facts);

}  // namespace harness::detail
