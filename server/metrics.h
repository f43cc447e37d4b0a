// metrics.h: the gateway's counters as Prometheus text (GET /metrics).
#pragma once

#include <string>

#include <harness/gateway.h>

namespace harness_server {

std::string format_metrics(const harness::gateway_stats& stats);

}  // namespace harness_server
