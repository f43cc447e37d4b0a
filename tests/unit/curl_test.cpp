// Tests of the curl module: the libcurl transport against a real cpp-httplib server on loopback.
// Built twice: test_curl runs them on make_curl_transport (its own I/O thread), test_curl_loop
// (HARNESS_TEST_LOOP_TRANSPORT) on make_curl_loop_transport driven by a poll loop of the test's.
//
// No assertion is about speed: every wait is bounded only so that a bug fails the test instead
// of hanging it.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <poll.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <harness/curl_transport.h>

#include "curl/errors.h"
#include "curl/head_parser.h"
#include "test_support.h"

using namespace harness;
using namespace std::chrono_literals;

namespace {

// The application's one global init (here: the test program's).
const curl_global_guard global_curl;

constexpr auto bound = 10s;  // the longest any wait may take before the test fails

// A gate a server handler waits on until the test opens it (bounded, so a failed test ends).
class gate {
 public:
  void open() {
    {
      const std::lock_guard lock(m_);
      open_ = true;
    }
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds limit = bound) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] { return open_; });
  }
  bool is_open() {
    const std::lock_guard lock(m_);
    return open_;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A real HTTP server on 127.0.0.1 and an ephemeral port, serving on its own thread.
class test_server {
 public:
  explicit test_server(const std::function<void(httplib::Server&)>& routes,
                       std::unique_ptr<httplib::Server> server = nullptr)
      : owned_(server ? std::move(server) : std::make_unique<httplib::Server>()),
        server_(*owned_) {
    REQUIRE(server_.is_valid());
    // Every keep-alive connection pins a worker: give the concurrency test enough of them.
    server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server_.set_keep_alive_max_count(1000);
    server_.set_tcp_nodelay(true);
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
    }
    REQUIRE(server_.is_running());
  }
  ~test_server() {
    server_.stop();
    thread_.join();
  }
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  std::unique_ptr<httplib::Server> owned_;
  httplib::Server& server_;
  int port_ = -1;
  std::thread thread_;
};

// Records every callback, checks their order, and lets the test wait for them.
class recording_sink final : public response_sink {
 public:
  /// Called after each body piece is recorded; its answer is on_body's.
  std::function<bool(std::string_view)> body_hook;

  void on_head(int status, const header_list& headers) override {
    {
      const std::lock_guard lock(m_);
      if (head_calls_ > 0 || body_calls_ > 0 || complete_calls_ > 0) order_ok_ = false;
      ++head_calls_;
      status_ = status;
      headers_ = headers;
    }
    cv_.notify_all();
  }
  bool on_body(std::string_view bytes) override {
    {
      const std::lock_guard lock(m_);
      if (head_calls_ != 1 || complete_calls_ > 0) order_ok_ = false;
      ++body_calls_;
      body_ += bytes;
    }
    cv_.notify_all();
    return body_hook ? body_hook(bytes) : true;
  }
  void on_complete(result<void> outcome) override {
    {
      const std::lock_guard lock(m_);
      ++complete_calls_;
      outcome_ = std::move(outcome);
    }
    cv_.notify_all();
  }

  bool wait_body_calls(int n, std::chrono::milliseconds limit = bound) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] { return body_calls_ >= n || complete_calls_ > 0; }) &&
           body_calls_ >= n;
  }
  bool wait_complete(std::chrono::milliseconds limit = bound) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] { return complete_calls_ > 0; });
  }

  template <class F>
  auto locked(F f) {
    const std::lock_guard lock(m_);
    return f();
  }

  int head_calls() { return locked([&] { return head_calls_; }); }
  int body_calls() { return locked([&] { return body_calls_; }); }
  int complete_calls() { return locked([&] { return complete_calls_; }); }
  bool order_ok() { return locked([&] { return order_ok_; }); }
  int status() { return locked([&] { return status_; }); }
  std::string body() { return locked([&] { return body_; }); }
  bool ok() { return locked([&] { return outcome_ && outcome_->has_value(); }); }
  /// The error code, or nullopt on success or before completion.
  std::optional<errc> code() {
    return locked([&]() -> std::optional<errc> {
      if (!outcome_ || outcome_->has_value()) return std::nullopt;
      return outcome_->error_value().code;
    });
  }
  std::string message() {
    return locked([&]() -> std::string {
      if (!outcome_ || outcome_->has_value()) return {};
      return outcome_->error_value().message;
    });
  }
  std::string header(const std::string& name) {
    return locked([&]() -> std::string {
      for (const auto& [n, v] : headers_) {
        if (n == name) return v;
      }
      return "<absent>";
    });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  int head_calls_ = 0;
  int body_calls_ = 0;
  int complete_calls_ = 0;
  bool order_ok_ = true;
  int status_ = 0;
  header_list headers_;
  std::string body_;
  std::optional<result<void>> outcome_;
};

