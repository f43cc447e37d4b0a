#include "upstream_pool.h"

namespace harness_server {

std::unique_ptr<upstream_pool> upstream_pool::create(
    int loops, const harness::curl_transport_options& options) {
  auto pool = std::make_unique<upstream_pool>();
  pool->elsewhere_ = harness::make_curl_transport(options);
  if (!pool->elsewhere_) return nullptr;
  for (int i = 0; i < loops; ++i) {
    std::shared_ptr<harness::curl_loop_transport> loop = harness::make_curl_loop_transport(options);
    if (!loop) return nullptr;
    pool->loops_.push_back(std::move(loop));
  }
  return pool;
}

void upstream_pool::start(harness::http_request request,
                          std::shared_ptr<harness::response_sink> sink, std::stop_token stop) {
  for (const auto& loop : loops_) {
    if (loop->on_loop_thread()) {
      return loop->start(std::move(request), std::move(sink), std::move(stop));
    }
  }
  elsewhere_->start(std::move(request), std::move(sink), std::move(stop));
}

}  // namespace harness_server
