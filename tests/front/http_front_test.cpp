// harness_server::http_front (server/front) over real loopback TCP: raw POSIX sockets talk to a
// front bound to 127.0.0.1:0 that serves a small test router (answers at once, later from
// another thread, as a stream, or never). Every test runs its own front and stops it at the end.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "front/http_front.h"

namespace {

using namespace std::chrono_literals;
using harness_server::exchange;
using harness_server::front_settings;
using harness_server::http_front;
using harness_server::http_request;
using steady = std::chrono::steady_clock;

// ---------------------------------------------------------------- helpers

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 2000ms) {
  const auto until = steady::now() + timeout;
  while (!pred()) {
    if (steady::now() >= until) return pred();
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

std::chrono::milliseconds since(steady::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - t);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// An integer query parameter ("n=3&gap=5"), or `fallback`.
int query_int(std::string_view query, std::string_view key, int fallback) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == key) {
      return std::stoi(std::string(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return fallback;
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "?";
    } else {
      out += c;
    }
  }
  return out;
}

// The front's error_body_fn in these tests.
std::string error_json(int status, std::string_view path, std::string_view message) {
  return "{\"error\":{\"status\":" + std::to_string(status) + ",\"path\":\"" + json_escape(path) +
         "\",\"message\":\"" + json_escape(message) + "\"}}";
}

// One event of /stream (its i-th, `pad` bytes of filler after the number).
std::string sse_event(int i, int pad = 0) {
  return "data: " + std::to_string(i) + std::string(static_cast<std::size_t>(pad), '.') + "\n\n";
}

std::string sse_events(int n, int pad = 0) {
  std::string s;
  for (int i = 0; i < n; ++i) s += sse_event(i, pad);
  return s;
}

// ---------------------------------------------------------------- the server under test

// What one /stream producer saw.
struct stream_probe {
  std::atomic<bool> stop_fired{false};    // the exchange's stop token fired
  std::atomic<bool> body_refused{false};  // exchange::on_body returned false
  std::atomic<bool> finished{false};      // the producer thread is done
  std::atomic<int> sent{0};
  std::atomic<int> held_back{0};          // times ready_for_body said to wait
};

front_settings test_settings() {
  front_settings s;
  s.loops = 1;
  s.limits.max_body_bytes = 1024 * 1024;
  s.limits.max_head_bytes = 8 * 1024;
  s.limits.max_headers = 32;
  s.read_timeout = 5000ms;
  s.write_timeout = 5000ms;
  s.keep_alive_timeout = 5000ms;
  return s;
}

// An http_front on 127.0.0.1:<free port> serving on its own thread with the test router:
//   /echo          replies 200 with the request body (JSON content type), at once
//   /fixed         replies 200 {"fixed":true}, at once
//   /slow?ms=N     replies 200 "slow:<body>" after N ms (150) from another thread
//   /stream?n=N&gap=G&pad=P   from another thread: a text/event-stream head, N events
//                  sse_event(i, P) G ms apart (5), then the end; N=0: until the client leaves
//                  (5 s at most); waits while exchange::ready_for_body() is false
//   /never?ms=N    never answers; its deadline (N ms, 200) answers 504 {"error":"too late"}
//   /headless      from another thread: body bytes and the end, without a head
class test_server {
 public:
  /// `loop_stack` > 0: the loop thread's stack size (bytes); the platform's default otherwise.
  explicit test_server(front_settings settings = test_settings(), std::size_t loop_stack = 0)
      : front_(settings,
               [this](http_request& req, const std::shared_ptr<exchange>& ex) { route(req, ex); },
               [this](int status, std::string_view path, std::string_view message) {
                 std::lock_guard lock(mu_);
                 ++errors_;
                 return error_json(status, path, message);
               }) {
    REQUIRE(front_.bind("127.0.0.1", 0));
    REQUIRE(front_.port() > 0);
    pthread_attr_t attr;
    REQUIRE(pthread_attr_init(&attr) == 0);
    if (loop_stack > 0) REQUIRE(pthread_attr_setstacksize(&attr, loop_stack) == 0);
    const int created = pthread_create(
        &loop_, &attr,
        [](void* self) -> void* {
          auto* me = static_cast<test_server*>(self);
          me->run_ok_ = me->front_.run();
          return nullptr;
        },
        this);
    pthread_attr_destroy(&attr);
    REQUIRE(created == 0);
    loop_running_ = true;
  }

  ~test_server() {
    stop();
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mu_);
      workers.swap(workers_);
    }
    for (auto& t : workers) t.join();
  }

  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  void stop() {
    if (!loop_running_) return;
    front_.stop();
    pthread_join(loop_, nullptr);
    loop_running_ = false;
    CHECK(run_ok_);
  }

  int port() const { return front_.port(); }
  http_front& front() { return front_; }

  // The i-th /stream producer's probe, once its request was routed.
  std::shared_ptr<stream_probe> stream(std::size_t i) {
    std::shared_ptr<stream_probe> p;
    eventually([&] {
      std::lock_guard lock(mu_);
      if (streams_.size() > i) p = streams_[i];
      return p != nullptr;
    });
    REQUIRE(p != nullptr);
    return p;
  }
  std::size_t stream_count() {
    std::lock_guard lock(mu_);
    return streams_.size();
  }
  bool all_streams_finished() {
    std::lock_guard lock(mu_);
    for (const auto& p : streams_) {
      if (!p->finished) return false;
    }
    return true;
  }
  // The i-th /never exchange.
  std::shared_ptr<exchange> never(std::size_t i) {
    std::lock_guard lock(mu_);
    REQUIRE(held_.size() > i);
    return held_[i];
  }
  int routed() const { return routed_.load(); }
  int errors() {
    std::lock_guard lock(mu_);
    return errors_;
  }

 private:
  void spawn(std::function<void()> f) {
    std::lock_guard lock(mu_);
    workers_.emplace_back(std::move(f));
  }

  void route(http_request& req, const std::shared_ptr<exchange>& ex) {
    ++routed_;
    if (req.path == "/echo") {
      ex->reply(200, "application/json", req.body, {{"X-Method", req.method}, {"X-Query", req.query}});
    } else if (req.path == "/fixed") {
      ex->reply(200, "application/json", R"({"fixed":true})");
    } else if (req.path == "/slow") {
      const int ms = query_int(req.query, "ms", 150);
      spawn([ex, ms, body = req.body] {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        ex->reply(200, "application/json", "slow:" + body);
      });
    } else if (req.path == "/stream") {
      auto probe = std::make_shared<stream_probe>();
      {
        std::lock_guard lock(mu_);
        streams_.push_back(probe);
      }
      const int n = query_int(req.query, "n", 3);
      const int gap = query_int(req.query, "gap", 5);
      const int pad = query_int(req.query, "pad", 0);
      spawn([ex, probe, n, gap, pad] { run_stream(*ex, *probe, n, gap, pad); });
    } else if (req.path == "/never") {
      const int ms = query_int(req.query, "ms", 200);
      ex->set_deadline(steady::now() + std::chrono::milliseconds(ms), 504, [] { return std::string(R"({"error":"too late"})"); });
      std::lock_guard lock(mu_);
      held_.push_back(ex);
    } else if (req.path == "/headless") {
      spawn([ex] {
        ex->on_body("bytes before any head");
        ex->on_end();
      });
    } else {
      ex->reply(404, "application/json", R"({"error":"no route"})");
    }
  }

  static void run_stream(exchange& ex, stream_probe& probe, int n, int gap_ms, int pad) {
    std::stop_callback on_stop(ex.stop_token(), [&probe] { probe.stop_fired = true; });
    ex.on_head(200, "text/event-stream", {{"X-Stream", "yes"}});
    const auto give_up = steady::now() + 5s;
    for (int i = 0; n == 0 || i < n; ++i) {
      if (!ex.ready_for_body()) {
        ++probe.held_back;
        while (!ex.ready_for_body() && steady::now() < give_up) std::this_thread::sleep_for(1ms);
      }
      if (steady::now() >= give_up) break;
      if (!ex.on_body(sse_event(i, pad))) {
        probe.body_refused = true;
        break;
      }
      ++probe.sent;
      if (gap_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
    }
    if (!probe.body_refused) ex.on_end();
    probe.finished = true;
  }

  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<std::shared_ptr<stream_probe>> streams_;
  std::vector<std::shared_ptr<exchange>> held_;
  int errors_ = 0;
  std::atomic<int> routed_{0};
  http_front front_;
  pthread_t loop_{};
  bool loop_running_ = false;
  bool run_ok_ = false;
};

