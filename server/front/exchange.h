// exchange.h: one request's answer on its way to the client, shared between the thread that
// produces it (the gateway's transport thread, a watcher thread, or the event loop itself) and
// the event loop that writes it to the connection.
//
// Producers call the client_sink methods (any thread); each call queues bytes and, if nothing
// was waiting, calls `wake` (which the loop hands in: a wake-up from other threads, a note to
// itself on its own). The loop takes what is queued (take()) and writes
// it. A JSON answer is taken whole, at its end, so it goes out with a Content-Length in one
// write; other content types are streams, taken as they come.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>

#include <harness/gateway.h>

namespace harness_server {

class exchange final : public harness::client_sink {
 public:
  /// Bytes the exchange and its connection may hold for a slow client before the producer is
  /// asked to wait (ready_for_body() false): a stream of any length needs at most this much
  /// plus one upstream read.
  static constexpr std::size_t queue_limit = 64 * 1024;

  /// `wake` is called (on the producer's thread) when there is something new to take, once per
  /// take(); `queued_total` (optional) is kept equal to the bytes waiting
  /// in all exchanges that share it.
  exchange(std::function<void()> wake, std::shared_ptr<std::atomic<std::int64_t>> queued_total);
  ~exchange() override;
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;

  // harness::client_sink: any thread.
  void on_head(int status, std::string_view content_type,
               const harness::header_list& headers) override;
  bool on_body(std::string_view bytes) override;
  bool ready_for_body() override;
  void on_end() override;

  /// A whole answer in one call.
  void reply(int status, std::string_view content_type, std::string_view body,
             const harness::header_list& headers = {});
  /// Cancelled when the client leaves or the server stops (pass it to the gateway).
  std::stop_token stop_token() const noexcept { return stop_.get_token(); }
  /// When no head has arrived by `at`, the loop answers `status` with the JSON body `body()`
  /// makes (only then: most requests never need it) and cancels the exchange. Loop thread only
  /// (the router calls it).
  void set_deadline(std::chrono::steady_clock::time_point at, int status,
                    std::function<std::string()> body) {
    deadline_ = at;
    deadline_status_ = status;
    deadline_body_ = std::move(body);
  }

  // ---- the loop's side (its thread only)
  struct taken {
    bool head = false;  ///< the head arrived (and had not been taken before)
    int status = 0;
    std::string content_type;
    harness::header_list headers;
    std::string body;   ///< bytes queued since the last take
    bool ended = false; ///< nothing more will come
  };
  /// What is ready to write: nothing of a JSON answer until its end.
  taken take();
  /// The client left (or the server stops): producers' on_body returns false from now on and
  /// the stop token fires.
  void client_gone();
  /// The connection's unwritten bytes, counted against queue_limit.
  void set_unsent(std::size_t bytes) noexcept { unsent_.store(bytes, std::memory_order_relaxed); }
  std::chrono::steady_clock::time_point deadline() const noexcept { return deadline_; }
  int deadline_status() const noexcept { return deadline_status_; }
  std::string deadline_body() const { return deadline_body_ ? deadline_body_() : std::string(); }

 private:
  void wake_locked_out();
  void count_queued(std::int64_t delta) {
    if (queued_total_ != nullptr) queued_total_->fetch_add(delta, std::memory_order_relaxed);
  }

  std::function<void()> wake_;
  std::shared_ptr<std::atomic<std::int64_t>> queued_total_;
  std::stop_source stop_;
  std::atomic<std::size_t> unsent_{0};
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  int deadline_status_ = 504;
  std::function<std::string()> deadline_body_;

  std::mutex mu_;
  bool has_head_ = false;
  bool head_taken_ = false;
  bool whole_ = false;   // JSON: taken at its end only
  bool ended_ = false;
  bool gone_ = false;
  bool wake_pending_ = false;  // a wake is on its way; the next take() clears it
  int status_ = 0;
  std::string content_type_;
  harness::header_list headers_;
  std::string pending_;
};

}  // namespace harness_server
