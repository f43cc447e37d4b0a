// startup_summary.h: the short table harness-server prints when it starts.
#pragma once

#include <cstdio>

#include <harness/config.h>

namespace harness_server {

/// Listen address, then one line per route: public name -> provider, upstream model, policy,
/// key present (yes/no, never the value).
void print_startup_summary(const harness::config& cfg, int port, std::FILE* out);

}  // namespace harness_server