// ---------------------------------------------------------------- the client

struct response {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;      // decoded
  std::string raw_body;  // as sent (chunked framing included)
  bool close_delimited = false;

  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (iequals(k, name)) return v;
    }
    return {};
  }
  bool has_header(std::string_view name) const {
    for (const auto& h : headers) {
      if (iequals(h.first, name)) return true;
    }
    return false;
  }
};

class client {
 public:
  /// `rcvbuf` > 0: a small receive buffer (set before connecting, so the window stays small).
  explicit client(int port, int rcvbuf = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~client() { close(); }
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Closes with a reset (RST) instead of a FIN.
  void reset() {
    if (fd_ < 0) return;
    linger l{};
    l.l_onoff = 1;
    l.l_linger = 0;
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close();
  }

  // One read into buf, waiting until `until`. False at the end of the stream, on an error or
  // when nothing came in time (eof() tells which).
  bool read_more(steady::time_point until) {
    if (eof_) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - steady::now());
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
    if (ready <= 0) return false;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buf.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) return true;
    eof_ = true;  // closed (0) or reset (< 0)
    return false;
  }

  // Reads until buf holds `marker` (true) or time runs out / the stream ends (false).
  bool read_until(std::string_view marker, std::chrono::milliseconds timeout = 2000ms) {
    const auto until = steady::now() + timeout;
    while (buf.find(marker) == std::string::npos) {
      if (!read_more(until)) return buf.find(marker) != std::string::npos;
    }
    return true;
  }

  bool read_bytes(std::size_t n, steady::time_point until) {
    while (buf.size() < n) {
      if (!read_more(until)) return buf.size() >= n;
    }
    return true;
  }

  // The next whole response, or nothing when it does not arrive within `timeout`.
  std::optional<response> read_response(bool head_request = false,
                                        std::chrono::milliseconds timeout = 2000ms) {
    const auto until = steady::now() + timeout;
    std::size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more(until)) return std::nullopt;
    }
    response r;
    std::string_view head(buf.data(), end + 2);
    auto take_line = [&head] {
      const auto crlf = head.find("\r\n");
      std::string_view line = head.substr(0, crlf);
      head.remove_prefix(crlf + 2);
      return line;
    };
    const std::string_view status_line = take_line();
    if (status_line.substr(0, 9) != "HTTP/1.1 " || status_line.size() < 12) return std::nullopt;
    r.status = std::stoi(std::string(status_line.substr(9, 3)));
    r.reason = std::string(status_line.substr(status_line.size() > 13 ? 13 : 12));
    while (!head.empty()) {
      const std::string_view line = take_line();
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    buf.erase(0, end + 4);
    if (head_request || r.status < 200 || r.status == 204 || r.status == 304) return r;
    if (iequals(r.header("Transfer-Encoding"), "chunked")) {
      for (;;) {
        std::size_t crlf;
        while ((crlf = buf.find("\r\n")) == std::string::npos) {
          if (!read_more(until)) return std::nullopt;
        }
        const std::size_t size = std::stoul(buf.substr(0, crlf), nullptr, 16);
        if (!read_bytes(crlf + 2 + size + 2, until)) return std::nullopt;
        r.raw_body += buf.substr(0, crlf + 2 + size + 2);
        r.body += buf.substr(crlf + 2, size);
        if (buf.compare(crlf + 2 + size, 2, "\r\n") != 0) return std::nullopt;
        buf.erase(0, crlf + 2 + size + 2);
        if (size == 0) return r;  // no trailers from this server
      }
    }
    if (r.has_header("Content-Length")) {
      const std::size_t n = std::stoul(r.header("Content-Length"));
      if (!read_bytes(n, until)) return std::nullopt;
      r.body = buf.substr(0, n);
      r.raw_body = r.body;
      buf.erase(0, n);
      return r;
    }
    // Close-delimited.
    while (read_more(until)) {
    }
    if (!eof_) return std::nullopt;
    r.close_delimited = true;
    r.body = std::move(buf);
    r.raw_body = r.body;
    buf.clear();
    return r;
  }

  // Whether the server ends the connection within `timeout` (what it still sends lands in buf).
  bool wait_closed(std::chrono::milliseconds timeout = 2000ms) {
    const auto until = steady::now() + timeout;
    while (!eof_ && steady::now() < until) read_more(until);
    return eof_;
  }

  // Nothing arrives (and the connection stays open) for `quiet`.
  bool stays_quiet(std::chrono::milliseconds quiet) {
    const std::size_t before = buf.size();
    const auto until = steady::now() + quiet;
    while (steady::now() < until) {
      if (read_more(until)) return false;
      if (eof_) return false;
    }
    return buf.size() == before;
  }

  bool eof() const { return eof_; }
  std::string buf;

 private:
  int fd_ = -1;
  bool eof_ = false;
};

