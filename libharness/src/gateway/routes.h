// routes.h: route states built from the config (discovery and learning refine them).
#pragma once

#include <string>

#include <harness/gateway.h>

namespace harness::detail {

/// "native", "native+rescue", "emulate_tools" or "strip_tools".
std::string policy_name(const model_policy& policy);

/// What the config alone says about `route` (policy, key presence; health "no_key" when a
/// needed key is missing, else "unknown").
route_state config_route_state(const config& cfg, const model_route& route);

}  // namespace harness::detail