http_request get(const std::string& url) {
  http_request r;
  r.method = "GET";
  r.url = url;
  return r;
}

std::shared_ptr<recording_sink> start(transport& t, http_request r, std::stop_token stop = {}) {
  auto sink = std::make_shared<recording_sink>();
  t.start(std::move(r), sink, std::move(stop));
  return sink;
}

std::shared_ptr<recording_sink> run(transport& t, http_request r) {
  auto sink = start(t, std::move(r));
  REQUIRE(sink->wait_complete());
  return sink;
}

// Drives a loop transport as a server's event loop would: on one thread, waiting on its
// descriptor for at most its timeout, then running it.
class driven_loop final : public transport {
 public:
  explicit driven_loop(std::unique_ptr<curl_loop_transport> loop) : loop_(std::move(loop)) {
    thread_ = std::thread([this] {
      loop_->bind_to_this_thread();
      while (!stop_.load()) {
        pollfd p{loop_->watch_fd(), POLLIN, 0};
        int wait = loop_->timeout_ms();
        if (wait < 0 || wait > 50) wait = 50;  // looks at stop_ now and then
        ::poll(&p, 1, wait);
        loop_->run();
      }
      loop_->close();  // on the loop thread: what is in flight completes as canceled
    });
  }
  ~driven_loop() override {
    stop_.store(true);
    thread_.join();
  }
  driven_loop(const driven_loop&) = delete;
  driven_loop& operator=(const driven_loop&) = delete;
  void start(http_request request, std::shared_ptr<response_sink> sink,
             std::stop_token stop) override {
    loop_->start(std::move(request), std::move(sink), std::move(stop));
  }

 private:
  std::unique_ptr<curl_loop_transport> loop_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::unique_ptr<transport> make_transport(const curl_transport_options& options = {}) {
#ifdef HARNESS_TEST_LOOP_TRANSPORT
  auto loop = make_curl_loop_transport(options);
  REQUIRE(loop);
  return std::make_unique<driven_loop>(std::move(loop));
#else
  auto t = make_curl_transport(options);
  REQUIRE(t);
  return t;
#endif
}

// Server side of a stream the client abandons: writes a chunk every 20 ms until a write fails
// or the socket stops being writable, then reports the disconnect.
struct disconnect_probe {
  std::mutex m;
  std::condition_variable cv;
  bool disconnected = false;

  void install(httplib::Server& s, const std::string& path) {
    s.Get(path, [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/event-stream", [this](std::size_t,
                                                                   httplib::DataSink& sink) {
        const auto deadline = std::chrono::steady_clock::now() + bound;
        while (std::chrono::steady_clock::now() < deadline) {
          static constexpr char event[] = "data: tick\n\n";
          if (!sink.is_writable() || !sink.write(event, sizeof event - 1)) {
            {
              const std::lock_guard lock(m);
              disconnected = true;
            }
            cv.notify_all();
            return false;
          }
          std::this_thread::sleep_for(20ms);
        }
        sink.done();
        return true;
      });
    });
  }
  bool wait_disconnect(std::chrono::milliseconds limit) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, limit, [&] { return disconnected; });
  }
};

}  // namespace

TEST_CASE("curl: a JSON POST carries body and headers, and status and headers come back") {
  std::mutex m;
  std::string seen_body, seen_auth, seen_type, seen_custom;
  test_server server([&](httplib::Server& s) {
    s.Post("/v1/chat", [&](const httplib::Request& req, httplib::Response& res) {
      {
        const std::lock_guard lock(m);
        seen_body = req.body;
        seen_auth = req.get_header_value("Authorization");
        seen_type = req.get_header_value("Content-Type");
        seen_custom = req.get_header_value("X-Empty");
      }
      res.status = 201;
      res.set_header("X-Request-Id", "abc-123");
      res.set_content(R"({"ok":true})", "application/json");
    });
  });
  auto t = make_transport();
  http_request r;
  r.url = server.url("/v1/chat");
  r.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-test"}};
  r.body = R"({"model":"m","messages":[]})";
  auto sink = run(*t, r);
  CHECK(sink->ok());
  CHECK(sink->order_ok());
  CHECK(sink->head_calls() == 1);
  CHECK(sink->status() == 201);
  CHECK(sink->header("content-type") == "application/json");
  CHECK(sink->header("x-request-id") == "abc-123");
  CHECK(sink->body() == R"({"ok":true})");
  const std::lock_guard lock(m);
  CHECK(seen_body == r.body);
  CHECK(seen_auth == "Bearer sk-test");
  CHECK(seen_type == "application/json");
}

