// upstream_pool.h: the gateway's transport in harness-server. Each event loop of the front has
// a curl transport of its own that the loop drives: a request's upstream transfer starts on the
// loop that read the request and its answer comes back there, with no thread in between.
// Transfers started on any other thread (the start-up probes, /health, a retry fired by the
// gateway's timer) go to a transport with its own I/O thread.
#pragma once

#include <memory>
#include <vector>

#include <harness/curl_transport.h>

namespace harness_server {

class upstream_pool final : public harness::transport {
 public:
  /// `loops` loop transports plus the threaded one; null when libcurl or the system is out of
  /// resources.
  static std::unique_ptr<upstream_pool> create(int loops,
                                               const harness::curl_transport_options& options);

  /// One per front loop, in order: loop i binds and drives loops()[i].
  const std::vector<std::shared_ptr<harness::curl_loop_transport>>& loops() const noexcept {
    return loops_;
  }

  void start(harness::http_request request, std::shared_ptr<harness::response_sink> sink,
             std::stop_token stop) override;

 private:
  std::vector<std::shared_ptr<harness::curl_loop_transport>> loops_;
  std::unique_ptr<harness::transport> elsewhere_;
};

}  // namespace harness_server
