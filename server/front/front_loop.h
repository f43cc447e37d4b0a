// front_loop.h: one event loop of the HTTP front (epoll, level-triggered): accepts from the
// shared listening socket, owns its connections, drives its upstream transport (the libcurl
// sockets of the transfers its requests started), and takes wake-ups from other threads
// through a mailbox (an eventfd plus the ids of connections whose answer has news). Answers
// produced on the loop's own thread (by the upstream transport) need no wake-up: their
// connections are listed and served before the loop waits again.
#pragma once

#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "front/connection.h"
#include "front/http_front.h"

namespace harness_server {

class front_loop {
 public:
  front_loop(http_front& front, std::shared_ptr<harness::curl_loop_transport> upstream);
  ~front_loop();
  front_loop(const front_loop&) = delete;
  front_loop& operator=(const front_loop&) = delete;

  /// Serves until the front stops; on the calling thread.
  void run();
  /// Makes run() look at the stop flag now; any thread.
  void wake();

  // ---- for connections (loop thread)
  /// The epoll events `c` waits for now (EPOLLIN, EPOLLRDHUP, EPOLLOUT).
  void set_interest(connection& c, std::uint32_t events);
  std::shared_ptr<exchange> make_exchange(std::uint64_t connection_id);
  void route(http_request& request, const std::shared_ptr<exchange>& reply) {
    front_.router_(request, reply);
  }
  std::string error_body(int status, std::string_view path, std::string_view message) {
    return front_.error_body_(status, path, message);
  }
  const front_settings& settings() const noexcept { return front_.settings_; }
  std::atomic<int>& open_streams() noexcept { return front_.open_streams_; }

 private:
  // Shared with every exchange of this loop, which may outlive it.
  struct mailbox {
    std::mutex mu;
    int wake_fd = -1;  // -1 once the loop ended
    std::vector<std::uint64_t> ready;
    std::vector<std::uint64_t> local;  // loop thread only: news made on the loop itself
    void post(std::uint64_t id);
  };

  void accept_all();
  void drain_mailbox();
  void serve_local();
  /// Writes what the exchanges of these connections have ready (gone ones are skipped).
  void serve_ready(const std::vector<std::uint64_t>& ids);
  void tick();
  void close_connection(std::uint64_t id);

  static constexpr std::uint64_t listener_key = 1;
  static constexpr std::uint64_t wake_key = 2;
  static constexpr std::uint64_t upstream_key = 3;

  http_front& front_;
  int epoll_fd_ = -1;
  std::shared_ptr<mailbox> mailbox_;
  std::shared_ptr<harness::curl_loop_transport> upstream_;  // may be null
  std::unordered_map<std::uint64_t, std::unique_ptr<connection>> connections_;
  std::uint64_t next_id_ = 16;
  std::thread::id thread_;
  bool listener_paused_ = false;  // out of descriptors: accept again at the next tick
  int idle_ticks_ = 0;            // ticks in a row without a connection
  std::vector<std::uint64_t> ready_scratch_;
};

}  // namespace harness_server
