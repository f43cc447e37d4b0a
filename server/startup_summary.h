// startup_summary.h: the short table harness-server prints when it starts.
#pragma once

#include <cstdio>
#include <vector>

#include <harness/config.h>
#include <harness/gateway.h>

namespace harness_server {

/// Listen address, then one line per route: public name -> provider, upstream model, policy,
/// key present (yes / no / not needed, never the value), health; a route clients cannot use
/// yet (no key, unreachable, model missing) ends with "!! why".
void print_startup_summary(const harness::config& cfg,
                           const std::vector<harness::route_state>& routes, int port,
                           std::FILE* out);

}  // namespace harness_server
