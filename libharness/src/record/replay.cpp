// Replay: a recorded exchange through a real gateway whose transport plays the recorded
// upstream bytes back, so what it produces is exactly what the live path produces now.
#include <harness/gateway.h>
#include <harness/record.h>

#include <condition_variable>
#include <mutex>

namespace harness {
inline namespace v0 {
namespace {

// Answers every request with the recorded upstream response, at once, on the caller's thread.
class replay_transport final : public transport {
 public:
  explicit replay_transport(const recorded_exchange& rec) : rec_(rec) {}
  void start(http_request, std::shared_ptr<response_sink> sink, std::stop_token) override {
    if (!rec_.has_upstream_response) {
      sink->on_complete(make_error(errc::upstream_transport, "no upstream response was recorded"));
      return;
    }
    sink->on_head(rec_.upstream_status, rec_.upstream_headers);
    if (!rec_.upstream_response.empty() && !sink->on_body(rec_.upstream_response)) {
      sink->on_complete(make_error(errc::canceled, "replay canceled"));
      return;
    }
    sink->on_complete({});
  }

 private:
  const recorded_exchange& rec_;
};

class collecting_sink final : public client_sink {
 public:
  void on_head(int status, std::string_view content_type, const header_list&) override {
    answer_.status = status;
    answer_.content_type = std::string(content_type);
  }
  bool on_body(std::string_view bytes) override {
    answer_.body.append(bytes);
    return true;
  }
  void on_end() override {
    std::lock_guard lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [this] { return done_; });
  }
  replayed_answer answer_;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

// The policy as its booleans say, never "auto": a replay must not ask a backend anything.
model_policy pinned(model_policy policy) {
  policy.fallbacks.clear();
  policy.choice = policy.emulate_tools ? policy_choice::emulate_tools
                  : policy.strip_tools ? policy_choice::strip_tools
                  : policy.rescue      ? policy_choice::rescue
                                       : policy_choice::native;
  return policy;
}

}  // namespace

result<replayed_answer> replay(const recorded_exchange& rec, const model_policy& policy) {
  auto cfg = std::make_shared<config>();
  cfg->source = rec.dir + " (replay)";
  cfg->server.retries = 0;
  if (rec.has_attempt) {
    provider_config provider;
    provider.name = rec.provider.empty() ? std::string("recorded") : rec.provider;
    provider.kind = rec.provider_kind;
    provider.base_url = "http://replay.invalid";
    model_route route;
    route.name = rec.model;
    route.provider = provider.name;
    route.model = rec.upstream_model;
    route.policy = pinned(policy);
    cfg->providers.push_back(std::move(provider));
    cfg->models.push_back(std::move(route));
  }
  auto sink = std::make_shared<collecting_sink>();
  {
    gateway gw(std::move(cfg), std::make_shared<replay_transport>(rec));
    gw.handle(rec.client, rec.client_request, sink);
    if (!sink->wait(std::chrono::seconds(30))) {
      return make_error(errc::timeout, "the replayed exchange did not end");
    }
  }
  return std::move(sink->answer_);
}

}  // namespace v0
}  // namespace harness
