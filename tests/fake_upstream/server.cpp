#include "server.h"

#include <sys/socket.h>

#include <memory>
#include <thread>

#include "catalog.h"
#include "connection.h"
#include "reply.h"
#include "wire.h"

namespace fake {
namespace {

using Clock = std::chrono::steady_clock;

/// Goes quiet until `until`; false when the client left meanwhile.
bool stall(httplib::DataSink &sink, int fd, Clock::time_point until) {
  while (Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!sink.is_writable() || peer_gone(fd)) return false;
  }
  return true;
}

void send(Plan plan, Dialect dialect, const httplib::Request &req, httplib::Response &res) {
  if (plan.head_delay.count() > 0) std::this_thread::sleep_for(plan.head_delay);
  res.status = plan.status;
  for (const auto &[k, v] : plan.headers) res.set_header(k, v);
  if (dialect == Dialect::openai) res.set_header("x-request-id", make_id("req_", 32, "0123456789abcdef"));
  if (dialect == Dialect::anthropic) res.set_header("request-id", make_id("req_011", 24));
  if (!plan.chunked) {
    std::string body;
    for (const std::string &p : plan.pieces) body += p;
    res.set_content(body, plan.content_type);
    return;
  }
  auto shared = std::make_shared<Plan>(std::move(plan));
  std::string raddr = req.remote_addr;
  int rport = req.remote_port, lport = req.local_port;
  res.set_chunked_content_provider(
      shared->content_type, [shared, raddr, rport, lport](std::size_t, httplib::DataSink &sink) {
        const Plan &p = *shared;
        bool needs_fd = p.stall_after != Plan::never || p.reset_after != Plan::never;
        int fd = needs_fd ? find_socket(raddr, rport, lport) : -1;
        for (std::size_t i = 0; i <= p.pieces.size(); ++i) {
          if (i == p.reset_after) {
            reset_connection(fd);
            return false;  // the body is cut short; httplib ends this connection
          }
          if (i == p.pieces.size()) break;
          if (i == p.stall_after) {
            if (!stall(sink, fd, Clock::now() + p.stall_for)) return false;
          } else if (i > 0 && p.pace.count() > 0) {
            std::this_thread::sleep_for(p.pace);
          }
          if (!sink.write(p.pieces[i].data(), p.pieces[i].size())) return false;
        }
        sink.done();
        return true;
      });
}

}  // namespace

FakeServer::FakeServer(RequestLog &request_log, std::size_t threads) : log_(request_log) {
  svr_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr_.set_tcp_nodelay(true);
  svr_.set_read_timeout(60, 0);
  svr_.set_write_timeout(60, 0);

  svr_.Post("/v1/chat/completions", [this](const httplib::Request &q, httplib::Response &r) { chat(Dialect::openai, q, r); });
  svr_.Post("/v1/messages", [this](const httplib::Request &q, httplib::Response &r) { chat(Dialect::anthropic, q, r); });
  svr_.Post("/api/chat", [this](const httplib::Request &q, httplib::Response &r) { chat(Dialect::ollama, q, r); });
  svr_.Post("/v1/messages/count_tokens", [this](const httplib::Request &q, httplib::Response &r) {
    r.set_content(Json::object().set("input_tokens", estimate_tokens(q.body.size())).dump(), "application/json");
    log(q, {}, 200);
  });
  svr_.Post("/api/show", [this](const httplib::Request &q, httplib::Response &r) {
    int status = 200;
    r.set_content(ollama_show(q.body, &status), "application/json; charset=utf-8");
    r.status = status;
    log(q, {}, status);
  });
  svr_.Get("/api/tags", [this](const httplib::Request &q, httplib::Response &r) {
    r.set_content(ollama_tags(), "application/json; charset=utf-8");
    log(q, {}, 200);
  });
  svr_.Get("/v1/models", [this](const httplib::Request &q, httplib::Response &r) {
    bool anthropic = q.has_header("anthropic-version") || q.has_header("x-api-key");
    r.set_content(models_list(anthropic), "application/json");
    log(q, {}, 200);
  });
  svr_.Get("/health", [](const httplib::Request &, httplib::Response &r) {
    r.set_content("{\"status\":\"ok\"}", "application/json");
  });
  svr_.Get("/", [](const httplib::Request &, httplib::Response &r) {
    r.set_content("Ollama is running", "text/plain; charset=utf-8");
  });
  svr_.set_error_handler([](const httplib::Request &, httplib::Response &r) {
    if (r.body.empty() && r.status == 404) r.set_content("404 page not found", "text/plain");
  });
  svr_.set_exception_handler([](const httplib::Request &, httplib::Response &r, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception &e) {
      what = e.what();
    } catch (...) {
    }
    r.status = 500;
    r.set_content("{\"error\":" + fake::quoted("fake upstream internal error: " + what) + "}", "application/json");
  });
}

int FakeServer::bind(const std::string &host, int port) {
  // httplib 0.11 listens with a backlog of 5: a burst of proxy connections would have SYNs
  // dropped and retried a second later (a fake "slow upstream"). Listen again with a long one.
  int listener = -1;
  svr_.set_socket_options([&listener](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listener = sock;
  });
  const int bound = port == 0 ? svr_.bind_to_any_port(host) : (svr_.bind_to_port(host, port) ? port : -1);
  if (bound > 0 && listener >= 0) ::listen(listener, SOMAXCONN);
  return bound;
}

bool FakeServer::serve() { return svr_.listen_after_bind(); }

void FakeServer::stop() { svr_.stop(); }

void FakeServer::chat(Dialect dialect, const httplib::Request &req, httplib::Response &res) {
  Received received;
  Plan plan = respond(dialect, req.body, faults_, received);
  log(req, received, plan.status);
  send(std::move(plan), dialect, req, res);
}

void FakeServer::log(const httplib::Request &req, const Received &received, int status) {
  Json line = Json::object();
  line.set("method", req.method)
      .set("path", req.path)
      .set("model", received.parsed ? Json(received.model) : Json())
      .set("tools", received.tools)
      .set("stream", received.stream)
      .set("messages", received.messages)
      .set("status", status);
  log_.write(line);
}

}  // namespace fake