TEST_CASE("curl: an error status is a response, not a transport error") {
  test_server server([](httplib::Server& s) {
    s.Post("/v1/chat", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_content(R"({"error":"slow down"})", "application/json");
    });
  });
  auto t = make_transport();
  http_request r;
  r.url = server.url("/v1/chat");
  r.body = "{}";
  auto sink = run(*t, r);
  CHECK(sink->ok());
  CHECK(sink->status() == 429);
  CHECK(sink->body() == R"({"error":"slow down"})");
}

TEST_CASE("curl: Expect 100-continue gives one head, the final one") {
  std::atomic<bool> asked{false};
  test_server server([&](httplib::Server& s) {
    s.set_expect_100_continue_handler([&](const httplib::Request&, httplib::Response&) {
      asked = true;
      return 100;
    });
    s.Post("/up", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(req.body.size()), "text/plain");
    });
  });
  auto t = make_transport();
  http_request r;
  r.url = server.url("/up");
  r.headers = {{"Content-Type", "text/plain"}, {"Expect", "100-continue"}};
  r.body = std::string(100000, 'x');
  auto sink = run(*t, r);
  CHECK(asked);
  CHECK(sink->ok());
  CHECK(sink->head_calls() == 1);
  CHECK(sink->status() == 200);
  CHECK(sink->body() == "100000");
}

TEST_CASE("curl: a chunked stream arrives piece by piece, before the server finishes") {
  auto release = std::make_shared<gate>();
  auto released_in_time = std::make_shared<std::atomic<bool>>(false);
  test_server server([&](httplib::Server& s) {
    s.Get("/stream", [release, released_in_time](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider(
          "text/event-stream",
          [release, released_in_time](std::size_t, httplib::DataSink& sink) {
            sink.write("data: 1\n\n", 9);
            // Only a client that received the first event can open the gate.
            *released_in_time = release->wait();
            sink.write("data: 2\n\n", 9);
            sink.done();
            return true;
          });
    });
  });
  auto t = make_transport();
  auto sink = start(*t, get(server.url("/stream")));
  REQUIRE(sink->wait_body_calls(1));
  CHECK(sink->complete_calls() == 0);
  CHECK(sink->body() == "data: 1\n\n");
  CHECK(sink->header("content-type") == "text/event-stream");
  release->open();
  REQUIRE(sink->wait_complete());
  CHECK(*released_in_time);
  CHECK(sink->ok());
  CHECK(sink->order_ok());
  CHECK(sink->body_calls() >= 2);
  CHECK(sink->body() == "data: 1\n\ndata: 2\n\n");
}

TEST_CASE("curl: sequential requests reuse keep-alive connections") {
  std::mutex m;
  std::set<int> ports;
  test_server server([&](httplib::Server& s) {
    s.Get("/ping", [&](const httplib::Request& req, httplib::Response& res) {
      {
        const std::lock_guard lock(m);
        ports.insert(req.remote_port);
      }
      res.set_content("pong", "text/plain");
    });
  });
  auto t = make_transport();
  for (int i = 0; i < 100; ++i) {
    auto sink = run(*t, get(server.url("/ping")));
    REQUIRE(sink->ok());
    REQUIRE(sink->body() == "pong");
  }
  const std::lock_guard lock(m);
  INFO("distinct client ports: " << ports.size());
  CHECK(ports.size() < 10);
}