std::string post(std::string_view path, std::string_view body, std::string_view extra = "") {
  return std::string("POST ") + std::string(path) + " HTTP/1.1\r\nHost: t\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + std::string(extra) + "\r\n" + std::string(body);
}

std::string get(std::string_view path, std::string_view extra = "") {
  return std::string("GET ") + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) +
         "\r\n";
}

}  // namespace

// ---------------------------------------------------------------- tests

TEST_CASE("http_front: several requests share one keep-alive connection", "[front][http]") {
  test_server srv;
  client c(srv.port());
  for (int i = 0; i < 4; ++i) {
    const std::string body = "{\"n\":" + std::to_string(i) + "}";
    REQUIRE(c.send(post("/echo?i=" + std::to_string(i), body)));
    const auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->reason == "OK");
    CHECK(r->body == body);
    CHECK(r->header("Content-Length") == std::to_string(body.size()));
    CHECK(r->header("Content-Type") == "application/json");
    CHECK(r->header("X-Method") == "POST");
    CHECK(r->header("X-Query") == "i=" + std::to_string(i));
    CHECK_FALSE(r->has_header("Connection"));
  }
  // An answer from another thread, later, on the same connection.
  REQUIRE(c.send(post("/slow?ms=50", "later")));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "slow:later");
  REQUIRE(c.send(get("/fixed")));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == R"({"fixed":true})");
  CHECK(srv.routed() == 6);
  // Connection: close from the client: answered, then closed.
  REQUIRE(c.send(get("/fixed", "Connection: close\r\n")));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->header("Connection") == "close");
  CHECK(c.wait_closed());
}

