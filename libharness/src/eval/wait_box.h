// wait_box.h: a collected HTTP answer that one thread fills and another waits for.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace harness::eval_internal {

struct wait_box {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int status = 0;
  std::string body;
  std::string error;
  std::chrono::steady_clock::time_point first_byte{};

  void head(int s) {
    std::lock_guard lock(mu);
    status = s;
  }
  void bytes(std::string_view b) {
    std::lock_guard lock(mu);
    if (first_byte == std::chrono::steady_clock::time_point{} && !b.empty())
      first_byte = std::chrono::steady_clock::now();
    body.append(b);
  }
  void finish(std::string err) {
    std::lock_guard lock(mu);
    error = std::move(err);
    done = true;
    cv.notify_all();
  }
  /// True when finished before `deadline`.
  bool wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mu);
    return cv.wait_until(lock, deadline, [this] { return done; });
  }
};

}  // namespace harness::eval_internal
