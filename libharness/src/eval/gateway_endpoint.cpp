// gateway_endpoint.cpp: the evaluator driving an in-process gateway (no server). The gateway's
// exchange records say what its fixer did, so each exchange knows how its calls came about.
#include <harness/eval.h>
#include <harness/gateway.h>

#include <map>

#include <simdjson.h>

#include "eval/client_api.h"
#include "eval/wait_box.h"
#include "json/reader.h"

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

using clock = std::chrono::steady_clock;

class box_client_sink : public client_sink {
 public:
  explicit box_client_sink(std::shared_ptr<eval_internal::wait_box> box) : box_(std::move(box)) {}
  void on_head(int status, std::string_view, const header_list&) override { box_->head(status); }
  bool on_body(std::string_view bytes) override {
    box_->bytes(bytes);
    return true;
  }
  void on_end() override { box_->finish({}); }

 private:
  std::shared_ptr<eval_internal::wait_box> box_;
};

// The latest exchange record per public model name (one request per model at a time).
struct record_board {
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, std::pair<std::uint64_t, exchange_record>> latest;

  void put(const exchange_record& r) {
    std::lock_guard lock(mu);
    auto& slot = latest[r.model];
    slot = {slot.first + 1, r};
    cv.notify_all();
  }
  std::uint64_t count(const std::string& model) {
    std::lock_guard lock(mu);
    auto it = latest.find(model);
    return it == latest.end() ? 0 : it->second.first;
  }
  std::optional<exchange_record> wait_after(const std::string& model, std::uint64_t seen,
                                            clock::time_point deadline) {
    std::unique_lock lock(mu);
    if (!cv.wait_until(lock, deadline, [&] {
          auto it = latest.find(model);
          return it != latest.end() && it->second.first > seen;
        }))
      return std::nullopt;
    return latest[model].second;
  }
};

std::string model_of(const std::string& body) {
  simdjson::dom::parser parser;
  auto doc = detail::parse_json(parser, body);
  std::string_view m;
  if (!doc || (*doc)["model"].get(m) != simdjson::SUCCESS) return "";
  return std::string(m);
}

tools_via via_of(const exchange_record& r) {
  if (r.tools_emulated) return tools_via::emulated;
  if (r.tools_stripped) return tools_via::stripped;
  if (r.calls_rescued > 0) return tools_via::rescued;
  return tools_via::native;
}

class gateway_endpoint : public endpoint {
 public:
  gateway_endpoint(std::shared_ptr<const config> cfg, std::shared_ptr<transport> http,
                   std::chrono::milliseconds timeout, client_api api)
      : board_(std::make_shared<record_board>()), timeout_(timeout), api_(api) {
    gateway_options options;
    options.on_exchange = [board = board_](const exchange_record& r) { board->put(r); };
    gateway_ = std::make_unique<gateway>(std::move(cfg), std::move(http), std::move(options));
  }

  exchange send(const std::string& body, bool stream, std::stop_token stop) override {
    exchange ex;
    auto wire = eval_internal::begin_exchange(ex, api_, body, stream);
    if (!wire) return ex;
    const std::string model = model_of(body);
    const std::uint64_t seen = board_->count(model);
    auto box = std::make_shared<eval_internal::wait_box>();
    std::stop_source local;
    std::stop_callback forward(stop, [&local] { local.request_stop(); });
    const auto started = clock::now();
    gateway_->handle(eval_internal::dialect_of(api_), *wire, std::make_shared<box_client_sink>(box),
                     local.get_token());
    bool timed_out = false;
    if (!box->wait_until(started + timeout_)) {
      timed_out = true;
      local.request_stop();  // cancels the upstream transfer; the gateway then ends the sink
      (void)box->wait_until(clock::now() + std::chrono::seconds(3));
    }
    {
      std::lock_guard lock(box->mu);
      ex.status = box->status;
      ex.reply = box->body;
      ex.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started).count();
      if (box->first_byte != clock::time_point{})
        ex.ttft_us = std::chrono::duration_cast<std::chrono::microseconds>(box->first_byte - started).count();
    }
    if (timed_out) {
      ex.transport_error = "timeout: no complete answer within " +
                           std::to_string(timeout_.count() / 1000) + " s";
      return ex;
    }
    if (auto rec = board_->wait_after(model, seen, clock::now() + std::chrono::seconds(2))) {
      ex.via = via_of(*rec);
      ex.args_repaired = rec->args_repaired;
    }
    return ex;
  }

  result<std::vector<std::string>> models() override {
    std::vector<std::string> names;
    for (const model_route& r : gateway_->configuration().models)
      if (!r.name.empty() && r.name.back() != '*') names.push_back(r.name);
    return names;
  }

 private:
  std::shared_ptr<record_board> board_;
  std::unique_ptr<gateway> gateway_;
  std::chrono::milliseconds timeout_;
  client_api api_;
};

}  // namespace

std::unique_ptr<endpoint> make_gateway_endpoint(std::shared_ptr<const config> cfg,
                                                std::shared_ptr<transport> http,
                                                std::chrono::milliseconds timeout, client_api api) {
  return std::make_unique<gateway_endpoint>(std::move(cfg), std::move(http), timeout, api);
}

config without_fixer(const config& cfg) {
  config raw = cfg;
  for (model_route& r : raw.models) {
    r.policy.choice = policy_choice::native;  // no discovery either: tools go as they are
    r.policy.strip_tools = false;
    r.policy.rescue = false;
    r.policy.emulate_tools = false;
  }
  return raw;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