TEST_CASE("curl: a recycled handle carries nothing of the transfer before it") {
  // One transfer at a time, so each reuses the handle the one before used: method, body,
  // headers and the method override must all be this transfer's own.
  struct seen_request {
    std::string method, body, marker;
  };
  std::mutex m;
  std::vector<seen_request> seen;
  auto record = [&](const httplib::Request& req, httplib::Response& res) {
    const std::lock_guard lock(m);
    seen.push_back({req.method, req.body, req.get_header_value("X-Marker")});
    res.set_content("ok", "text/plain");
  };
  test_server server([&](httplib::Server& s) {
    s.Get("/r", record);  // also answers HEAD
    s.Post("/r", record);
    s.Put("/r", record);
    s.Delete("/r", record);
    s.Patch("/r", record);
  });
  auto t = make_transport();
  auto request = [&](std::string method, std::string body, std::string marker) {
    http_request r;
    r.url = server.url("/r");
    r.method = std::move(method);
    r.body = std::move(body);
    if (!marker.empty()) r.headers = {{"Content-Type", "text/plain"}, {"X-Marker", marker}};
    return r;
  };
  const std::vector<http_request> sent = {
      request("HEAD", "", "a"),        request("POST", "first", "b"), request("GET", "", ""),
      request("PUT", "second", "c"),   request("GET", "", "d"),       request("DELETE", "", ""),
      request("PATCH", "third", "e"),  request("POST", "fourth", ""), request("HEAD", "", ""),
      request("GET", "", "f"),
  };
  for (const auto& r : sent) {
    auto sink = run(*t, r);
    REQUIRE(sink->ok());
    CHECK(sink->status() == 200);
    CHECK(sink->body() == (r.method == "HEAD" ? "" : "ok"));
  }
  const std::lock_guard lock(m);
  REQUIRE(seen.size() == sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    INFO("transfer " << i << ": " << sent[i].method);
    CHECK(seen[i].method == sent[i].method);
    CHECK(seen[i].body == sent[i].body);
    CHECK(seen[i].marker == (sent[i].headers.empty() ? "" : sent[i].headers[1].second));
  }
}

TEST_CASE("curl: 50 concurrent transfers all complete with their own bodies") {
  test_server server([](httplib::Server& s) {
    s.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      std::this_thread::sleep_for(20ms);
      res.set_content(req.body, "text/plain");
    });
  });
  // cpp-httplib listens with a backlog of 5: fifty connects at once would lose SYNs and wait
  // for their retransmission (1 s, 3 s, ...). Four connections make the other transfers queue
  // in libcurl and take a connection as one frees up.
  curl_transport_options options;
  options.max_connections_per_host = 4;
  auto t = make_transport(options);
  std::vector<std::shared_ptr<recording_sink>> sinks;
  std::vector<std::thread> starters;
  std::mutex m;
  // Started from several threads at once: start() is thread-safe.
  for (int th = 0; th < 5; ++th) {
    starters.emplace_back([&, th] {
      for (int i = 0; i < 10; ++i) {
        http_request r;
        r.url = server.url("/echo");
        r.headers = {{"Content-Type", "text/plain"}};
        r.body = "request " + std::to_string(th * 10 + i);
        auto sink = std::make_shared<recording_sink>();
        {
          const std::lock_guard lock(m);
          sinks.push_back(sink);
        }
        t->start(std::move(r), sink, {});
      }
    });
  }
  for (auto& s : starters) s.join();
  REQUIRE(sinks.size() == 50);
  std::set<std::string> bodies;
  for (auto& sink : sinks) {
    REQUIRE(sink->wait_complete());
    CHECK(sink->ok());
    CHECK(sink->complete_calls() == 1);
    bodies.insert(sink->body());
  }
  CHECK(bodies.size() == 50);
  CHECK(bodies.count("request 0") == 1);
  CHECK(bodies.count("request 49") == 1);
}

