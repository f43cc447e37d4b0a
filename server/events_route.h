// events_route.h: GET /v1/harness/events, the live exchange stream (SSE) `harness-cli watch` reads.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace harness_server {

class event_hub;
class exchange;

/// The threads that feed watchers (one each; the hub caps how many). Finished ones are joined
/// when the next starts, the rest by join_all().
class watcher_threads {
 public:
  watcher_threads() = default;
  ~watcher_threads() { join_all(); }
  watcher_threads(const watcher_threads&) = delete;
  watcher_threads& operator=(const watcher_threads&) = delete;

  template <class F>
  void start(F&& work) {
    std::lock_guard lock(mu_);
    reap_locked();
    auto done = std::make_shared<std::atomic<bool>>(false);
    threads_.push_back({done, std::thread([done, w = std::forward<F>(work)]() mutable {
                          w();
                          done->store(true);
                        })});
  }
  void join_all();

 private:
  struct entry {
    std::shared_ptr<std::atomic<bool>> done;
    std::thread thread;
  };
  void reap_locked();
  std::mutex mu_;
  std::list<entry> threads_;
};

/// Subscribes the caller (already authorized) to `hub` and streams `text/event-stream` into
/// `reply` from a thread of `threads` until the watcher leaves or `stopping` turns true (the
/// stream then ends cleanly). 503 when too many watchers are connected.
void serve_events(event_hub& hub, const std::atomic<bool>& stopping, watcher_threads& threads,
                  const std::shared_ptr<exchange>& reply);

}  // namespace harness_server