TEST_CASE("http_front: a large body goes both ways whole", "[front][http]") {
  test_server srv;
  client c(srv.port());
  std::string body(700 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  REQUIRE(c.send(post("/echo", body)));
  const auto r = c.read_response(false, 5000ms);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.size() == body.size());
  CHECK(r->body == body);
  CHECK(srv.front().queued_bytes() == 0);
}

TEST_CASE("http_front: pipelined requests are answered in order", "[front][http]") {
  test_server srv;
  client c(srv.port());
  // The first answers late from another thread; the ones behind it must wait their turn.
  REQUIRE(c.send(post("/slow?ms=100", "first") + post("/echo", "second") + get("/fixed")));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "slow:first");
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "second");
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == R"({"fixed":true})");
  CHECK(c.buf.empty());
  // Two answered at once, sent in one write.
  REQUIRE(c.send(post("/echo", "A") + post("/echo", "B")));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "A");
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "B");
}

TEST_CASE("http_front: many pipelined requests in one write are all answered", "[front][http]") {
  test_server srv;
  client c(srv.port());
  std::string batch;
  constexpr int count = 500;
  for (int i = 0; i < count; ++i) batch += post("/echo", std::to_string(i));
  REQUIRE(c.send(batch));
  for (int i = 0; i < count; ++i) {
    const auto r = c.read_response();
    REQUIRE(r);
    REQUIRE(r->body == std::to_string(i));
  }
}

