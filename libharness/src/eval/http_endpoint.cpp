// http_endpoint.cpp: the evaluator talking to a running proxy over HTTP (any transport).
#include <harness/eval.h>

#include <simdjson.h>

#include "eval/client_api.h"
#include "eval/wait_box.h"
#include "json/reader.h"

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

using clock = std::chrono::steady_clock;

class box_sink : public response_sink {
 public:
  explicit box_sink(std::shared_ptr<eval_internal::wait_box> box) : box_(std::move(box)) {}
  void on_head(int status, const header_list&) override { box_->head(status); }
  bool on_body(std::string_view bytes) override {
    box_->bytes(bytes);
    return true;
  }
  void on_complete(result<void> outcome) override {
    if (outcome) return box_->finish({});
    const error& err = outcome.error_value();
    box_->finish(std::string(to_string(err.code)) + ": " + err.message);
  }

 private:
  std::shared_ptr<eval_internal::wait_box> box_;
};

std::int64_t micros(clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

class http_endpoint : public endpoint {
 public:
  http_endpoint(std::shared_ptr<transport> http, std::string base_url, std::chrono::milliseconds timeout,
                std::string api_key, client_api api)
      : http_(std::move(http)), base_(std::move(base_url)), timeout_(timeout), key_(std::move(api_key)),
        api_(api) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  exchange send(const std::string& body, bool stream, std::stop_token stop) override {
    exchange ex;
    auto wire = eval_internal::begin_exchange(ex, api_, body, stream);
    if (!wire) return ex;
    http_request req;
    req.url = base_ + eval_internal::path_of(api_);
    req.body = std::move(*wire);
    req.headers.emplace_back("content-type", "application/json");
    req.headers.emplace_back("accept", stream ? "text/event-stream" : "application/json");
    if (api_ == client_api::messages) {
      // As Claude Code sends them.
      req.headers.emplace_back("anthropic-version", "2023-06-01");
      if (!key_.empty()) req.headers.emplace_back("x-api-key", key_);
    } else if (!key_.empty()) {
      req.headers.emplace_back("authorization", "Bearer " + key_);
    }
    req.first_byte_timeout = timeout_;
    req.idle_timeout = timeout_;
    req.total_timeout = timeout_;
    run(std::move(req), ex, stop);
    return ex;
  }

  result<std::vector<std::string>> models() override {
    http_request req;
    req.method = "GET";
    req.url = base_ + "/models";
    req.total_timeout = timeout_;
    const std::string url = req.url;
    exchange ex;
    run(std::move(req), ex, {});
    if (!ex.transport_error.empty())
      return make_error(errc::upstream_transport, "GET " + url + ": " + ex.transport_error);
    if (ex.status != 200)
      return make_error(errc::upstream_http, "GET /models answered HTTP " + std::to_string(ex.status));
    simdjson::dom::parser parser;
    auto doc = detail::parse_json(parser, ex.reply);
    simdjson::dom::array data;
    if (!doc || (*doc)["data"].get(data) != simdjson::SUCCESS)
      return make_error(errc::invalid_json, "GET /models: not a model list");
    std::vector<std::string> names;
    for (auto m : data) {
      std::string_view id;
      if (m["id"].get(id) == simdjson::SUCCESS) names.emplace_back(id);
    }
    return names;
  }

 private:
  void run(http_request req, exchange& ex, std::stop_token stop) {
    auto box = std::make_shared<eval_internal::wait_box>();
    std::stop_source local;
    std::stop_callback forward(stop, [&local] { local.request_stop(); });
    const auto started = clock::now();
    http_->start(std::move(req), std::make_shared<box_sink>(box), local.get_token());
    // The transport enforces the timeouts; this bound only guards against a stuck transport.
    if (!box->wait_until(started + timeout_ + std::chrono::seconds(5))) {
      local.request_stop();
      (void)box->wait_until(clock::now() + std::chrono::seconds(2));
    }
    std::lock_guard lock(box->mu);
    ex.status = box->status;
    ex.reply = box->body;
    ex.latency_us = micros(clock::now() - started);
    if (box->first_byte != clock::time_point{}) ex.ttft_us = micros(box->first_byte - started);
    if (!box->done) ex.transport_error = "timeout: no end after " + std::to_string(timeout_.count() / 1000) + " s";
    else if (!box->error.empty()) ex.transport_error = box->error;
  }

  std::shared_ptr<transport> http_;
  std::string base_;
  std::chrono::milliseconds timeout_;
  std::string key_;
  client_api api_;
};

}  // namespace

std::unique_ptr<endpoint> make_http_endpoint(std::shared_ptr<transport> http, std::string base_url,
                                             std::chrono::milliseconds timeout, std::string api_key,
                                             client_api api) {
  return std::make_unique<http_endpoint>(std::move(http), std::move(base_url), timeout,
                                         std::move(api_key), api);
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
