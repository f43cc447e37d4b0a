// Upstream and client faults over real loopback HTTP: harness-server between a real HTTP client
// and misbehaving upstreams (the scripted fake upstream's fault-* models, a raw TCP upstream
// that resets or holds, a closed port, an unresolvable host, TLS against a plain port and a
// self-signed certificate). Every fault must end in a clean answer in the client's dialect (an
// error event for a stream that had started), never a hang, a crash or a cut stream; the table
// in docs/faults.md is what these tests check.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <thread>
#include <tuple>

#include "http_client.h"
#include "json_compare.h"
#include "process.h"
#include "raw_upstream.h"

using harness_test::http_get;
using harness_test::http_post;
using harness_test::http_result;
using harness_test::json_at;
using harness_test::string_at;

namespace {

constexpr const char* kKey = "sk-fault-KEY-0123456789abcdef";

// A port nothing listens on: bound, then closed (connect gets ECONNREFUSED).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// An HTTPS upstream with the self-signed test certificate (the proxy must refuse it).
struct tls_upstream {
  httplib::SSLServer server{HARNESS_TEST_DATA_DIR "/curl/localhost.crt",
                            HARNESS_TEST_DATA_DIR "/curl/localhost.key"};
  int port = 0;
  std::thread thread;
  tls_upstream() {
    server.Post(".*", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{}", "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~tls_upstream() {
    server.stop();
    thread.join();
  }
};

struct fixture {
  std::string dir = harness_test::make_temp_dir("faults");
  std::unique_ptr<harness_test::child_process> upstream;
  std::unique_ptr<harness_test::child_process> server;
  harness_test::raw_upstream raw;
  tls_upstream tls;
  std::string base;

  fixture() {
    // Threads to spare: a slow fault holds one for 3 s, and each kept-alive proxy
    // connection holds one too; a queued request would look like a slow upstream.
    const std::string u = harness_test::start_listening(
        upstream, {HARNESS_FAKE_UPSTREAM_BIN, "--port", "0", "--threads", "128"}, dir, "upstream");
    std::ofstream cfg(dir + "/harness.toml");
    // Short timeouts keep the slow (3 s) and stalling faults fast; the first byte of an 8 MiB
    // answer takes the fake ~0.2 s, several times that under ASan: 2 s leaves room on a busy
    // machine. One retry shows retries happen.
    cfg << "[server]\nport = 0\nretries = 1\nretry_backoff_ms = 20\nfirst_byte_timeout_ms = 2000\n"
           "idle_timeout_ms = 600\nconnect_timeout_ms = 1000\nrequest_timeout_ms = 20000\n\n";
    auto provider = [&cfg](const char* name, const char* kind, const std::string& url) {
      cfg << "[providers." << name << "]\nkind = \"" << kind << "\"\nbase_url = \"" << url
          << "\"\napi_key_env = \"HARNESS_FAULT_KEY\"\n\n";
    };
    provider("fake-openai", "openai", u + "/v1");
    provider("fake-anthropic", "anthropic", u);
    provider("fake-ollama", "ollama", u);
    provider("refused", "openai", "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1");
    provider("dns", "openai", "http://nonexistent.invalid/v1");
    provider("tls-plain", "openai", "https://" + u.substr(std::string("http://").size()) + "/v1");
    provider("tls-self-signed", "openai", "https://127.0.0.1:" + std::to_string(tls.port) + "/v1");
    provider("raw", "openai", "http://127.0.0.1:" + std::to_string(raw.port()) + "/v1");
    for (const char* p : {"openai", "anthropic", "ollama"}) {
      cfg << "[[models]]\nname = \"" << p << "/*\"\nprovider = \"fake-" << p << "\"\n\n";
    }
    for (const char* p : {"refused", "dns", "tls-plain", "tls-self-signed"}) {
      cfg << "[[models]]\nname = \"" << p << "\"\nprovider = \"" << p << "\"\nmodel = \"m\"\n\n";
    }
    cfg << "[[models]]\nname = \"raw/*\"\nprovider = \"raw\"\n\n"
        << "[[models]]\nname = \"refused-then-fallback\"\nprovider = \"refused\"\nmodel = \"m\"\n"
           "fallbacks = [\"anthropic/frontier\"]\n";
    cfg.close();
    setenv("HARNESS_FAULT_KEY", kKey, 1);
    base = harness_test::start_listening(
        server, {HARNESS_SERVER_BIN, "--config", dir + "/harness.toml"}, dir, "server");
  }
};

fixture& env() {
  static fixture f;
  return f;
}

enum class client { openai, anthropic };

const char* name(client c) { return c == client::openai ? "openai" : "anthropic"; }

// A plain text turn in the client's dialect (faults strike a text answer).
http_result ask(client c, const std::string& model, bool stream) {
  const std::string s = stream ? "true" : "false";
  if (c == client::openai) {
    return harness_test::http_request(
        "POST", env().base + "/v1/chat/completions",
        R"({"model":")" + model + R"(","stream":)" + s +
            R"(,"messages":[{"role":"user","content":"Tell me a story"}]})",
        {"content-type: application/json"}, 0, 20000);
  }
  return harness_test::http_request(
      "POST", env().base + "/v1/messages",
      R"({"model":")" + model + R"(","max_tokens":256,"stream":)" + s +
          R"(,"messages":[{"role":"user","content":"Tell me a story"}]})",
      {"content-type: application/json", "anthropic-version: 2023-06-01"}, 0, 20000);
}

// The error message of a JSON error body in the client's dialect; "" when the shape is wrong.
std::string json_error(client c, const http_result& r) {
  if (r.header("content-type").find("application/json") != 0) return {};
  if (c == client::anthropic) {
    if (string_at(r.body, "/type") != "error") return {};
    if (json_at(r.body, "/error/type") == "<missing>") return {};
    return string_at(r.body, "/error/message");
  }
  if (json_at(r.body, "/error/type") == "<missing>") return {};
  return string_at(r.body, "/error/message");
}

// The SSE events of a body as (event name, data) pairs.
std::vector<std::pair<std::string, std::string>> sse_events(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string event;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string::npos) end = body.size();
    const std::string line = body.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("event: ", 0) == 0) event = line.substr(7);
    if (line.rfind("data: ", 0) == 0) {
      out.emplace_back(event, line.substr(6));
      event.clear();
    }
  }
  return out;
}

