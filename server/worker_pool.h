// worker_pool.h: the HTTP front's thread pool, grown on demand and shrunk when idle.
//
// cpp-httplib serves each client connection on one pool thread for as long as the connection
// lives, so the pool must be able to hold every open stream (max_concurrent_streams) plus a
// margin of keep-alive connections. Starting all those threads up front costs idle memory
// (each thread touches stack pages and may get its own malloc arena), so threads are started
// when work arrives and none is idle, and exit after `idle_exit` without work (down to `min`).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

#include <httplib.h>

namespace harness_server {

class worker_pool final : public httplib::TaskQueue {
 public:
  worker_pool(std::size_t max_threads, std::size_t min_threads,
              std::chrono::milliseconds idle_exit);
  ~worker_pool() override;
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  void enqueue(std::function<void()> fn) override;
  /// Runs every queued job, then joins all threads (httplib calls it when the server stops).
  void shutdown() override;

  /// Threads alive now (for tests and diagnostics).
  std::size_t threads() const;

 private:
  struct worker {
    std::thread thread;
    bool exited = false;
  };
  void work(std::list<worker>::iterator self);
  void reap_locked(std::list<worker>& out);

  const std::size_t max_;
  const std::size_t min_;
  const std::chrono::milliseconds idle_exit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::list<worker> workers_;  // guarded by mu_; exited ones are joined on the next enqueue
  std::size_t live_ = 0;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace harness_server