TEST_CASE("curl: a refused connection is upstream_transport naming the host") {
  // A bound socket that does not listen: connecting to it is refused.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(0x7f000001u);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const int port = ntohs(addr.sin_port);

  auto t = make_transport();
  http_request r;
  r.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/chat?key=secret-key";
  r.headers = {{"Authorization", "Bearer secret-header"}};
  r.body = "{}";
  auto sink = run(*t, r);
  ::close(fd);
  CHECK(sink->code() == errc::upstream_transport);
  CHECK(sink->head_calls() == 0);
  const std::string msg = sink->message();
  CHECK(msg.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  CHECK(msg.find("secret") == std::string::npos);
}

TEST_CASE("curl: an unresolvable host is upstream_transport") {
  auto t = make_transport();
  auto sink = run(*t, get("http://nonexistent.invalid/v1/models"));
  CHECK(sink->code() == errc::upstream_transport);
  CHECK(sink->message().find("nonexistent.invalid") != std::string::npos);
}

TEST_CASE("curl: no head within first_byte_timeout is a timeout") {
  auto release = std::make_shared<gate>();
  test_server server([&](httplib::Server& s) {
    s.Get("/slow", [release](const httplib::Request&, httplib::Response& res) {
      (void)release->wait();
      res.set_content("late", "text/plain");
    });
  });
  auto t = make_transport();
  auto r = get(server.url("/slow"));
  r.first_byte_timeout = 200ms;
  auto sink = run(*t, r);
  release->open();
  CHECK(sink->code() == errc::timeout);
  CHECK(sink->message() == "upstream did not answer within 200 ms");
  CHECK(sink->head_calls() == 0);
}

TEST_CASE("curl: a stream that stalls past idle_timeout is a timeout") {
  auto finished = std::make_shared<gate>();
  test_server server([&](httplib::Server& s) {
    s.Get("/stall", [finished](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider(
          "text/event-stream", [finished](std::size_t, httplib::DataSink& sink) {
            sink.write("data: 1\n\n", 9);
            const auto deadline = std::chrono::steady_clock::now() + bound;
            while (sink.is_writable() && std::chrono::steady_clock::now() < deadline) {
              std::this_thread::sleep_for(10ms);
            }
            finished->open();
            return false;
          });
    });
  });
  auto t = make_transport();
  auto r = get(server.url("/stall"));
  r.idle_timeout = 300ms;
  auto sink = run(*t, r);
  CHECK(sink->code() == errc::timeout);
  CHECK(sink->message() == "upstream sent nothing for 300 ms");
  CHECK(sink->status() == 200);
  CHECK(sink->body() == "data: 1\n\n");
  CHECK(finished->wait(2s));  // the abort closed the connection
}

TEST_CASE("curl: total_timeout ends a stream that keeps talking") {
  disconnect_probe probe;
  test_server server([&](httplib::Server& s) { probe.install(s, "/ticks"); });
  auto t = make_transport();
  auto r = get(server.url("/ticks"));
  r.total_timeout = 300ms;
  auto sink = run(*t, r);
  CHECK(sink->code() == errc::timeout);
  CHECK(sink->message() == "upstream transfer took longer than 300 ms");
  CHECK(probe.wait_disconnect(2s));
}

TEST_CASE("curl: a stop request cancels mid-stream and the server sees the disconnect") {
  disconnect_probe probe;
  test_server server([&](httplib::Server& s) { probe.install(s, "/ticks"); });
  auto t = make_transport();
  std::stop_source stop;
  auto sink = start(*t, get(server.url("/ticks")), stop.get_token());
  REQUIRE(sink->wait_body_calls(2));
  stop.request_stop();
  REQUIRE(sink->wait_complete(2s));
  CHECK(sink->code() == errc::canceled);
  CHECK(sink->complete_calls() == 1);
  CHECK(sink->order_ok());
  CHECK(probe.wait_disconnect(2s));
}

TEST_CASE("curl: a stop requested before start completes with canceled") {
  auto t = make_transport();
  std::stop_source stop;
  stop.request_stop();
  auto sink = start(*t, get("http://127.0.0.1:9/never"), stop.get_token());
  REQUIRE(sink->wait_complete());
  CHECK(sink->code() == errc::canceled);
  CHECK(sink->head_calls() == 0);
}

TEST_CASE("curl: on_body returning false aborts with canceled") {
  disconnect_probe probe;
  test_server server([&](httplib::Server& s) { probe.install(s, "/ticks"); });
  auto t = make_transport();
  auto sink = std::make_shared<recording_sink>();
  sink->body_hook = [](std::string_view) { return false; };
  t->start(get(server.url("/ticks")), sink, {});
  REQUIRE(sink->wait_complete());
  CHECK(sink->code() == errc::canceled);
  CHECK(sink->body_calls() == 1);
  CHECK(probe.wait_disconnect(2s));
}

TEST_CASE("curl: a connection closed mid-stream is upstream_transport") {
  test_server server([](httplib::Server& s) {
    s.Get("/reset", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/event-stream",
                                       [](std::size_t, httplib::DataSink& sink) {
                                         sink.write("data: 1\n\n", 9);
                                         return false;  // httplib drops the connection
                                       });
    });
  });
  auto t = make_transport();
  auto sink = run(*t, get(server.url("/reset")));
  CHECK(sink->code() == errc::upstream_transport);
  CHECK(sink->message() ==
        "upstream 127.0.0.1:" + std::to_string(server.port()) + " closed the connection");
  CHECK(sink->status() == 200);
}