TEST_CASE("http_front: Expect 100-continue gets the interim answer before the body is sent",
          "[front][http]") {
  test_server srv;
  client c(srv.port());
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n"));
  REQUIRE(c.read_until("\r\n\r\n", 1000ms));
  CHECK(c.buf == "HTTP/1.1 100 Continue\r\n\r\n");
  c.buf.clear();
  REQUIRE(c.send("hello world"));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "hello world");

  // A chunked body, on the same connection: one interim answer per request.
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"));
  REQUIRE(c.read_until("\r\n\r\n", 1000ms));
  CHECK(c.buf == "HTTP/1.1 100 Continue\r\n\r\n");
  c.buf.clear();
  REQUIRE(c.send("3\r\nabc\r\n"));
  REQUIRE(c.send("2\r\nde\r\n0\r\n\r\n"));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "abcde");

  // A body refused from its head gets the refusal, not 100 Continue.
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n"));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(r->header("Connection") == "close");
}

TEST_CASE("http_front: HEAD gets the headers with Content-Length and no body", "[front][http]") {
  test_server srv;
  client c(srv.port());
  // HEAD and GET in one write: nothing of the HEAD answer's body may come before the GET's.
  REQUIRE(c.send("HEAD /fixed HTTP/1.1\r\nHost: t\r\n\r\n" + get("/fixed")));
  auto r = c.read_response(true);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->header("Content-Length") == "14");
  REQUIRE(c.read_until("\r\n\r\n"));
  CHECK(c.buf.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == R"({"fixed":true})");

  // HEAD of a stream: its head only, and the connection goes on.
  REQUIRE(c.send("HEAD /stream?n=3 HTTP/1.1\r\n\r\n"));
  r = c.read_response(true);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->header("Content-Type") == "text/event-stream");
  CHECK(eventually([&] { return srv.stream(0)->finished.load(); }));
  REQUIRE(c.send(get("/fixed")));
  REQUIRE(c.read_until("\r\n\r\n"));
  CHECK(c.buf.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == R"({"fixed":true})");
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }));
}

TEST_CASE("http_front: a stream is sent chunked and ends with the last chunk", "[front][http]") {
  test_server srv;
  client c(srv.port());
  REQUIRE(c.send(get("/stream?n=3&gap=5")));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->header("Transfer-Encoding") == "chunked");
  CHECK(r->header("Content-Type") == "text/event-stream");
  CHECK(r->header("Cache-Control") == "no-cache");
  CHECK(r->header("X-Stream") == "yes");
  CHECK_FALSE(r->has_header("Content-Length"));
  CHECK(r->body == sse_events(3));
  REQUIRE(r->raw_body.size() >= 5);
  CHECK(r->raw_body.substr(r->raw_body.size() - 5) == "0\r\n\r\n");
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }));
  // The connection stays open for the next request.
  REQUIRE(c.send(get("/fixed")));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == R"({"fixed":true})");
}

TEST_CASE("http_front: an HTTP/1.0 stream is close-delimited", "[front][http]") {
  test_server srv;
  client c(srv.port());
  REQUIRE(c.send("GET /stream?n=3&gap=5 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  const auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK_FALSE(r->has_header("Transfer-Encoding"));
  CHECK_FALSE(r->has_header("Content-Length"));
  CHECK(r->header("Connection") == "close");
  CHECK(r->close_delimited);
  CHECK(r->body == sse_events(3));
  CHECK(c.eof());
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }));
}

TEST_CASE("http_front: HTTP/1.0 whole answers keep the connection only when asked to",
          "[front][http]") {
  test_server srv;
  {
    client c(srv.port());
    REQUIRE(c.send("GET /fixed HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->header("Connection") == "keep-alive");
    CHECK(r->header("Content-Length") == "14");
    REQUIRE(c.send("GET /fixed HTTP/1.0\r\n\r\n"));
    r = c.read_response();
    REQUIRE(r);
    CHECK(r->body == R"({"fixed":true})");
    CHECK(r->header("Connection") == "close");
    CHECK(c.wait_closed());
  }
}

TEST_CASE("http_front: a client leaving mid-stream cancels the producer within a second",
          "[front][http]") {
  test_server srv;
  client c(srv.port());
  REQUIRE(c.send(get("/stream?n=0&gap=5")));
  REQUIRE(c.read_until("data: 1\n\n"));
  CHECK(c.buf.find("Transfer-Encoding: chunked") != std::string::npos);
  const auto probe = srv.stream(0);
  CHECK(srv.front().open_streams() == 1);
  CHECK_FALSE(probe->stop_fired);
  const auto left = steady::now();
  c.close();
  CHECK(eventually([&] { return probe->stop_fired && probe->body_refused; }, 1000ms));
  CHECK(since(left) < 1000ms);
  CHECK(eventually([&] { return probe->finished.load(); }));
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }));
  CHECK(srv.front().queued_bytes() == 0);
}

