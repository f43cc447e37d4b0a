#include "http_server.h"

#include <httplib.h>

#include <sys/socket.h>

#include <atomic>
#include <chrono>

#include <harness/codec.h>
#include <harness/translate.h>

#include "event_hub.h"
#include "events_route.h"
#include "health.h"
#include "metrics.h"
#include "request_guard.h"
#include "stream_bridge.h"
#include "worker_pool.h"

namespace harness_server {
namespace {

using clock = std::chrono::steady_clock;

std::string header_or_empty(const httplib::Request& req, const char* name) {
  return req.has_header(name) ? req.get_header_value(name) : std::string();
}

// Clients authenticate with the proxy's own access token in whichever header their SDK uses.
bool authorized(const httplib::Request& req, const std::string& token) {
  return access_granted(token, header_or_empty(req, "Authorization"),
                        header_or_empty(req, "x-api-key"));
}

void send_error(httplib::Response& res, harness::dialect d, int status, harness::errc code,
                const std::string& message) {
  harness::error err = harness::make_error(code, message);
  err.http_status = status;
  res.status = status;
  res.set_content(harness::encode_error(d, err), "application/json");
}

}  // namespace

struct http_server::impl {
  harness::gateway& gw;
  harness::server_config settings;
  httplib::Server svr;
  int bound_port = 0;
  int listener = -1;  // the listening socket, seen by the socket-options hook
  std::atomic<int> open_streams{0};
  // Bytes answered but not yet written to slow clients (bounded per stream by the bridge).
  std::shared_ptr<std::atomic<std::int64_t>> queued_bytes =
      std::make_shared<std::atomic<std::int64_t>>(0);
  std::atomic<bool> stopping{false};
  std::shared_ptr<event_hub> events;  // live exchange stream; null: no events route

  // /health probes the backends again in the background, at most every 15 s.
  health_monitor health{gw, std::chrono::seconds(15), std::chrono::milliseconds(1500)};

  impl(harness::gateway& g, const harness::server_config& s) : gw(g), settings(s) {}

  void serve(harness::dialect d, const httplib::Request& req, httplib::Response& res);
  void routes();
};

void http_server::impl::serve(harness::dialect d, const httplib::Request& req,
                              httplib::Response& res) {
  if (!authorized(req, settings.access_token)) {
    send_error(res, d, 401, harness::errc::invalid_request,
               "missing or wrong access token for this proxy");
    return;
  }
  if (auto no = refuse_browser_request(header_or_empty(req, "Origin"),
                                       header_or_empty(req, "Content-Type"))) {
    send_error(res, d, no->status, harness::errc::invalid_request, no->message);
    return;
  }
  if (open_streams.load() >= settings.max_concurrent_streams) {
    send_error(res, d, 503, harness::errc::upstream_transport,
               "too many concurrent requests; try again shortly");
    res.set_header("retry-after", "1");
    return;
  }
  auto bridge = std::make_shared<stream_bridge>(queued_bytes);
  auto stop = std::make_shared<std::stop_source>();
  harness::header_list forwarded;  // what the gateway may pass upstream (gateway.h)
  if (req.has_header("anthropic-beta")) {
    forwarded.emplace_back("anthropic-beta", req.get_header_value("anthropic-beta"));
  }
  gw.handle(d, req.body, forwarded, bridge, stop->get_token());

  const auto deadline = clock::now() + std::chrono::milliseconds(settings.request_timeout_ms);
  if (!bridge->wait_head(deadline)) {
    stop->request_stop();
    send_error(res, d, 504, harness::errc::timeout, "no answer from the upstream in time");
    return;
  }
  res.status = bridge->status();
  for (const auto& [k, v] : bridge->headers()) res.set_header(k.c_str(), v);
  const std::string type = bridge->content_type();
  if (type == "application/json") {
    res.set_content(bridge->wait_all(deadline), type.c_str());
    return;
  }
  ++open_streams;
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      type,
      [this, bridge, stop](std::size_t, httplib::DataSink& sink) {
        for (;;) {
          bool ended = false;
          std::string chunk = bridge->next(std::chrono::milliseconds(250), ended);
          if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) break;
          if (ended) {
            sink.done();
            return true;
          }
          if (chunk.empty() && (!sink.is_writable() || stopping.load())) break;
        }
        // The client went away (or we are shutting down): cancel the upstream.
        bridge->client_gone();
        stop->request_stop();
        return false;
      },
      [this, bridge, stop](bool success) {
        if (!success) {
          bridge->client_gone();
          stop->request_stop();
        }
        --open_streams;
      });
}

