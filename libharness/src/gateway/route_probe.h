// route_probe.h: every route's state (config + cached facts) and the blocking probe behind
// gateway::routes() / probe_routes().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <harness/gateway.h>

#include "gateway/core.h"

namespace harness::detail {

/// The upstream model whose facts describe `route`; empty for a prefix route without a fixed
/// model (its facts are the provider's).
std::string route_facts_model(const model_route& route);

/// Each route of the config with what the cache knows about it. No I/O.
std::vector<route_state> route_states(const gateway_core& core);

/// Discovers every route (each provider/model once), storing the answers in the cache; waits
/// up to `timeout` for them. Blocking.
void probe_all(const std::shared_ptr<gateway_core>& core, std::chrono::milliseconds timeout);

}  // namespace harness::detail
