#include "gateway/scheduler.h"

namespace harness::detail {

scheduler::scheduler() : thread_([this] { run(); }) {}

scheduler::~scheduler() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void scheduler::after(std::chrono::milliseconds delay, std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    queue_.push(entry{std::chrono::steady_clock::now() + delay, seq_++, std::move(task)});
  }
  cv_.notify_all();
}

void scheduler::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const auto when = queue_.top().when;
    if (std::chrono::steady_clock::now() < when) {
      cv_.wait_until(lock, when);
      continue;
    }
    auto task = std::move(const_cast<entry&>(queue_.top()).task);  // NOLINT: popped next
    queue_.pop();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace harness::detail
