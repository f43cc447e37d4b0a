// http_front.h: the proxy's HTTP/1.1 server: a few epoll event loops (no thread per
// connection), each accepting from one shared listening socket and serving its connections.
//
// Requests are handed to a router on the loop thread; it must not block. It answers through
// the exchange it is given, at once (exchange::reply) or later from any thread (the exchange is
// a harness::client_sink: pass it to gateway::handle). Idle connections cost a few hundred
// bytes and no thread; a stream costs its buffers only.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <harness/curl_transport.h>

#include "front/exchange.h"
#include "front/request_parser.h"

namespace harness_server {

struct front_settings {
  int loops = 1;  ///< event-loop threads
  parser_limits limits;
  /// A request whose head does not arrive within this time from its first byte, or that goes
  /// this long without a byte before it is complete, gets a 408 and is closed (slowloris).
  std::chrono::milliseconds read_timeout{30000};
  /// A client that takes nothing of a pending answer for this long is dropped.
  std::chrono::milliseconds write_timeout{30000};
  /// An idle keep-alive connection is closed after this long.
  std::chrono::milliseconds keep_alive_timeout{30000};
  /// Connections beyond this many (per loop) are closed at once.
  std::size_t max_connections = 10000;
  /// Upstream transports the loops drive, one per loop (loop i: upstreams[i]); a loop without
  /// one serves requests whose answers come from other threads only.
  std::vector<std::shared_ptr<harness::curl_loop_transport>> upstreams;
};

/// Routes one complete request (loop thread; must not block).
using router_fn = std::function<void(http_request& request, const std::shared_ptr<exchange>& reply)>;
/// The JSON body of an error the front answers itself (malformed request, body too large,
/// timeout): in the dialect the path belongs to.
using error_body_fn =
    std::function<std::string(int status, std::string_view path, std::string_view message)>;

class front_loop;

class http_front {
 public:
  http_front(front_settings settings, router_fn router, error_body_fn error_body);
  ~http_front();
  http_front(const http_front&) = delete;
  http_front& operator=(const http_front&) = delete;

  /// Binds and listens on `host:port` (0: any free port). False when it cannot.
  bool bind(const std::string& host, int port);
  int port() const noexcept { return port_; }
  /// Serves until stop(); blocks. False when not bound.
  bool run();
  /// Ends every loop (open connections are closed, requests in flight cancelled); any thread.
  void stop();
  /// Streams being written to clients now (all loops).
  int open_streams() const noexcept { return open_streams_.load(std::memory_order_relaxed); }
  /// Bytes answered but not yet written to slow clients (all loops).
  std::int64_t queued_bytes() const noexcept { return queued_->load(std::memory_order_relaxed); }

 private:
  friend class front_loop;
  front_settings settings_;
  router_fn router_;
  error_body_fn error_body_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> open_streams_{0};
  // Shared with the exchanges, which may outlive the front.
  std::shared_ptr<std::atomic<std::int64_t>> queued_ =
      std::make_shared<std::atomic<std::int64_t>>(0);
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<front_loop>> loops_;
};

}  // namespace harness_server
