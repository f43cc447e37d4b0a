#include "http_server.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <harness/codec.h>
#include <harness/translate.h>

#include "event_hub.h"
#include "events_route.h"
#include "front/http_front.h"
#include "health.h"
#include "metrics.h"
#include "request_guard.h"

namespace harness_server {
namespace {

using clock = std::chrono::steady_clock;
using harness::dialect;

// Clients authenticate with the proxy's own access token in whichever header their SDK uses.
bool authorized(const http_request& req, const std::string& token) {
  return access_granted(token, req.header("Authorization"), req.header("x-api-key"));
}

std::string error_json(dialect d, int status, harness::errc code, std::string_view message) {
  harness::error err = harness::make_error(code, std::string(message));
  err.http_status = status;
  return harness::encode_error(d, err);
}

void send_error(exchange& ex, dialect d, int status, harness::errc code, std::string_view message,
                const harness::header_list& headers = {}) {
  ex.reply(status, "application/json", error_json(d, status, code, message), headers);
}

// The dialect of the clients that use a path, for errors the front answers itself.
dialect dialect_of_path(std::string_view path) {
  if (path.rfind("/v1/messages", 0) == 0) return dialect::anthropic;
  if (path == "/api/chat") return dialect::ollama;
  if (path == "/v1/responses" || path == "/responses") return dialect::responses;
  return dialect::openai;
}

front_settings front_settings_for(const harness::server_config& s,
                                  std::vector<std::shared_ptr<harness::curl_loop_transport>> upstreams) {
  front_settings f;
  f.loops = front_loop_count(s);
  f.upstreams = std::move(upstreams);
  f.limits.max_body_bytes = static_cast<std::size_t>(std::max<std::int64_t>(0, s.max_body_bytes));
  return f;
}

}  // namespace

int front_loop_count(const harness::server_config& s) {
  if (s.threads > 0) return s.threads;
  // A loop does a request's whole work (client and upstream I/O, translation): one per core,
  // counting the cores this process may use (taskset, cgroup cpusets), not the machine's.
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return std::max(1, CPU_COUNT(&cpus));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

struct http_server::impl {
  harness::gateway& gw;
  harness::server_config settings;
  std::atomic<bool> stopping{false};
  std::shared_ptr<event_hub> events;  // live exchange stream; null: no events route
  watcher_threads watchers;
  // /health probes the backends again in the background, at most every 15 s.
  health_monitor health{gw, std::chrono::seconds(15), std::chrono::milliseconds(1500)};
  http_front front;

  impl(harness::gateway& g, const harness::server_config& s,
       std::vector<std::shared_ptr<harness::curl_loop_transport>> upstreams)
      : gw(g), settings(s),
        front(front_settings_for(s, std::move(upstreams)),
              [this](http_request& req, const std::shared_ptr<exchange>& ex) { route(req, ex); },
              [](int status, std::string_view path, std::string_view message) {
                const harness::errc code =
                    status == 408 ? harness::errc::timeout : harness::errc::invalid_request;
                return error_json(dialect_of_path(path), status, code, message);
              }) {}

  void route(http_request& req, const std::shared_ptr<exchange>& ex);
  void serve(dialect d, http_request& req, const std::shared_ptr<exchange>& ex);
  void count_tokens(const http_request& req, exchange& ex);
  std::string metrics_text() const;
};

void http_server::impl::serve(dialect d, http_request& req, const std::shared_ptr<exchange>& ex) {
  if (!authorized(req, settings.access_token)) {
    send_error(*ex, d, 401, harness::errc::invalid_request,
               "missing or wrong access token for this proxy");
    return;
  }
  if (auto no = refuse_browser_request(req.header("Origin"), req.header("Content-Type"))) {
    send_error(*ex, d, no->status, harness::errc::invalid_request, no->message);
    return;
  }
  if (front.open_streams() >= settings.max_concurrent_streams) {
    send_error(*ex, d, 503, harness::errc::upstream_transport,
               "too many concurrent requests; try again shortly", {{"retry-after", "1"}});
    return;
  }
  harness::header_list forwarded;  // what the gateway may pass upstream (gateway.h)
  if (req.has_header("anthropic-beta")) {
    forwarded.emplace_back("anthropic-beta", std::string(req.header("anthropic-beta")));
  }
  ex->set_deadline(clock::now() + std::chrono::milliseconds(settings.request_timeout_ms), 504,
                   [d] { return error_json(d, 504, harness::errc::timeout, "no answer from the upstream in time"); });
  gw.handle(d, std::move(req.body), forwarded, ex, ex->stop_token());
}

void http_server::impl::count_tokens(const http_request& req, exchange& ex) {
  // Claude Code asks before compacting; no backend but Anthropic answers it, so estimate here.
  if (!authorized(req, settings.access_token)) {
    send_error(ex, dialect::anthropic, 401, harness::errc::invalid_request,
               "missing or wrong access token for this proxy");
    return;
  }
  auto counted = harness::count_tokens_response(req.body);
  if (!counted) {
    const int status = counted.error_value().http_status;
    ex.reply(status, "application/json",
             harness::encode_error(dialect::anthropic, counted.error_value()));
    return;
  }
  ex.reply(200, "application/json", *counted);
}

std::string http_server::impl::metrics_text() const {
  std::string text = format_metrics(gw.stats());
  text += "# HELP harness_client_queue_bytes Bytes waiting for slow clients to read them.\n"
          "# TYPE harness_client_queue_bytes gauge\nharness_client_queue_bytes " +
          std::to_string(front.queued_bytes()) + "\n";
  return text;
}

void http_server::impl::route(http_request& req, const std::shared_ptr<exchange>& ex) {
  const std::string& path = req.path;
  if (req.method == "OPTIONS") {
    ex->reply(204, "", "");
    return;
  }
  // Each known path takes one method (GET also answers HEAD: the front drops the body); any
  // other method gets a 405 naming it.
  const auto wrong_method = [&](const char* allow) {
    send_error(*ex, dialect_of_path(path), 405, harness::errc::invalid_request,
               "method not allowed on this route", {{"Allow", allow}});
  };
  const auto post_route = [&](auto&& handle) {
    if (req.method == "POST") {
      handle();
    } else {
      wrong_method("POST");
    }
  };
  const auto get_route = [&](auto&& handle) {
    if (req.method == "GET" || req.method == "HEAD") {
      handle();
    } else {
      wrong_method("GET, HEAD");
    }
  };
  const auto guarded = [&](dialect d, auto&& handle) {
    if (!authorized(req, settings.access_token)) {
      send_error(*ex, d, 401, harness::errc::invalid_request, "missing or wrong access token");
      return;
    }
    handle();
  };

  if (path == "/v1/chat/completions" || path == "/chat/completions") {
    post_route([&] { serve(dialect::openai, req, ex); });
  } else if (path == "/v1/messages") {
    post_route([&] { serve(dialect::anthropic, req, ex); });
  } else if (path == "/v1/messages/count_tokens") {
    post_route([&] { count_tokens(req, *ex); });
  } else if (path == "/v1/responses" || path == "/responses") {
    // OpenAI Responses (Codex): one more client codec on the same pipeline.
    post_route([&] { serve(dialect::responses, req, ex); });
  } else if (path == "/api/chat") {
    post_route([&] { serve(dialect::ollama, req, ex); });
  } else if (path == "/v1/models") {
    // Anthropic SDKs send anthropic-version; everyone else gets OpenAI's list.
    const dialect d = req.has_header("anthropic-version") ? dialect::anthropic : dialect::openai;
    get_route([&] { guarded(d, [&] { ex->reply(200, "application/json", gw.list_models(d)); }); });
  } else if (path == "/v1/harness/models") {
    // Each route's policy, where it came from and its health (harness-cli models).
    get_route([&] {
      guarded(dialect::openai,
              [&] { ex->reply(200, "application/json", harness::to_json(gw.routes())); });
    });
  } else if (path == "/v1/harness/events") {
    get_route([&] {
      guarded(dialect::openai, [&] {
        if (events == nullptr) {
          send_error(*ex, dialect::openai, 404, harness::errc::invalid_request, "no such route");
          return;
        }
        serve_events(*events, stopping, watchers, ex);
      });
    });
  } else if (path == "/health") {
    // Always 200, also when degraded: liveness probes must not restart a proxy whose upstream
    // is down or whose key is missing (the body says which route and why).
    get_route([&] {
      ex->reply(200, "application/json", health.body(authorized(req, settings.access_token)));
    });
  } else if (path == "/metrics") {
    get_route([&] { ex->reply(200, "text/plain; version=0.0.4", metrics_text()); });
  } else if (path == "/") {
    // Claude Code probes the root with HEAD before its first request.
    get_route([&] { ex->reply(200, "text/plain", "libharness proxy\n"); });
  } else {
    send_error(*ex, dialect_of_path(path), 404, harness::errc::invalid_request, "no such route");
  }
}

http_server::http_server(harness::gateway& gateway, const harness::server_config& settings,
                         std::vector<std::shared_ptr<harness::curl_loop_transport>> upstreams)
    : impl_(std::make_unique<impl>(gateway, settings, std::move(upstreams))) {}

http_server::~http_server() {
  stop();
  impl_->watchers.join_all();
}

bool http_server::bind(const std::string& host, int port) { return impl_->front.bind(host, port); }

int http_server::port() const { return impl_->front.port(); }

void http_server::set_event_hub(std::shared_ptr<event_hub> hub) { impl_->events = std::move(hub); }

bool http_server::run() {
  const bool ok = impl_->front.run();
  impl_->watchers.join_all();
  return ok;
}

void http_server::stop() {
  impl_->stopping = true;
  if (impl_->events != nullptr) impl_->events->close();
  impl_->front.stop();
}

}  // namespace harness_server