// The message of the stream's final error event; "" when the stream does not end in one.
// OpenAI: the last data line is {"error":{...}} (no [DONE] after a failure, like OpenAI's own
// streams); Anthropic: the last event is `event: error`.
std::string stream_error(client c, const http_result& r) {
  if (r.header("content-type").find("text/event-stream") != 0) return {};
  const auto events = sse_events(r.body);
  if (events.empty()) return {};
  const auto& [event, data] = events.back();
  if (c == client::anthropic) {
    if (event != "error" || string_at(data, "/type") != "error") return {};
    return string_at(data, "/error/message");
  }
  if (json_at(data, "/error/type") == "<missing>") return {};
  return string_at(data, "/error/message");
}

// A complete, successful stream in the client's dialect.
bool stream_completed(client c, const http_result& r) {
  const auto events = sse_events(r.body);
  if (events.empty()) return false;
  if (c == client::anthropic) return events.back().first == "message_stop";
  return events.back().second == "[DONE]";
}

// What a fault must give: before the first byte, a JSON error with `status`; after it, a 200
// stream ending in an error event. `message` is a piece of the text the client must see.
struct expectation {
  const char* model;
  int json_status;       ///< status of the non-streamed answer
  int stream_status;     ///< status of the streamed answer (200: the failure is an event)
  const char* message;   ///< in the error message, both modes ("" : any non-empty text)
};

void check_fault(const expectation& e, client c, bool stream, const http_result& r) {
  INFO(name(c) << " " << e.model << (stream ? " stream" : " json") << " -> " << r.status << " " << r.error << " "
               << r.body.substr(0, 400));
  CHECK(r.error.empty());  // an answer, not a transport failure or a timeout of the test client
  CHECK(r.status == (stream ? e.stream_status : e.json_status));
  const std::string message = r.status == 200 ? stream_error(c, r) : json_error(c, r);
  CHECK_FALSE(message.empty());
  CHECK(message.find(e.message) != std::string::npos);
  CHECK(r.body.find(kKey) == std::string::npos);
}

// Runs every (client dialect x stream) variant of each expectation at once, then checks them.
void run_faults(const std::vector<expectation>& table) {
  struct job {
    const expectation* e;
    client c;
    bool stream;
    std::future<http_result> result;
  };
  std::vector<job> jobs;
  for (const auto& e : table) {
    for (client c : {client::openai, client::anthropic}) {
      for (bool stream : {false, true}) {
        jobs.push_back({&e, c, stream,
                        std::async(std::launch::async, [m = std::string(e.model), c, stream] {
                          return ask(c, m, stream);
                        })});
      }
    }
  }
  for (auto& j : jobs) check_fault(*j.e, j.c, j.stream, j.result.get());
}

int open_streams() {
  const auto m = http_get(env().base + "/metrics");
  const auto pos = m.body.find("\nharness_open_streams ");
  return pos == std::string::npos ? -1 : std::atoi(m.body.c_str() + pos + 22);
}

}  // namespace

