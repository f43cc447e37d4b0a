// health.h: the body of GET /health: overall status and each route's health, with the
// backends probed again in the background at most every `refresh` (a request never waits
// for a probe).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include <harness/gateway.h>

namespace harness_server {

class health_monitor {
 public:
  /// `gw` must outlive the monitor. The first refresh happens `refresh` after construction
  /// (the server probes once at start itself).
  health_monitor(harness::gateway& gw, std::chrono::seconds refresh,
                 std::chrono::milliseconds probe_timeout);
  ~health_monitor();
  health_monitor(const health_monitor&) = delete;
  health_monitor& operator=(const health_monitor&) = delete;

  /// {"status":"ok"|"degraded","routes":[{"model","provider","health","detail"}]}: degraded
  /// when some route cannot answer (no key, unreachable, model missing). Starts a background
  /// probe when the last one is older than `refresh`; returns at once. Without `with_routes`
  /// (a client without the proxy's access token) only the status: route names stay private.
  std::string body(bool with_routes);

 private:
  void maybe_refresh();

  harness::gateway& gw_;
  const std::chrono::seconds refresh_;
  const std::chrono::milliseconds probe_timeout_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_probe_;
  std::thread prober_;
  std::atomic<bool> probing_{false};
};

}  // namespace harness_server
