// stream_bridge.h: hands a gateway's answer (produced on the transport's thread) to the HTTP
// worker thread that writes it to the client.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

#include <harness/gateway.h>

namespace harness_server {

class stream_bridge : public harness::client_sink {
 public:
  void on_head(int status, std::string_view content_type,
               const harness::header_list& headers) override;
  bool on_body(std::string_view bytes) override;
  void on_end() override;

  /// Waits until the head arrived (true) or `deadline` passed (false).
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
  int status_ = 0;
  std::string content_type_;
  harness::header_list headers_;
  std::string pending_;
};

}  // namespace harness_server