TEST_CASE("http_front: a client resetting mid-stream cancels the producer too", "[front][http]") {
  test_server srv;
  client c(srv.port());
  REQUIRE(c.send(get("/stream?n=0&gap=5")));
  REQUIRE(c.read_until("data: 0\n\n"));
  const auto probe = srv.stream(0);
  c.reset();
  CHECK(eventually([&] { return probe->stop_fired && probe->body_refused; }, 1000ms));
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }));
}

TEST_CASE("http_front: a slow reader holds the producer back and still gets every byte",
          "[front][http]") {
  test_server srv;
  client c(srv.port(), 16 * 1024);
  // 300 events of 16 KiB with no gap, nobody reading for a while: far over what the exchange
  // queue and the socket buffers hold, so the producer must be told to wait.
  REQUIRE(c.send(get("/stream?n=300&gap=0&pad=16384")));
  const auto probe = srv.stream(0);
  CHECK(eventually([&] { return probe->held_back > 0; }));
  const int sent_while_stalled = probe->sent;
  CHECK(sent_while_stalled < 300);
  const auto r = c.read_response(false, 5000ms);
  REQUIRE(r);
  CHECK(r->body.size() == sse_events(300, 16384).size());
  CHECK(r->body == sse_events(300, 16384));
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }));
  CHECK(srv.front().queued_bytes() == 0);
}

TEST_CASE("http_front: a missed deadline answers its status and body", "[front][http]") {
  test_server srv;
  client c(srv.port());
  const auto start = steady::now();
  REQUIRE(c.send(get("/never?ms=200")));
  auto r = c.read_response(false, 2000ms);
  REQUIRE(r);
  CHECK(since(start) >= 190ms);
  CHECK(r->status == 504);
  CHECK(r->header("Content-Type") == "application/json");
  CHECK(r->body == R"({"error":"too late"})");
  CHECK(r->header("Content-Length") == std::to_string(r->body.size()));
  // The exchange that never answered is cancelled, and its late answer goes nowhere.
  const auto late = srv.never(0);
  CHECK(late->stop_token().stop_requested());
  CHECK_FALSE(late->on_body("too late"));
  // The connection serves on.
  REQUIRE(c.send(get("/fixed")));
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == R"({"fixed":true})");
  CHECK(c.buf.empty());
}

TEST_CASE("http_front: an answer ended without a head is a 502 and leaves no queued bytes",
          "[front][http]") {
  test_server srv;
  client c(srv.port());
  REQUIRE(c.send(get("/headless")));
  const auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 502);
  CHECK(r->header("Content-Type") == "application/json");
  CHECK(r->body.find("without an answer") != std::string::npos);
  CHECK(eventually([&] { return srv.front().queued_bytes() == 0; }, 500ms));
  CHECK(srv.front().queued_bytes() == 0);
}