TEST_CASE("curl: destroying the transport completes every transfer in flight with canceled") {
  disconnect_probe probe;
  auto release = std::make_shared<gate>();
  test_server server([&](httplib::Server& s) {
    probe.install(s, "/ticks");
    s.Get("/slow", [release](const httplib::Request&, httplib::Response& res) {
      (void)release->wait();
      res.set_content("late", "text/plain");
    });
  });
  auto t = make_transport();
  std::vector<std::shared_ptr<recording_sink>> streaming, waiting;
  for (int i = 0; i < 5; ++i) streaming.push_back(start(*t, get(server.url("/ticks"))));
  for (int i = 0; i < 3; ++i) waiting.push_back(start(*t, get(server.url("/slow"))));
  for (auto& sink : streaming) REQUIRE(sink->wait_body_calls(1));
  t.reset();
  for (auto& sink : streaming) {
    CHECK(sink->complete_calls() == 1);
    CHECK(sink->code() == errc::canceled);
    CHECK(sink->order_ok());
  }
  for (auto& sink : waiting) {
    CHECK(sink->complete_calls() == 1);
    CHECK(sink->code() == errc::canceled);
  }
  release->open();
  CHECK(probe.wait_disconnect(2s));
}

// A gateway's request state often holds the transport, and that state is released on the I/O
// thread once the transfer completes: the last reference can go there. The transport must then
// end its thread without joining itself (std::thread::join from the thread itself throws and
// terminates the process).
#ifndef HARNESS_TEST_LOOP_TRANSPORT
TEST_CASE("curl: the last reference dropped on the I/O thread ends the transport cleanly") {
  test_server server([](httplib::Server& s) {
    s.Get("/ok", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("fine", "text/plain");
    });
  });

  struct owning_sink final : response_sink {
    std::shared_ptr<transport> owner;  // the only reference once the test lets go of its own
    void on_head(int, const header_list&) override {}
    bool on_body(std::string_view) override { return true; }
    void on_complete(result<void>) override {}
  };

  auto destroyed = std::make_shared<std::promise<std::thread::id>>();
  auto destroyed_on = destroyed->get_future();
  std::shared_ptr<transport> t(make_transport().release(), [destroyed](transport* p) {
    delete p;  // before the fix: std::system_error (resource deadlock) -> terminate
    destroyed->set_value(std::this_thread::get_id());
  });
  auto sink = std::make_shared<owning_sink>();
  sink->owner = t;
  t->start(get(server.url("/ok")), sink, {});
  sink.reset();
  t.reset();
  REQUIRE(destroyed_on.wait_for(bound) == std::future_status::ready);
  CHECK(destroyed_on.get() != std::this_thread::get_id());  // it really went on the I/O thread
}

#endif  // the threaded transport only

TEST_CASE("curl: invalid requests fail without touching the network") {
  auto t = make_transport();
  SECTION("a header value with a line break") {
    auto r = get("http://127.0.0.1:9/");
    r.headers = {{"X-Evil", "a\r\nInjected: yes"}};
    auto sink = run(*t, r);
    CHECK(sink->code() == errc::invalid_request);
    CHECK(sink->message().find("Injected") == std::string::npos);
  }
  SECTION("a URL that is not http(s)") {
    auto sink = run(*t, get("ftp://example.com/file?key=secret"));
    CHECK(sink->code() == errc::upstream_transport);
    CHECK(sink->message().find("secret") == std::string::npos);
  }
  SECTION("not a URL") {
    auto sink = run(*t, get("no url at all"));
    CHECK(sink->code() == errc::upstream_transport);
    CHECK(sink->message() == "invalid upstream URL");
  }
}

TEST_CASE("curl: TLS is verified, and a ca_file makes a private CA trusted") {
  const std::string cert = harness_test::data_path("curl/localhost.crt");
  const std::string key = harness_test::data_path("curl/localhost.key");
  test_server server(
      [](httplib::Server& s) {
        s.Get("/secure", [](const httplib::Request&, httplib::Response& res) {
          res.set_content("secret pong", "text/plain");
        });
      },
      std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str()));
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/secure";
  SECTION("a self-signed certificate is refused by default") {
    auto t = make_transport();
    auto sink = run(*t, get(url));
    CHECK(sink->code() == errc::upstream_transport);
    CHECK(sink->message() == "the TLS certificate of upstream 127.0.0.1:" +
                                 std::to_string(server.port()) + " could not be verified");
    CHECK(sink->head_calls() == 0);
  }
  SECTION("trusted through ca_file") {
    curl_transport_options options;
    options.ca_file = cert;
    auto t = make_transport(options);
    auto sink = run(*t, get(url));
    CHECK(sink->ok());
    CHECK(sink->status() == 200);
    CHECK(sink->body() == "secret pong");
  }
}

