// stream_bridge.h: hands a gateway's answer (produced on the transport's thread) to the HTTP
// worker thread that writes it to the client.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <harness/gateway.h>

namespace harness_server {

class stream_bridge : public harness::client_sink {
 public:
  /// Bytes the bridge may hold for a slow client before it asks the gateway to hold the
  /// upstream back (a stream of any length then needs at most this much, plus one upstream read).
  static constexpr std::size_t queue_limit = 64 * 1024;

  /// `queued_total` (optional) is kept equal to the bytes waiting in all bridges that share it.
  explicit stream_bridge(std::shared_ptr<std::atomic<std::int64_t>> queued_total = nullptr)
      : queued_total_(std::move(queued_total)) {}
  ~stream_bridge() override;
  stream_bridge(const stream_bridge&) = delete;
  stream_bridge& operator=(const stream_bridge&) = delete;

  void on_head(int status, std::string_view content_type,
               const harness::header_list& headers) override;
  bool on_body(std::string_view bytes) override;
  bool ready_for_body() override;
  void on_end() override;

  /// Waits until the head of a stream, or the end of a whole (JSON) answer, arrived (true), or
  /// `deadline` passed (false).
  bool wait_head(std::chrono::steady_clock::time_point deadline);
  /// Waits until the answer ended or `deadline` passed; returns the whole body so far.
  std::string wait_all(std::chrono::steady_clock::time_point deadline);
  /// Takes the bytes queued so far; waits at most `tick` when there are none. `ended` tells
  /// whether nothing more will come.
  std::string next(std::chrono::milliseconds tick, bool& ended);
  /// The client went away: further on_body calls return false (the gateway cancels upstream).
  void client_gone();

  int status() const;
  std::string content_type() const;
  harness::header_list headers() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool has_head_ = false;
  bool ended_ = false;
  bool gone_ = false;
  bool whole_ = false;  // the answer is JSON: the reader wakes only at its end
  int status_ = 0;
  std::string content_type_;
  harness::header_list headers_;
  std::string pending_;
  std::shared_ptr<std::atomic<std::int64_t>> queued_total_;  // may outlive the server

  void count_queued(std::int64_t delta) {
    if (queued_total_ != nullptr) queued_total_->fetch_add(delta, std::memory_order_relaxed);
  }
};

}  // namespace harness_server
