// capturing_sink.h: a client_sink that keeps what a gateway answered (status, content type,
// headers, body) and lets a test wait, bounded, for the answer's end.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

#include <harness/gateway.h>

namespace harness_test {

/// The answer as the client saw it; copyable, so a test can keep it after the sink is gone.
struct client_answer {
  int status = 0;
  std::string content_type;
  harness::header_list headers;
  std::string body;
};

class capturing_sink final : public harness::client_sink, public client_answer {
 public:
  void on_head(int s, std::string_view type, const harness::header_list& h) override {
    status = s;
    content_type.assign(type);
    headers = h;
  }
  bool on_body(std::string_view bytes) override {
    body.append(bytes);
    return true;
  }
  void on_end() override {
    {
      const std::lock_guard lock(mu_);
      ended_ = true;
    }
    cv_.notify_all();
  }
  /// True once on_end has run; false if it did not within `limit` (the test then fails).
  bool wait(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [this] { return ended_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool ended_ = false;
};

}  // namespace harness_test
