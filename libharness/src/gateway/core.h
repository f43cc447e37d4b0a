// core.h: what every exchange of one gateway shares (config, transport, counters).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <harness/gateway.h>

#include "gateway/capability_cache.h"
#include "gateway/scheduler.h"
#include "gateway/translator_pool.h"

namespace harness::detail {

struct gateway_core {
  std::shared_ptr<const config> cfg;
  std::shared_ptr<transport> upstream;
  gateway_options options;
  scheduler timers;
  /// What backends said about their models (policy = "auto"); set by the gateway's constructor.
  std::unique_ptr<capability_cache> capabilities;
  /// Parse buffers for the exchanges' decoders and encoders.
  translator_pool translators;

  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> open_streams{0};
  std::atomic<std::uint64_t> latency_us_sum{0};
  std::atomic<std::uint64_t> latency_count{0};

  /// Counts one finished exchange and hands it to the log callback.
  void record(const exchange_record& rec);
  gateway_stats snapshot() const;

 private:
  mutable std::mutex models_mu_;
  std::map<std::string, gateway_stats::per_model> models_;
};

}  // namespace harness::detail
