// curl_transport.cpp: the two faces of the curl engine (engine.h): a transport on an I/O
// thread of its own, and one an event loop of the caller drives.
#include <harness/curl_transport.h>

#include <climits>
#include <thread>

#include "curl/engine.h"

namespace harness {
inline namespace v0 {
namespace {

using detail::curl_engine;

// The longest the I/O thread sleeps without looking at its stop flag and timers.
constexpr int max_wait_ms = 1000;

// What the caller holds. The last reference may be dropped anywhere, including inside a sink
// callback on the I/O thread (a gateway's request state often holds the transport): the thread
// is then detached and ends by itself, since a thread cannot join itself; the engine it holds
// stays alive until its loop has finished.
class threaded_transport final : public transport {
 public:
  explicit threaded_transport(std::shared_ptr<curl_engine> engine) : engine_(std::move(engine)) {}

  ~threaded_transport() override {
    engine_->request_stop();
    if (!thread_.joinable()) return;
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }

  threaded_transport(const threaded_transport&) = delete;
  threaded_transport& operator=(const threaded_transport&) = delete;

  bool launch() noexcept {
    try {
      thread_ = std::thread([engine = engine_] {
        engine->bind_thread();
        for (;;) {
          int wait = engine->timeout_ms();
          if (wait < 0 || wait > max_wait_ms) wait = max_wait_ms;
          if (engine->run(wait)) break;
        }
      });
      return true;
    } catch (...) {
      return false;
    }
  }

  void start(http_request request, std::shared_ptr<response_sink> sink,
             std::stop_token stop) override {
    engine_->start(std::move(request), std::move(sink), std::move(stop));
  }

 private:
  std::shared_ptr<curl_engine> engine_;
  std::thread thread_;
};

class loop_transport final : public curl_loop_transport {
 public:
  explicit loop_transport(std::shared_ptr<curl_engine> engine) : engine_(std::move(engine)) {}
  ~loop_transport() override { close(); }
  loop_transport(const loop_transport&) = delete;
  loop_transport& operator=(const loop_transport&) = delete;

  void start(http_request request, std::shared_ptr<response_sink> sink,
             std::stop_token stop) override {
    engine_->start(std::move(request), std::move(sink), std::move(stop));
  }
  int watch_fd() const noexcept override { return engine_->fd(); }
  int timeout_ms() noexcept override { return engine_->timeout_ms(); }
  void run() noexcept override { engine_->run(0); }
  void bind_to_this_thread() noexcept override { engine_->bind_thread(); }
  bool on_loop_thread() const noexcept override { return engine_->on_loop_thread(); }
  void close() noexcept override {
    engine_->request_stop();
    engine_->bind_thread();  // the caller is, or now stands in for, the loop thread
    while (!engine_->run(0)) {
    }
  }

 private:
  std::shared_ptr<curl_engine> engine_;
};

}  // namespace

std::unique_ptr<transport> make_curl_transport(const curl_transport_options& options) {
  auto engine = curl_engine::create(options);
  if (!engine) return nullptr;
  std::unique_ptr<threaded_transport> t;
  try {
    t = std::make_unique<threaded_transport>(std::move(engine));
  } catch (...) {
    return nullptr;
  }
  if (!t->launch()) return nullptr;
  return t;
}

std::unique_ptr<curl_loop_transport> make_curl_loop_transport(
    const curl_transport_options& options) {
  auto engine = curl_engine::create(options);
  if (!engine) return nullptr;
  try {
    return std::make_unique<loop_transport>(std::move(engine));
  } catch (...) {
    return nullptr;
  }
}

}  // namespace v0
}  // namespace harness
