// A client that reads a long stream slowly must not make harness-server buffer the upstream's
// whole answer: the proxy's queue stays bounded, the upstream is held back by TCP, and once
// the client reads again every byte arrives.
//
// The upstream here is a socket in this test (not the scripted fake): it floods one long SSE
// answer as fast as the proxy takes it and counts what it managed to send.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "http_client.h"
#include "process.h"

namespace {

constexpr int flood_events = 40000;
constexpr const char* token = "abcdefghij";  // the content of every event is this, 20 times

std::string flood_event() {
  std::string content;
  for (int i = 0; i < 20; ++i) content += token;
  return R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"flood",)"
         R"("choices":[{"index":0,"delta":{"content":")" +
         content + "\"},\"finish_reason\":null}]}\n\n";
}

bool send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

int listen_loopback(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4) != 0) return -1;
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

// Serves one request: reads its head and body, then writes the long stream (close-delimited).
struct flood_upstream {
  int listener = -1;
  int port = 0;
  std::atomic<long long> sent{0};
  std::atomic<bool> finished{false};
  std::thread thread;

  flood_upstream() {
    listener = listen_loopback(port);
    thread = std::thread([this] { serve(); });
  }
  ~flood_upstream() {
    ::shutdown(listener, SHUT_RDWR);
    ::close(listener);
    thread.join();
  }

  void serve() {
    for (;;) {
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0 || serve_one(fd)) return;
    }
  }

  // False for a GET (the proxy probing the provider's /models at start): a 404, then the next.
  bool serve_one(int fd) {
    const int small = 32 * 1024;  // keep the kernel's share of the answer small
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    std::string in;
    char buf[4096];
    std::size_t need = std::string::npos;
    while (need == std::string::npos || in.size() < need) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<std::size_t>(n));
      const auto end = in.find("\r\n\r\n");
      if (need == std::string::npos && end != std::string::npos) {
        std::string head = in.substr(0, end);
        for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto cl = head.find("content-length:");
        need = end + 4 + (cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15)));
      }
    }
    if (in.rfind("GET ", 0) == 0) {
      send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      ::close(fd);
      return false;
    }
    std::string out = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
    const std::string ev = flood_event();
    bool ok = send_all(fd, out);
    for (int i = 0; ok && i < flood_events; ++i) {
      ok = send_all(fd, ev);
      if (ok) sent += static_cast<long long>(ev.size());
    }
    if (ok) {
      send_all(fd, R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,)"
                   R"("model":"flood","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
                   "\n\ndata: [DONE]\n\n");
    }
    finished = true;
    ::close(fd);
    return true;
  }
};

long long queued_bytes(const std::string& base) {
  const auto m = harness_test::http_get(base + "/metrics");
  const auto pos = m.body.find("\nharness_client_queue_bytes ");
  if (pos == std::string::npos) return -1;
  return std::stoll(m.body.substr(pos + 28));
}

// Undoes HTTP/1.1 chunked framing (the proxy streams with it).
std::string dechunk(const std::string& body) {
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto eol = body.find("\r\n", pos);
    if (eol == std::string::npos) break;
    const std::size_t size = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
    if (size == 0) break;
    out.append(body, eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  return out;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("a slow-reading client holds the upstream back instead of filling the proxy",
          "[integration]") {
  flood_upstream up;
  REQUIRE(up.listener >= 0);
  const std::string dir = harness_test::make_temp_dir("bp");
  std::ofstream(dir + "/h.toml") << "[server]\nport = 0\n\n[providers.flood]\nkind = \"openai\"\n"
                                    "base_url = \"http://127.0.0.1:"
                                 << up.port << "/v1\"\n\n[[models]]\nname = \"flood\"\nprovider = \"flood\"\n";
  harness_test::child_process server({HARNESS_SERVER_BIN, "--config", dir + "/h.toml", "--port-file",
                                      dir + "/port", "--quiet"},
                                     dir + "/log");
  const int port = harness_test::wait_for_port_file(dir + "/port");
  REQUIRE(port > 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);

  // The client: a raw socket with a tiny receive buffer, so the kernel cannot soak up the stream.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int tiny = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &tiny, sizeof tiny);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  const std::string body = R"({"model":"flood","stream":true,"messages":[{"role":"user","content":"go"}]})";
  REQUIRE(send_all(fd, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "Content-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body));
  std::string received;
  char buf[16384];
  while (received.size() < 16384) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    REQUIRE(n > 0);
    received.append(buf, static_cast<std::size_t>(n));
  }

  // The client stalls. Without flow control the proxy would read the whole upstream answer
  // (~13 MB) into its queue within this time.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const long long total = static_cast<long long>(flood_event().size()) * flood_events;
  const long long queued = queued_bytes(base);
  INFO("upstream sent " << up.sent.load() << " of " << total << " bytes; proxy queue " << queued);
  CHECK(queued >= 0);
  CHECK(queued < 1024 * 1024);
  CHECK_FALSE(up.finished.load());
  CHECK(up.sent.load() < total);

  // The client reads again: the whole answer arrives, nothing lost across the pauses.
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  CHECK(up.finished.load());
  const auto head_end = received.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  const std::string stream = dechunk(received.substr(head_end + 4));
  CHECK(count(stream, token) == static_cast<std::size_t>(flood_events) * 20);
  CHECK(stream.find("data: [DONE]") != std::string::npos);
  CHECK(queued_bytes(base) == 0);
}