TEST_CASE("http_front: malformed requests get the error body, a 4xx and Connection close",
          "[front][http]") {
  front_settings s = test_settings();
  s.limits.max_body_bytes = 1000;
  s.limits.max_headers = 8;
  test_server srv(s);
  struct bad {
    std::string wire;
    int status;
    std::string path;
  };
  std::string many_headers = "GET /v1/many HTTP/1.1\r\n";
  for (int i = 0; i < 9; ++i) many_headers += "X-" + std::to_string(i) + ": v\r\n";
  const std::vector<bad> cases = {
      {"GET /v1/models HTTP/2.0\r\nHost: t\r\n\r\n", 400, ""},
      {"BROKEN\r\n\r\n", 400, ""},
      {"GET /v1/folded HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n", 400, "/v1/folded"},
      {"POST /v1/both HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
       "/v1/both"},
      {"POST /v1/len HTTP/1.1\r\nContent-Length: 12a\r\n\r\n", 400, "/v1/len"},
      {"POST /v1/big HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", 413, "/v1/big"},
      {"POST /v1/gzip HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "/v1/gzip"},
      {many_headers + "\r\n", 431, "/v1/many"},
  };
  for (const bad& b : cases) {
    INFO(b.wire);
    client c(srv.port());
    REQUIRE(c.send(b.wire));
    const auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == b.status);
    CHECK(r->header("Connection") == "close");
    CHECK(r->header("Content-Type") == "application/json");
    CHECK(r->header("Content-Length") == std::to_string(r->body.size()));
    const std::string prefix = "{\"error\":{\"status\":" + std::to_string(b.status) +
                               ",\"path\":\"" + b.path + "\",\"message\":\"";
    CHECK(r->body.rfind(prefix, 0) == 0);
    CHECK(c.wait_closed(1000ms));
    CHECK(c.buf.empty());
  }
  CHECK(srv.errors() == static_cast<int>(cases.size()));
  CHECK(srv.routed() == 0);
  // A malformed request after a good one on the same connection: the good one is answered.
  client c(srv.port());
  REQUIRE(c.send(get("/fixed") + "GARBAGE\r\n\r\n"));
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(r->header("Connection") == "close");
  CHECK(c.wait_closed(1000ms));
}

TEST_CASE("http_front: a head trickling past read_timeout gets 408 and is closed",
          "[front][http]") {
  front_settings s = test_settings();
  s.read_timeout = 300ms;
  test_server srv(s);
  client c(srv.port());
  const auto start = steady::now();
  REQUIRE(c.send("GET /echo HTTP/1.1\r\n"));
  // A header line every 40 ms: the connection is never silent for long, the head never ends.
  int sent = 0;
  while (c.buf.empty() && !c.eof() && since(start) < 2000ms) {
    if (!c.send("X-Slow-" + std::to_string(sent++) + ": v\r\n")) break;
    c.read_more(steady::now() + 40ms);
  }
  const auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 408);
  CHECK(r->header("Connection") == "close");
  CHECK(r->body.rfind("{\"error\":{\"status\":408", 0) == 0);
  CHECK(since(start) >= 280ms);
  CHECK(since(start) < 1500ms);
  CHECK(sent >= 5);
  CHECK(c.wait_closed(1000ms));
  CHECK(srv.routed() == 0);
}

TEST_CASE("http_front: a request that goes silent mid-body gets 408", "[front][http]") {
  front_settings s = test_settings();
  s.read_timeout = 300ms;
  test_server srv(s);
  client c(srv.port());
  const auto start = steady::now();
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345"));
  const auto r = c.read_response(false, 2000ms);
  REQUIRE(r);
  CHECK(r->status == 408);
  CHECK(since(start) >= 280ms);
  CHECK(c.wait_closed(1000ms));
}

TEST_CASE("http_front: an idle keep-alive connection is closed after keep_alive_timeout",
          "[front][http]") {
  front_settings s = test_settings();
  s.keep_alive_timeout = 300ms;
  test_server srv(s);
  client used(srv.port());
  client never_used(srv.port());
  REQUIRE(used.send(get("/fixed")));
  REQUIRE(used.read_response());
  const auto idle_from = steady::now();
  CHECK(used.wait_closed(2000ms));
  // Idle since the server wrote the answer, a little before the client read it.
  CHECK(since(idle_from) >= 200ms);
  CHECK(since(idle_from) < 1500ms);
  CHECK(never_used.wait_closed(1000ms));
  // A connection in use is not idle: a stream longer than the timeout runs to its end.
  client streaming(srv.port());
  REQUIRE(streaming.send(get("/stream?n=40&gap=15")));
  const auto r = streaming.read_response(false, 3000ms);
  REQUIRE(r);
  CHECK(r->body == sse_events(40));
}