TEST_CASE("connection faults below HTTP become 502/504 in the client's dialect",
          "[integration]") {
  const auto before = env().raw.accepted();  // the server's start-up probe connects too
  run_faults({
      {"refused", 502, 502, "could not connect to upstream 127.0.0.1:"},
      {"dns", 502, 502, "could not resolve upstream host nonexistent.invalid"},
      {"tls-plain", 502, 502, "TLS with upstream 127.0.0.1:"},
      {"tls-self-signed", 502, 502, "could not be verified"},
      {"raw/reset-head", 502, 502, "closed the connection"},
  });
  // Each was retried once (connect failures are retryable): two connections per request.
  CHECK(env().raw.accepted() == before + 4 * 2);
}

TEST_CASE("upstream HTTP errors keep their status and 429 keeps retry-after", "[integration]") {
  run_faults({
      {"openai/fault-500", 500, 500, "Sorry about that"},
      {"anthropic/fault-500", 500, 500, "Internal server error"},
      {"ollama/fault-500", 500, 500, "llama runner process has terminated"},
      // fault-error-event answers a non-streamed request with 529/503: 529 becomes 503.
      {"anthropic/fault-error-event", 503, 200, "Overloaded"},
      {"openai/fault-error-event", 503, 200, "The server"},
      {"ollama/fault-error-event", 503, 200, ""},
  });
  // The retry waits the upstream's retry-after (1 s): the four variants run at once.
  std::vector<std::tuple<client, bool, std::future<http_result>>> asked;
  for (client c : {client::openai, client::anthropic}) {
    for (bool stream : {false, true}) {
      asked.emplace_back(c, stream, std::async(std::launch::async, [c, stream] {
                           return ask(c, "openai/fault-429", stream);
                         }));
    }
  }
  for (auto& [c, stream, answer] : asked) {
    INFO(name(c) << (stream ? " stream" : " json"));
    const auto r = answer.get();
    CHECK(r.status == 429);
    CHECK(r.header("retry-after") == "1");
    CHECK(json_error(c, r).find("Rate limit") != std::string::npos);
    if (c == client::anthropic) CHECK(string_at(r.body, "/error/type") == "rate_limit_error");
  }
}

TEST_CASE("timeouts: a slow head is a 504 and a stall mid-stream ends the stream with an error",
          "[integration]") {
  run_faults({
      {"openai/fault-slow", 504, 504, "did not answer within 2000 ms"},
      {"anthropic/fault-slow", 504, 504, "did not answer within 2000 ms"},
      // Non-streamed, the stall leaves half a body: an idle timeout, retried, then 504.
      {"openai/fault-stall", 504, 200, "sent nothing for 600 ms"},
      {"ollama/fault-stall", 504, 200, "sent nothing for 600 ms"},
  });
}

TEST_CASE("broken bodies: reset mid-answer, garbage, a 200 carrying an error",
          "[integration]") {
  run_faults({
      {"openai/fault-reset", 502, 200, "closed the connection"},
      {"anthropic/fault-reset", 502, 200, "closed the connection"},
      {"ollama/fault-reset", 502, 200, "closed the connection"},
      {"openai/fault-garbage", 502, 200, ""},
      {"anthropic/fault-garbage", 502, 200, ""},
      // A 200 whose JSON body is an error, even to a stream request (nothing reached the
      // client yet): a 502 carrying the upstream's message, after the retry.
      {"openai/fault-200-error", 502, 502, "overloaded"},
      {"anthropic/fault-200-error", 502, 502, "Overloaded"},
      {"ollama/fault-200-error", 502, 502, "server busy"},
  });
}

TEST_CASE("a huge single event passes through whole, streamed or not", "[integration]") {
  // Each upstream dialect's decoder, streamed and not, with both client encoders in each mode;
  // the two requests of one upstream dialect at once (each takes the fake ~0.2 s to render).
  struct variant {
    const char* model;
    client json_client;    ///< asks without streaming
    client stream_client;  ///< asks for a stream
  };
  for (const variant& v : {variant{"openai/fault-huge", client::openai, client::anthropic},
                           variant{"anthropic/fault-huge", client::anthropic, client::openai},
                           variant{"ollama/fault-huge", client::openai, client::anthropic}}) {
    auto streamed = std::async(std::launch::async, [&v] { return ask(v.stream_client, v.model, true); });
    const auto whole = ask(v.json_client, v.model, false);
    const auto stream = streamed.get();
    {
      INFO(v.model << " " << name(v.json_client) << " json -> " << whole.status << " "
                   << whole.error << " " << whole.body.substr(0, 300));
      REQUIRE(whole.status == 200);
      CHECK(string_at(whole.body, v.json_client == client::openai ? "/choices/0/message/content"
                                                                  : "/content/0/text")
                .size() == (8u << 20));
    }
    {
      INFO(v.model << " " << name(v.stream_client) << " stream -> " << stream.status << " "
                   << stream.error << " " << stream.body.substr(0, 300));
      REQUIRE(stream.status == 200);
      CHECK(stream.body.size() > (8u << 20));
      CHECK(stream_completed(v.stream_client, stream));
    }
  }
}

