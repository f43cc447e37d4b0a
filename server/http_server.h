// http_server.h: the proxy's routes on its HTTP front (front/http_front.h): auth, limits, the
// gateway for the chat routes, and the proxy's own endpoints (models, health, metrics, events).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <harness/curl_transport.h>
#include <harness/gateway.h>

namespace harness_server {

class event_hub;

/// How many event loops serve clients: [server] threads, or with 0 one per core this process
/// may run on.
int front_loop_count(const harness::server_config& settings);

class http_server {
 public:
  /// `upstreams`: the transports the loops drive (upstream_pool::loops(), one per loop); empty
  /// when the gateway's transport runs on threads of its own.
  http_server(harness::gateway& gateway, const harness::server_config& settings,
              std::vector<std::shared_ptr<harness::curl_loop_transport>> upstreams = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Serves `GET /v1/harness/events` from `hub` (live exchanges for `harness-cli watch`);
  /// without one that route is a 404. Call before run().
  void set_event_hub(std::shared_ptr<event_hub> hub);
  /// Binds `host:port` (port 0: any free port). False when the address cannot be bound.
  bool bind(const std::string& host, int port);
  /// The bound port (after bind()).
  int port() const;
  /// Serves until stop(); blocks.
  bool run();
  /// Stops listening and ends in-flight streams; callable from any thread (and signal-safe
  /// through the main loop).
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace harness_server
