// event_hub.h: fans finished exchanges out to live watchers (GET /v1/harness/events, SSE).
//
// The gateway publishes from its own threads and must never wait for a watcher: each
// subscription has a bounded queue, and a watcher too slow to keep up loses events (it is told
// how many with an `event: dropped`) instead of holding anything back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace harness_server {

struct event_hub_options {
  std::size_t queue_limit = 256;  ///< events held per watcher before it starts losing them
  std::chrono::milliseconds ping_interval{15000};  ///< `: ping` after this much silence
  std::size_t max_subscribers = 32;  ///< each one holds an HTTP worker thread
};

/// One watcher's view: SSE text ready to send, in order.
class event_subscription {
 public:
  explicit event_subscription(const event_hub_options& options);
  event_subscription(const event_subscription&) = delete;
  event_subscription& operator=(const event_subscription&) = delete;

  /// The SSE text to send next (whole events, possibly several); waits at most `tick` when none
  /// is queued and returns "" then, or a `: ping` comment after `ping_interval` of silence.
  /// `ended` turns true once the hub closed and everything queued was taken.
  std::string next(std::chrono::milliseconds tick, bool& ended);
  /// The watcher left: the hub stops queueing for it.
  void cancel();
  bool cancelled() const;

 private:
  friend class event_hub;
  void push(const std::string& sse_event);  // never blocks for long; drops when full
  void close();

  const event_hub_options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::size_t dropped_ = 0;  // lost since the last `event: dropped`
  bool closed_ = false;
  bool cancelled_ = false;
  std::chrono::steady_clock::time_point last_output_;
};

/// Thread-safe; publish() may be called from any thread at any time.
class event_hub {
 public:
  explicit event_hub(event_hub_options options = {});

  /// A new watcher; its first event is `event: hello` with `hello_json` as data. Null when
  /// max_subscribers watchers are connected or the hub is closed.
  std::shared_ptr<event_subscription> subscribe(const std::string& hello_json);
  /// One finished exchange (the request log's JSON line) as `event: exchange` to every watcher.
  void publish(const std::string& json_line);
  /// True when someone watches (the caller may skip building lines otherwise).
  bool has_subscribers() const;
  /// Server stop: every subscription ends after what it has queued; no new ones.
  void close();

 private:
  const event_hub_options options_;
  mutable std::mutex mu_;
  bool closed_ = false;
  std::vector<std::shared_ptr<event_subscription>> subscribers_;

  void prune();  // drops cancelled subscriptions; mu_ held
};

/// `event: NAME\ndata: DATA\n\n` (DATA must be one line).
std::string sse_event(const std::string& name, const std::string& data);

}  // namespace harness_server
