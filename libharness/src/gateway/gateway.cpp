#include <harness/gateway.h>

#include <condition_variable>
#include <mutex>
#include <set>

#include <harness/codec.h>

#include "gateway/core.h"
#include "gateway/exchange.h"
#include "gateway/models_list.h"
#include "gateway/recording_tap.h"
#include "gateway/route_probe.h"
#include "gateway/routes.h"

namespace harness {
inline namespace v0 {

struct gateway::impl {
  std::shared_ptr<detail::gateway_core> core;
};

gateway::gateway(std::shared_ptr<const config> cfg, std::shared_ptr<transport> transport,
                 gateway_options options)
    : impl_(std::make_shared<impl>()) {
  impl_->core = std::make_shared<detail::gateway_core>();
  impl_->core->cfg = std::move(cfg);
  impl_->core->upstream = std::move(transport);
  impl_->core->options = std::move(options);
  impl_->core->capabilities = std::make_unique<detail::capability_cache>(
      std::chrono::seconds(impl_->core->cfg->server.discovery_ttl_s));
}

gateway::~gateway() = default;

void gateway::handle(dialect client, std::string body, std::shared_ptr<client_sink> sink,
                     std::stop_token stop) {
  handle(client, std::move(body), header_list{}, std::move(sink), std::move(stop));
}

void gateway::handle(dialect client, std::string body, const header_list& client_headers,
                     std::shared_ptr<client_sink> sink, std::stop_token stop) {
  ++impl_->core->requests;
  auto request = impl_->core->translators.normalize_request(client, body);
  // Recording: the tap sees the client's bytes both ways; off, this costs one branch.
  std::shared_ptr<detail::recording_tap> tap;
  if (const auto& recorder = impl_->core->options.recorder) {
    if (auto recording = recorder->start(client, request ? request->model : std::string())) {
      tap = std::make_shared<detail::recording_tap>(std::move(recording),
                                                    detail::config_secrets(*impl_->core->cfg));
      tap->client_request(body);
      sink = tap->client(std::move(sink));
    }
  }
  if (!request) {
    chat_request empty;
    auto ex = std::make_shared<detail::exchange>(impl_->core, client, std::move(empty),
                                                 std::move(sink), std::move(stop));
    ex->use_recording(std::move(tap));
    ex->fail_before_head(request.error_value());
    return;
  }
  auto ex = std::make_shared<detail::exchange>(impl_->core, client, std::move(*request),
                                               std::move(sink), std::move(stop));
  ex->use_client_headers(client_headers);
  ex->use_recording(std::move(tap));
  ex->begin();
}

namespace {

// Collects a whole answer for complete().
class collecting_sink : public client_sink {
 public:
  void on_head(int status, std::string_view, const header_list&) override { status_ = status; }
  bool on_body(std::string_view bytes) override {
    body_.append(bytes);
    return true;
  }
  void on_end() override {
    std::lock_guard lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return done_; });
  }
  int status_ = 0;
  std::string body_;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

}  // namespace

result<chat_response> gateway::complete(const chat_request& request, std::stop_token stop) {
  chat_request copy = request;
  copy.stream = false;
  auto body = encode_request(dialect::openai, copy);
  if (!body) return std::move(body).error_value();
  auto sink = std::make_shared<collecting_sink>();
  std::stop_source local;
  std::stop_callback forward(stop, [&local] { local.request_stop(); });
  handle(dialect::openai, std::move(*body), sink, local.get_token());
  const auto limit = std::chrono::milliseconds(impl_->core->cfg->server.request_timeout_ms + 5000);
  if (!sink->wait(limit)) {
    local.request_stop();
    sink->wait(std::chrono::milliseconds(5000));
    return make_error(errc::timeout, "no answer within the request timeout");
  }
  if (sink->status_ < 200 || sink->status_ >= 300) {
    error err = decode_error(dialect::openai, sink->status_, sink->body_);
    err.code = errc::upstream_http;
    return err;
  }
  return decode_response(dialect::openai, sink->body_);
}

std::string gateway::list_models(dialect client) const {
  // Routes known to be unusable (no key, backend down, model missing) are not offered.
  std::set<std::string> unusable;
  for (const auto& r : routes()) {
    if (!r.usable()) unusable.insert(r.name);
  }
  return detail::encode_model_list(client, *impl_->core->cfg, [&](const model_route& m) {
    return unusable.count(m.name) == 0;
  });
}

std::vector<route_state> gateway::routes() const { return detail::route_states(*impl_->core); }

void gateway::probe_routes(std::chrono::milliseconds timeout) {
  detail::probe_all(impl_->core, timeout);
}

gateway_stats gateway::stats() const { return impl_->core->snapshot(); }

const config& gateway::configuration() const noexcept { return *impl_->core->cfg; }

}  // namespace v0
}  // namespace harness

namespace harness::detail {

namespace {

void count_fixes(gateway_stats::per_model& m, const exchange_record& rec) {
  m.calls_native += static_cast<std::uint64_t>(rec.calls_native);
  m.calls_rescued += static_cast<std::uint64_t>(rec.calls_rescued);
  m.args_repaired += static_cast<std::uint64_t>(rec.args_repaired);
  m.truncated_calls_refused += static_cast<std::uint64_t>(rec.truncated_calls_refused);
  m.unknown_tools_dropped += static_cast<std::uint64_t>(rec.unknown_tools_dropped);
  if (rec.text_only_with_tools) ++m.text_only_turns;
  if (rec.error_kind.empty()) return;
  for (auto& [kind, n] : m.errors_by_kind) {
    if (kind == rec.error_kind) {
      ++n;
      return;
    }
  }
  m.errors_by_kind.emplace_back(rec.error_kind, 1);
}

}  // namespace

void gateway_core::record(const exchange_record& rec) {
  if (rec.status >= 400) ++errors;
  {
    std::lock_guard lock(models_mu_);
    // Names come from clients: unroutable ones share one series and the number of series is
    // bounded, so no client can grow the counters (and /metrics) without limit.
    constexpr std::size_t max_model_series = 256;
    std::string name = rec.provider.empty() ? std::string("(unrouted)") : rec.model;
    if (models_.size() >= max_model_series && models_.find(name) == models_.end()) {
      name = "(other)";
    }
    auto& m = models_[name];
    m.model = name;
    ++m.requests;
    if (rec.status >= 400) ++m.errors;
    count_fixes(m, rec);
  }
  if (options.on_exchange) options.on_exchange(rec);
}

gateway_stats gateway_core::snapshot() const {
  gateway_stats s;
  s.requests = requests.load();
  s.errors = errors.load();
  s.open_streams = open_streams.load();
  s.upstream_latency_us_sum = latency_us_sum.load();
  s.upstream_latency_count = latency_count.load();
  std::lock_guard lock(models_mu_);
  for (const auto& [name, m] : models_) s.models.push_back(m);
  return s;
}

}  // namespace harness::detail