void http_server::impl::routes() {
  using harness::dialect;
  auto chat = [this](const httplib::Request& req, httplib::Response& res) {
    serve(dialect::openai, req, res);
  };
  svr.Post("/v1/chat/completions", chat);
  svr.Post("/chat/completions", chat);
  svr.Post("/v1/messages", [this](const httplib::Request& req, httplib::Response& res) {
    serve(dialect::anthropic, req, res);
  });
  // Claude Code asks before compacting; no backend but Anthropic answers it, so estimate here.
  svr.Post("/v1/messages/count_tokens", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, settings.access_token)) {
      send_error(res, dialect::anthropic, 401, harness::errc::invalid_request,
                 "missing or wrong access token for this proxy");
      return;
    }
    auto counted = harness::count_tokens_response(req.body);
    if (!counted) {
      res.status = counted.error_value().http_status;
      res.set_content(harness::encode_error(dialect::anthropic, counted.error_value()),
                      "application/json");
      return;
    }
    res.set_content(*counted, "application/json");
  });
  // OpenAI Responses (Codex): one more client codec on the same pipeline.
  auto responses = [this](const httplib::Request& req, httplib::Response& res) {
    serve(dialect::responses, req, res);
  };
  svr.Post("/v1/responses", responses);
  svr.Post("/responses", responses);
  svr.Post("/api/chat", [this](const httplib::Request& req, httplib::Response& res) {
    serve(dialect::ollama, req, res);
  });
  svr.Get("/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
    // Anthropic SDKs send anthropic-version; everyone else gets OpenAI's list.
    const dialect d = req.has_header("anthropic-version") ? dialect::anthropic : dialect::openai;
    if (!authorized(req, settings.access_token)) {
      send_error(res, d, 401, harness::errc::invalid_request, "missing or wrong access token");
      return;
    }
    res.set_content(gw.list_models(d), "application/json");
  });
  // Each route's policy, where it came from and its health (harness-cli models).
  svr.Get("/v1/harness/models", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, settings.access_token)) {
      send_error(res, dialect::openai, 401, harness::errc::invalid_request,
                 "missing or wrong access token");
      return;
    }
    res.set_content(harness::to_json(gw.routes()), "application/json");
  });
  svr.Get("/v1/harness/events", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, settings.access_token)) {
      send_error(res, dialect::openai, 401, harness::errc::invalid_request,
                 "missing or wrong access token");
      return;
    }
    if (events == nullptr) {
      send_error(res, dialect::openai, 404, harness::errc::invalid_request, "no such route");
      return;
    }
    serve_events(*events, stopping, req, res);
  });
  // Always 200, also when degraded: liveness probes must not restart a proxy whose upstream
  // is down or whose key is missing (the body says which route and why).
  svr.Get("/health", [this](const httplib::Request& req, httplib::Response& res) {
    res.set_content(health.body(authorized(req, settings.access_token)), "application/json");
  });
  svr.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::string text = format_metrics(gw.stats());
    text += "# HELP harness_client_queue_bytes Bytes waiting for slow clients to read them.\n"
            "# TYPE harness_client_queue_bytes gauge\nharness_client_queue_bytes " +
            std::to_string(queued_bytes->load()) + "\n";
    res.set_content(text, "text/plain; version=0.0.4");
  });
  svr.Options(".*", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  // Claude Code probes the root with HEAD before its first request.
  svr.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("libharness proxy\n", "text/plain");
  });
}

http_server::http_server(harness::gateway& gateway, const harness::server_config& settings)
    : impl_(std::make_unique<impl>(gateway, settings)) {
  auto& svr = impl_->svr;
  // Every open stream, every live watcher (GET /v1/harness/events holds its thread) and 16
  // keep-alive clients besides: watchers can never take the threads streams are promised.
  const int watchers = static_cast<int>(event_hub_options{}.max_subscribers);
  const int threads =
      settings.threads > 0 ? settings.threads : settings.max_concurrent_streams + watchers + 16;
  // Threads start on demand and leave after a quiet spell: idle memory stays small while up to
  // `threads` connections can still be served.
  svr.new_task_queue = [threads] {
    return new worker_pool(static_cast<std::size_t>(threads), 2, std::chrono::seconds(10));
  };
  svr.set_payload_max_length(static_cast<size_t>(settings.max_body_bytes));
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(1000);
  svr.set_read_timeout(std::chrono::seconds(30));
  svr.set_write_timeout(std::chrono::seconds(30));
  svr.set_keep_alive_timeout(30);
  // Never leak exception text to clients (httplib 0.11 would put it in a header).
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                               std::exception_ptr) {
    send_error(res, harness::dialect::openai, 500, harness::errc::internal, "internal error");
  });
  // Errors httplib produces itself (413 body too large, 404 unknown path) get a JSON body in
  // the dialect the path belongs to.
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const harness::dialect d = req.path.rfind("/v1/messages", 0) == 0 ? harness::dialect::anthropic
                               : req.path == "/api/chat"              ? harness::dialect::ollama
                                                                      : harness::dialect::openai;
    const char* what = res.status == 413   ? "request body too large"
                       : res.status == 404 ? "no such route"
                                           : "request rejected";
    send_error(res, d, res.status, harness::errc::invalid_request, what);
  });
  impl_->routes();
}

http_server::~http_server() { stop(); }

bool http_server::bind(const std::string& host, int port) {
  // httplib 0.11 listens with a backlog of 5: many clients connecting at once (256 streams)
  // would see their SYNs dropped and retried seconds later. Listening again on the bound
  // socket raises the backlog.
  auto* self = impl_.get();
  self->listener = -1;
  impl_->svr.set_socket_options([self](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    self->listener = sock;
  });
  bool ok = false;
  if (port == 0) {
    impl_->bound_port = impl_->svr.bind_to_any_port(host.c_str());
    ok = impl_->bound_port > 0;
  } else {
    impl_->bound_port = port;
    ok = impl_->svr.bind_to_port(host.c_str(), port);
  }
  if (ok && self->listener >= 0) ::listen(self->listener, SOMAXCONN);
  return ok;
}

int http_server::port() const { return impl_->bound_port; }

void http_server::set_event_hub(std::shared_ptr<event_hub> hub) { impl_->events = std::move(hub); }

bool http_server::run() { return impl_->svr.listen_after_bind(); }

void http_server::stop() {
  impl_->stopping = true;
  if (impl_->events != nullptr) impl_->events->close();
  impl_->svr.stop();
}

}  // namespace harness_server
