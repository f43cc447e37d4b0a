#include "front/http_front.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "front/front_loop.h"

namespace harness_server {

http_front::http_front(front_settings settings, router_fn router, error_body_fn error_body)
    : settings_(std::move(settings)), router_(std::move(router)),
      error_body_(std::move(error_body)) {
  const int n = settings_.loops > 0 ? settings_.loops : 1;
  for (int i = 0; i < n; ++i) {
    std::shared_ptr<harness::curl_loop_transport> upstream;
    if (static_cast<std::size_t>(i) < settings_.upstreams.size()) upstream = settings_.upstreams[i];
    loops_.push_back(std::make_unique<front_loop>(*this, std::move(upstream)));
  }
}

http_front::~http_front() {
  stop();
  loops_.clear();
  if (listener_ >= 0) ::close(listener_);
}

bool http_front::bind(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0) {
    return false;
  }
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            a->ai_protocol);
    if (fd < 0) continue;
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
      sockaddr_storage bound{};
      socklen_t len = sizeof bound;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
      port_ = bound.ss_family == AF_INET6
                  ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                  : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
      listener_ = fd;
      break;
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return listener_ >= 0;
}

bool http_front::run() {
  if (listener_ < 0) return false;
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < loops_.size(); ++i) {
    others.emplace_back([loop = loops_[i].get()] { loop->run(); });
  }
  loops_[0]->run();
  for (auto& t : others) t.join();
  return true;
}

void http_front::stop() {
  stopping_.store(true, std::memory_order_release);
  for (auto& loop : loops_) loop->wake();
}

}  // namespace harness_server
