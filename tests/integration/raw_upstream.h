// raw_upstream.h: a loopback TCP "upstream" that misbehaves below HTTP, for fault tests the
// scripted fake upstream cannot play: a reset before any response head, and a stream that is
// held open so the test can see exactly when the proxy hangs up.
//
// The upstream model id in the request body picks the behaviour:
//   "reset-head"  read the request, then reset the connection (RST) without a byte of answer;
//   "hold-stream" answer 200 text/event-stream with one OpenAI chunk, then send nothing and
//                 record when the proxy closes the connection (closed_at()).
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace harness_test {

class raw_upstream {
 public:
  using clock = std::chrono::steady_clock;

  raw_upstream() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 64);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { accept_loop(); });
  }
  ~raw_upstream() {
    stop_ = true;
    thread_.join();
    for (auto& t : workers_) t.join();
    ::close(listener_);
  }
  raw_upstream(const raw_upstream&) = delete;
  raw_upstream& operator=(const raw_upstream&) = delete;

  int port() const { return port_; }
  /// Connections accepted so far.
  int accepted() const { return accepted_.load(); }
  /// When the proxy closed the last held stream; nullopt while it is open (or none was held).
  std::optional<clock::time_point> closed_at() {
    std::lock_guard lock(mu_);
    return closed_at_;
  }
  /// True once a held stream is sending its first chunk.
  bool holding() const { return holding_.load(); }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // Reads until the whole request (head + Content-Length body) arrived; returns it.
  std::string read_request(int fd) {
    std::string in;
    char buf[4096];
    for (;;) {
      const auto head_end = in.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto cl = in.find("Content-Length: ");
        const std::size_t body = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
        if (in.size() >= head_end + 4 + body) return in;
      }
      pollfd p{fd, POLLIN, 0};
      if (stop_ || ::poll(&p, 1, 100) < 0) return in;
      if ((p.revents & (POLLIN | POLLHUP)) == 0) continue;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return in;
      in.append(buf, static_cast<std::size_t>(n));
    }
  }

  void serve(int fd) {
    const std::string request = read_request(fd);
    if (request.find("\"reset-head\"") != std::string::npos) {
      const linger hard{1, 0};  // close() sends RST instead of FIN
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      ::close(fd);
      return;
    }
    if (request.find("\"hold-stream\"") != std::string::npos) {
      const std::string answer =
          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
          "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
          "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Once\"},"
          "\"finish_reason\":null}]}\n\n";
      // Set before the send: the proxy may relay the chunk, see its client leave and hang up
      // before this thread runs again (the epoll front does it in microseconds).
      holding_ = true;
      (void)::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
      // Wait for the proxy to hang up (recv 0 or an error), bounded by the test's life.
      char buf[256];
      while (!stop_) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        if (::recv(fd, buf, sizeof buf, 0) <= 0) {
          std::lock_guard lock(mu_);
          closed_at_ = clock::now();
          break;
        }
      }
    }
    ::close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::atomic<bool> holding_{false};
  std::mutex mu_;
  std::optional<clock::time_point> closed_at_;
  std::thread thread_;
  std::vector<std::thread> workers_;  // touched only by the accept thread, joined after it
};

}  // namespace harness_test

namespace harness_test {

/// Sends `request` on a new loopback connection to `port`, half-closes, and returns what came
/// back before the peer closed or 3 s passed.
inline std::string raw_exchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {};
  }
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace harness_test
