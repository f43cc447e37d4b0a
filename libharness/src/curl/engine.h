// engine.h: the libcurl side of both curl transports — one multi handle driven through
// libcurl's socket interface (curl_multi_socket_action) on an epoll set of its own.
//
// Threads and ownership:
// - Any thread: `start` queues the transfer under a mutex and writes the engine's eventfd; a
//   stop callback raises `cancel_pending_` (and writes the eventfd unless it runs on the loop
//   thread): it takes no lock and allocates nothing, so it is safe anywhere, at any time.
// - The loop thread (whoever calls `run`) owns the CURLM, every easy handle, every active
//   transfer and its stop callback, and runs all sink callbacks. A `start` made on that thread
//   outside `run` adds the transfer at once: no queue, no wake-up.
// - `fd()` is the epoll set: readable whenever `run` has something to do (a socket is ready,
//   a transfer was queued or cancelled). Nested in another epoll set it lets any event loop
//   drive the engine; the threaded transport waits on it itself.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <unordered_map>
#include <vector>

#include <harness/curl_transport.h>

#include "curl/easy.h"
#include "curl/errors.h"

namespace harness::detail {

struct transfer;
class curl_engine;

// Registered on a transfer's stop_token; runs on whichever thread requests the stop.
struct cancel_notifier {
  curl_engine* self;
  void operator()() const noexcept;
};

class curl_engine {
 public:
  /// Null when libcurl or the system is out of resources.
  static std::shared_ptr<curl_engine> create(const curl_transport_options& options);
  curl_engine(const curl_transport_options& options, CURLM* multi, int epoll_fd, int wake_fd);
  ~curl_engine();
  curl_engine(const curl_engine&) = delete;
  curl_engine& operator=(const curl_engine&) = delete;

  // ---- any thread
  void start(http_request request, std::shared_ptr<response_sink> sink, std::stop_token stop);
  /// Ends the engine: `run` cancels what is active and returns true from then on; later starts
  /// complete at once with canceled.
  void request_stop() noexcept;
  void notify_cancel() noexcept;
  int fd() const noexcept { return epoll_fd_; }
  bool on_loop_thread() const noexcept {
    return loop_thread_.load(std::memory_order_acquire) == std::this_thread::get_id();
  }

  // ---- the loop thread
  /// Binds the engine to the calling thread (the first `run` does it too).
  void bind_thread() noexcept { loop_thread_.store(std::this_thread::get_id(), std::memory_order_release); }
  /// Waits up to `wait_ms` (0: not at all) for work, then does all that is ready. Returns
  /// true once the engine has stopped (every transfer then has completed).
  bool run(int wait_ms) noexcept;
  /// How long the caller may wait on fd() before `run` is due anyway: 0 now, -1 no deadline.
  int timeout_ms() noexcept;

 private:
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);

  void add(std::unique_ptr<transfer> t) noexcept;
  void discard(std::unique_ptr<transfer> t, error err) noexcept;
  std::optional<error> setup(transfer& t);
  easy_ptr acquire_easy();
  void recycle(easy_ptr easy) noexcept;
  void finish(std::uint64_t id, result<void> outcome) noexcept;
  void cancel_all() noexcept;
  void cancel_stopped() noexcept;
  void collect_done() noexcept;
  result<void> outcome_of(transfer& t, CURLcode code) noexcept;
  bool resume_ready() noexcept;
  void expire_timers(std::chrono::steady_clock::time_point now) noexcept;
  void note_deadline(std::chrono::steady_clock::time_point at) noexcept {
    if (at < next_expiry_) next_expiry_ = at;
  }
  // libcurl's per-transfer callbacks (inside socket_action, on the loop thread).
  static bool deliver_head(transfer& t, int status) noexcept;
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept;
  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) noexcept;
  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept;

  const curl_transport_options options_;
  CURLM* const multi_;
  CURLSH* share_ = nullptr;
  const int epoll_fd_;
  const int wake_fd_;
  std::atomic<std::thread::id> loop_thread_{};

  // Shared with other threads.
  std::mutex mutex_;
  std::vector<std::unique_ptr<transfer>> adds_;  // guarded by mutex_
  bool stopping_ = false;                        // guarded by mutex_
  std::atomic<bool> queued_{false};              // adds_ is not empty, or a stop was asked
  std::atomic<bool> cancel_pending_{false};

  // Loop thread only.
  bool in_run_ = false;    // inside run(): libcurl refuses handles added from its callbacks
  bool stopped_ = false;   // run() has cancelled everything for good
  std::vector<std::unique_ptr<transfer>> local_adds_;  // started on the loop thread inside run
  std::unordered_map<std::uint64_t, std::unique_ptr<transfer>> active_;
  std::vector<easy_ptr> free_easies_;
  std::unordered_map<std::string, upstream_target> targets_;  // parsed upstream URLs
  std::vector<std::uint64_t> paused_;    // transfers paused for their sink (may hold ended ids)
  std::vector<std::uint64_t> resuming_;  // scratch for resume_ready, kept for its capacity
  std::uint64_t next_id_ = 1;
  // libcurl's timer (CURLMOPT_TIMERFUNCTION): when socket_action(CURL_SOCKET_TIMEOUT) is due.
  std::chrono::steady_clock::time_point curl_deadline_ = std::chrono::steady_clock::time_point::max();
  // The earliest first-byte / idle / total deadline of any transfer (a lower bound: the scan at
  // that time finds the exact ones and sets the next).
  std::chrono::steady_clock::time_point next_expiry_ = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point next_resume_ = std::chrono::steady_clock::time_point::max();
};

}  // namespace harness::detail
