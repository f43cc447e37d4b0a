#include "worker_pool.h"

#include <malloc.h>

#include <utility>

namespace harness_server {

worker_pool::worker_pool(std::size_t max_threads, std::size_t min_threads,
                         std::chrono::milliseconds idle_exit)
    : max_(max_threads > 0 ? max_threads : 1),
      min_(min_threads < max_ ? min_threads : max_),
      idle_exit_(idle_exit) {}

worker_pool::~worker_pool() { shutdown(); }

void worker_pool::enqueue(std::function<void()> fn) {
  std::list<worker> finished;
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(fn));
    reap_locked(finished);
    // Start a thread only when no idle one can take the job (idle_ counts threads waiting).
    if (idle_ < jobs_.size() && live_ < max_) {
      workers_.emplace_back();
      auto it = std::prev(workers_.end());
      try {
        it->thread = std::thread([this, it] { work(it); });
        ++live_;
      } catch (...) {
        workers_.erase(it);  // no thread: the job waits for a running one
      }
    }
  }
  cv_.notify_one();
  for (auto& w : finished) w.thread.join();
}

// Moves the workers that have left their loop out of the list, for joining without the lock.
void worker_pool::reap_locked(std::list<worker>& out) {
  for (auto it = workers_.begin(); it != workers_.end();) {
    auto next = std::next(it);
    if (it->exited) out.splice(out.end(), workers_, it);
    it = next;
  }
}

void worker_pool::work(std::list<worker>::iterator self) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (jobs_.empty() && !stopping_) {
      ++idle_;
      const bool woke =
          cv_.wait_for(lock, idle_exit_, [this] { return !jobs_.empty() || stopping_; });
      --idle_;
      if (!woke && live_ > min_) {  // idle long enough and more threads than the floor
        --live_;
        // Join the threads that left before this one: an exited thread keeps its stack (and
        // the pages it touched) until joined. This one is joined by the next to leave, the
        // next enqueue or shutdown.
        std::list<worker> finished;
        reap_locked(finished);
        const bool floor = live_ == min_ && jobs_.empty();
        lock.unlock();
        for (auto& w : finished) w.thread.join();
        // Back to the floor after a busy spell: hand the memory freed since to the kernel
        // (glibc keeps it in its arenas otherwise).
        if (floor) malloc_trim(0);
        lock.lock();
        self->exited = true;
        return;
      }
      continue;
    }
    if (jobs_.empty()) break;  // stopping and nothing left to run
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // release what the job captured before taking the lock again
    lock.lock();
  }
  --live_;
  self->exited = true;
}

void worker_pool::shutdown() {
  std::list<worker> all;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    all.splice(all.end(), workers_);
  }
  cv_.notify_all();
  for (auto& w : all) {
    if (w.thread.joinable()) w.thread.join();
  }
}

std::size_t worker_pool::threads() const {
  std::lock_guard lock(mu_);
  return live_;
}

}  // namespace harness_server
