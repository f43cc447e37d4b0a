#include "health.h"

namespace harness_server {

health_monitor::health_monitor(harness::gateway& gw, std::chrono::seconds refresh,
                               std::chrono::milliseconds probe_timeout)
    : gw_(gw),
      refresh_(refresh),
      probe_timeout_(probe_timeout),
      last_probe_(std::chrono::steady_clock::now()) {}

health_monitor::~health_monitor() {
  std::lock_guard lock(mu_);
  if (prober_.joinable()) prober_.join();
}

void health_monitor::maybe_refresh() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (probing_.load() || now - last_probe_ < refresh_) return;
  if (prober_.joinable()) prober_.join();  // finished: probing_ is false
  last_probe_ = now;
  probing_ = true;
  prober_ = std::thread([this] {
    gw_.probe_routes(probe_timeout_);
    probing_ = false;
  });
}

std::string health_monitor::body(bool with_routes) {
  maybe_refresh();
  const auto routes = gw_.routes();
  bool degraded = false;
  for (const auto& r : routes) degraded = degraded || !r.usable();
  std::string out = std::string("{\"status\":\"") + (degraded ? "degraded" : "ok") + "\"";
  // The same objects as GET /v1/harness/models: one JSON shape for a route everywhere.
  if (with_routes) out += ",\"routes\":" + harness::to_json(routes);
  return out + "}";
}

}  // namespace harness_server