TEST_CASE("retries and fallbacks recover from faults before the first byte", "[integration]") {
  for (client c : {client::openai, client::anthropic}) {
    for (bool stream : {false, true}) {
      INFO(name(c) << (stream ? " stream" : " json"));
      // 503 on the first request per exact name, then fine: the retry answers.
      const std::string flaky = std::string("anthropic/fault-flaky-") + name(c) + (stream ? "-s" : "-j");
      const auto r = ask(c, flaky, stream);
      CHECK(r.status == 200);
      if (stream) CHECK(stream_completed(c, r));
      // The primary's port is closed: the fallback answers.
      const auto fb = ask(c, "refused-then-fallback", stream);
      CHECK(fb.status == 200);
      if (stream) CHECK(stream_completed(c, fb));
    }
  }
}

TEST_CASE("a client that leaves mid-stream cancels the upstream within a second",
          "[integration]") {
  for (client c : {client::openai, client::anthropic}) {
    INFO(name(c));
    auto& raw = env().raw;
    const auto before = raw.closed_at();
    // Read the first bytes of the stream, then hang up.
    const std::string body =
        c == client::openai
            ? R"({"model":"raw/hold-stream","stream":true,"messages":[{"role":"user","content":"hi"}]})"
            : R"({"model":"raw/hold-stream","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]})";
    const auto r = harness_test::http_request(
        "POST", env().base + (c == client::openai ? "/v1/chat/completions" : "/v1/messages"),
        body, {"content-type: application/json"}, 20, 10000);
    const auto left = std::chrono::steady_clock::now();
    CHECK(r.status == 200);
    CHECK(raw.holding());
    // The upstream sees its connection closed (bounded wait; the claim checked is <= 1 s).
    std::optional<std::chrono::steady_clock::time_point> closed;
    for (int i = 0; i < 100; ++i) {
      closed = raw.closed_at();
      if (closed && closed != before) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(closed);
    REQUIRE(closed != before);
    CHECK(*closed - left <= std::chrono::seconds(1));
    // The stream slot is free again.
    int open = -1;
    for (int i = 0; i < 50 && open != 0; ++i) {
      open = open_streams();
      if (open != 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(open == 0);
  }
}

namespace {

// A raw TCP connection to the proxy, for clients that misbehave below HTTP.
int connect_to_proxy() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(env().base.substr(17))));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_text(int fd, const std::string& s) { (void)::send(fd, s.data(), s.size(), MSG_NOSIGNAL); }

// A valid request still gets its answer (the proxy is not wedged).
void check_still_serves() {
  const auto r = harness_test::http_request(
      "POST", env().base + "/v1/chat/completions",
      R"({"model":"openai/frontier","messages":[{"role":"user","content":"hi"}]})",
      {"content-type: application/json"}, 0, 10000);
  CHECK(r.status == 200);
  CHECK(string_at(r.body, "/object") == "chat.completion");
}

}  // namespace

TEST_CASE("slowloris headers and a body that never finishes do not block other clients",
          "[integration]") {
  std::vector<int> slow;
  for (int i = 0; i < 16; ++i) {
    const int fd = connect_to_proxy();
    REQUIRE(fd >= 0);
    slow.push_back(fd);
    if (i % 2 == 0) {
      send_text(fd, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ");  // no end
    } else {
      send_text(fd, "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100000\r\n\r\n{\"model\":");  // the body never finishes
    }
  }
  for (int round = 0; round < 3; ++round) {
    for (int fd : slow) send_text(fd, "a");  // a trickle keeps each one alive
    check_still_serves();
  }
  for (int fd : slow) ::close(fd);
  check_still_serves();
}

TEST_CASE("1000 connections opened and dropped leave the proxy serving", "[integration]") {
  for (int i = 0; i < 1000; ++i) {
    const int fd = connect_to_proxy();
    REQUIRE(fd >= 0);
    // Some leave at once, some mid-head, some mid-body, some right after a whole request.
    switch (i % 4) {
      case 1: send_text(fd, "POST /v1/chat/completions HTTP/1.1\r\nHo"); break;
      case 2:
        send_text(fd, "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"mo");
        break;
      case 3:
        send_text(fd, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        break;
      default: break;
    }
    if (i % 8 == 0) {  // and some reset instead of closing
      const linger hard{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    ::close(fd);
    if (i % 250 == 249) check_still_serves();
  }
  CHECK(open_streams() == 0);
  CHECK(http_get(env().base + "/health").status == 200);
}
