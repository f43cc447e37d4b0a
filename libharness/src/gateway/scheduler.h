// scheduler.h: runs callbacks after a delay on one thread (retry backoff without blocking the
// transport's I/O thread).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace harness::detail {

class scheduler {
 public:
  scheduler();
  ~scheduler();  ///< runs nothing more; pending tasks are dropped
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;

  /// Runs `task` on the scheduler's thread after `delay`.
  void after(std::chrono::milliseconds delay, std::function<void()> task);

 private:
  struct entry {
    std::chrono::steady_clock::time_point when;
    std::uint64_t seq;
    std::function<void()> task;
    bool operator>(const entry& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<entry, std::vector<entry>, std::greater<>> queue_;
  std::uint64_t seq_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace harness::detail