TEST_CASE("curl: head_parser keeps only the final header block") {
  detail::head_parser p;
  CHECK_FALSE(p.feed("HTTP/1.1 100 Continue\r\n"));
  CHECK_FALSE(p.feed("\r\n"));
  CHECK_FALSE(p.feed("HTTP/1.1 200 OK\r\n"));
  CHECK_FALSE(p.feed("Content-Type:  application/json \r\n"));
  CHECK_FALSE(p.feed("X-Folded: a\r\n"));
  CHECK_FALSE(p.feed("   b\r\n"));
  CHECK_FALSE(p.feed("Set-Cookie: x=1\r\n"));
  CHECK_FALSE(p.feed("Set-Cookie: y=2\r\n"));
  CHECK(p.feed("\r\n"));
  CHECK(p.done());
  CHECK_FALSE(p.feed("X-Trailer: t\r\n"));
  CHECK_FALSE(p.feed("\r\n"));
  CHECK(p.status() == 200);
  const header_list expected = {{"content-type", "application/json"},
                                {"x-folded", "a b"},
                                {"set-cookie", "x=1"},
                                {"set-cookie", "y=2"}};
  CHECK(p.headers() == expected);

  detail::head_parser h2;
  CHECK_FALSE(h2.feed("HTTP/2 404 \r\n"));
  CHECK(h2.feed("\r\n"));
  CHECK(h2.status() == 404);
  CHECK(h2.headers().empty());
}

TEST_CASE("curl: upstream URLs are named by host and port only") {
  auto a = detail::parse_upstream_url("https://user:pass@api.example.com/v1/x?key=secret");
  REQUIRE(a);
  CHECK(a->label == "api.example.com:443");
  CHECK(a->https);
  auto b = detail::parse_upstream_url("http://[::1]:11434/api/chat");
  REQUIRE(b);
  CHECK(b->label == "[::1]:11434");
  CHECK_FALSE(b->https);
  CHECK_FALSE(detail::parse_upstream_url("file:///etc/passwd"));
  CHECK(detail::transfer_error(CURLE_OPERATION_TIMEDOUT, "h:1", 1500ms).code == errc::timeout);
  CHECK(detail::transfer_error(CURLE_SSL_CONNECT_ERROR, "h:1", 1s).code ==
        errc::upstream_transport);
  CHECK(detail::transfer_error(CURLE_RECV_ERROR, "h:1", 1s).message ==
        "upstream h:1 closed the connection");
}

// A retry or a fallback starts its next transfer from inside the previous one's callbacks,
// on the transport's own thread: libcurl refuses handles added from its callbacks, so the
// transport must hold it until the callback has returned.
TEST_CASE("curl: a sink may start the next transfer from on_complete") {
  test_server server([](httplib::Server& s) {
    s.Get("/n", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("n", "text/plain");
    });
  });
  auto t = make_transport();
  struct chain_sink final : response_sink {
    transport* owner = nullptr;
    std::string url;
    std::shared_ptr<std::promise<int>> done;
    int left = 0;
    int statuses = 0;
    void on_head(int status, const header_list&) override { statuses += status == 200; }
    bool on_body(std::string_view) override { return true; }
    void on_complete(result<void> outcome) override {
      if (!outcome || left == 0) {
        done->set_value(outcome ? statuses : -1);
        return;
      }
      auto next = std::make_shared<chain_sink>(*this);
      next->left = left - 1;
      owner->start(get(url), next, {});
    }
  };
  auto sink = std::make_shared<chain_sink>();
  sink->owner = t.get();
  sink->url = server.url("/n");
  sink->done = std::make_shared<std::promise<int>>();
  sink->left = 4;
  auto result = sink->done->get_future();
  t->start(get(sink->url), sink, {});
  REQUIRE(result.wait_for(bound) == std::future_status::ready);
  CHECK(result.get() == 5);  // each sink carries the count on: five transfers, five 200s
}