TEST_CASE("http_front: many connections opened and dropped leave it serving", "[front][http]") {
  test_server srv;
  {
    std::vector<std::unique_ptr<client>> clients;
    for (int i = 0; i < 200; ++i) {
      auto c = std::make_unique<client>(srv.port());
      switch (i % 5) {
        case 0: break;  // says nothing
        case 1: c->send("GET /echo HT"); break;  // half a head
        case 2: c->send(post("/echo", "unread")); break;  // never reads its answer
        case 3: c->send(get("/stream?n=0&gap=2")); break;  // leaves mid-stream
        case 4: c->send("POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789"); break;
      }
      clients.push_back(std::move(c));
    }
    // Let the streams start, then drop everyone (every other one with a reset).
    CHECK(eventually([&] { return srv.stream_count() > 0; }));
    for (std::size_t i = 0; i < clients.size(); ++i) {
      if (i % 2 == 0) {
        clients[i]->reset();
      } else {
        clients[i]->close();
      }
    }
  }
  client c(srv.port());
  REQUIRE(c.send(post("/echo", "still here")));
  const auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "still here");
  CHECK(eventually([&] { return srv.all_streams_finished(); }));
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }));
  CHECK(srv.front().queued_bytes() == 0);
}

TEST_CASE("http_front: open_streams counts streams until they end or are abandoned",
          "[front][http]") {
  test_server srv;
  client finite(srv.port());
  client dropped(srv.port());
  client reset(srv.port());
  REQUIRE(finite.send(get("/stream?n=30&gap=10")));
  REQUIRE(dropped.send(get("/stream?n=0&gap=5")));
  REQUIRE(reset.send(get("/stream?n=0&gap=5")));
  CHECK(eventually([&] { return srv.front().open_streams() == 3; }));
  const auto r = finite.read_response(false, 3000ms);
  REQUIRE(r);
  CHECK(r->body == sse_events(30));
  CHECK(eventually([&] { return srv.front().open_streams() == 2; }));
  dropped.close();
  CHECK(eventually([&] { return srv.front().open_streams() == 1; }, 1000ms));
  reset.reset();
  CHECK(eventually([&] { return srv.front().open_streams() == 0; }, 1000ms));
  CHECK(eventually([&] { return srv.all_streams_finished(); }));
  CHECK(srv.front().queued_bytes() == 0);
}

TEST_CASE("http_front: stop cancels the streams in flight", "[front][http]") {
  test_server srv;
  client c(srv.port());
  REQUIRE(c.send(get("/stream?n=0&gap=5")));
  REQUIRE(c.read_until("data: 0\n\n"));
  const auto probe = srv.stream(0);
  srv.stop();
  CHECK(eventually([&] { return probe->stop_fired && probe->body_refused; }, 1000ms));
  CHECK(srv.front().open_streams() == 0);
  CHECK(c.wait_closed(1000ms));
}

TEST_CASE("http_front: two loops share the listener", "[front][http]") {
  front_settings s = test_settings();
  s.loops = 2;
  test_server srv(s);
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<client>(srv.port()));
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < clients.size(); ++i) {
      REQUIRE(clients[i]->send(post("/slow?ms=5", std::to_string(i))));
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
      const auto r = clients[i]->read_response();
      REQUIRE(r);
      CHECK(r->body == "slow:" + std::to_string(i));
    }
  }
}


TEST_CASE("http_front: thousands of pipelined requests answered at once do not exhaust the stack",
          "[front][http]") {
  // The loop thread gets a 1 MiB stack. The first request is answered late, so the whole batch
  // behind it is read in before any of it is served; then every request is answered at once
  // from the loop, one after the other, while the client reads. Serving them must not take
  // stack per request (it did: a megabyte of "GET / HTTP/1.1" overflowed an 8 MiB stack).
  test_server srv(test_settings(), 1024 * 1024);
  client c(srv.port());
  constexpr int count = 20000;
  std::string batch = post("/slow?ms=200", "first");
  for (int i = 0; i < count; ++i) batch += "GET /fixed HTTP/1.1\r\n\r\n";
  REQUIRE(batch.size() < 1024 * 1024);  // all of it fits the connection's input while it waits
  std::thread writer([&] { c.send(batch); });
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "slow:first");
  int answered = 0;
  for (; answered < count; ++answered) {
    r = c.read_response(false, 5000ms);
    if (!r) break;
    if (r->status != 200) break;
  }
  writer.join();
  CHECK(answered == count);
  CHECK(srv.routed() == count + 1);
}