#ifdef HARNESS_TEST_LOOP_TRANSPORT
namespace {

// Polls and runs `loop` on the calling thread until `done` or the bound passes.
template <class Done>
bool drive_until(curl_loop_transport& loop, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd p{loop.watch_fd(), POLLIN, 0};
    int wait = loop.timeout_ms();
    if (wait < 0 || wait > 100) wait = 100;
    ::poll(&p, 1, wait);
    loop.run();
  }
  return true;
}

struct thread_sink final : response_sink {
  std::set<std::thread::id> threads;
  std::string body;
  std::optional<result<void>> outcome;
  void on_head(int, const header_list&) override { threads.insert(std::this_thread::get_id()); }
  bool on_body(std::string_view b) override {
    threads.insert(std::this_thread::get_id());
    body += b;
    return true;
  }
  void on_complete(result<void> r) override {
    threads.insert(std::this_thread::get_id());
    outcome = std::move(r);
  }
};

void serve_hello(httplib::Server& s) {
  s.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("hello", "text/plain");
  });
}

}  // namespace

TEST_CASE("curl loop: started and answered on the loop's own thread") {
  test_server server(serve_hello);
  auto loop = make_curl_loop_transport();
  REQUIRE(loop);
  loop->bind_to_this_thread();
  CHECK(loop->on_loop_thread());
  auto sink = std::make_shared<thread_sink>();
  loop->start(get(server.url("/hello")), sink, {});
  // Started on the loop thread outside run(): libcurl has it at once and wants to act now.
  CHECK(loop->timeout_ms() == 0);
  REQUIRE(drive_until(*loop, [&] { return sink->outcome.has_value(); }));
  CHECK(sink->outcome->has_value());
  CHECK(sink->body == "hello");
  CHECK(sink->threads == std::set<std::thread::id>{std::this_thread::get_id()});
  loop->close();
}

TEST_CASE("curl loop: a start from another thread makes watch_fd readable") {
  test_server server(serve_hello);
  auto loop = make_curl_loop_transport();
  REQUIRE(loop);
  loop->bind_to_this_thread();
  loop->run();
  CHECK(loop->timeout_ms() == -1);  // nothing to do: no deadline of its own
  auto sink = std::make_shared<thread_sink>();
  std::thread other([&] {
    CHECK_FALSE(loop->on_loop_thread());
    loop->start(get(server.url("/hello")), sink, {});
  });
  other.join();
  pollfd p{loop->watch_fd(), POLLIN, 0};
  CHECK(::poll(&p, 1, 0) == 1);  // readable without waiting
  REQUIRE(drive_until(*loop, [&] { return sink->outcome.has_value(); }));
  CHECK(sink->body == "hello");
  CHECK(sink->threads == std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST_CASE("curl loop: a stop on the loop thread makes run due and cancels") {
  disconnect_probe probe;
  test_server server([&](httplib::Server& s) { probe.install(s, "/ticks"); });
  auto loop = make_curl_loop_transport();
  REQUIRE(loop);
  loop->bind_to_this_thread();
  std::stop_source stop;
  auto sink = std::make_shared<thread_sink>();
  loop->start(get(server.url("/ticks")), sink, stop.get_token());
  REQUIRE(drive_until(*loop, [&] { return !sink->body.empty(); }));
  stop.request_stop();
  CHECK(loop->timeout_ms() == 0);
  loop->run();
  REQUIRE(sink->outcome.has_value());
  CHECK(sink->outcome->error_value().code == errc::canceled);
  CHECK(probe.wait_disconnect(2s));
}

TEST_CASE("curl loop: close cancels what is in flight, and later starts at once") {
  auto release = std::make_shared<gate>();
  test_server server([&](httplib::Server& s) {
    s.Get("/slow", [release](const httplib::Request&, httplib::Response& res) {
      (void)release->wait();
      res.set_content("late", "text/plain");
    });
  });
  auto loop = make_curl_loop_transport();
  REQUIRE(loop);
  loop->bind_to_this_thread();
  auto first = std::make_shared<thread_sink>();
  loop->start(get(server.url("/slow")), first, {});
  loop->run();
  loop->close();
  REQUIRE(first->outcome.has_value());
  CHECK(first->outcome->error_value().code == errc::canceled);
  auto later = std::make_shared<thread_sink>();
  loop->start(get(server.url("/slow")), later, {});
  REQUIRE(later->outcome.has_value());
  CHECK(later->outcome->error_value().code == errc::canceled);
  release->open();
}
#endif
