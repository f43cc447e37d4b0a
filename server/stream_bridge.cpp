#include "stream_bridge.h"

namespace harness_server {

void stream_bridge::on_head(int status, std::string_view content_type,
                            const harness::header_list& headers) {
  std::lock_guard lock(mu_);
  status_ = status;
  content_type_.assign(content_type);
  headers_ = headers;
  has_head_ = true;
  // A whole answer (JSON) is taken in one piece after on_end: waking the HTTP thread for its
  // head and body too would cost two context switches per request for nothing.
  whole_ = content_type == "application/json";
  if (!whole_) cv_.notify_all();
}

stream_bridge::~stream_bridge() { count_queued(-static_cast<std::int64_t>(pending_.size())); }

bool stream_bridge::on_body(std::string_view bytes) {
  std::lock_guard lock(mu_);
  if (gone_) return false;
  pending_.append(bytes);
  count_queued(static_cast<std::int64_t>(bytes.size()));
  if (!whole_) cv_.notify_all();
  return true;
}

bool stream_bridge::ready_for_body() {
  std::lock_guard lock(mu_);
  return gone_ || pending_.size() < queue_limit;  // a gone client: let on_body say so at once
}

void stream_bridge::on_end() {
  std::lock_guard lock(mu_);
  ended_ = true;
  cv_.notify_all();
}

bool stream_bridge::wait_head(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [this] { return ended_ || (has_head_ && !whole_); }) &&
         has_head_;
}

std::string stream_bridge::wait_all(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return ended_; });
  count_queued(-static_cast<std::int64_t>(pending_.size()));
  std::string out = std::move(pending_);
  pending_.clear();
  return out;
}

std::string stream_bridge::next(std::chrono::milliseconds tick, bool& ended) {
  std::unique_lock lock(mu_);
  // A deadline computed once: spurious wake-ups do not extend the wait (style.md pitfall 7).
  const auto deadline = std::chrono::steady_clock::now() + tick;
  cv_.wait_until(lock, deadline, [this] { return !pending_.empty() || ended_; });
  count_queued(-static_cast<std::int64_t>(pending_.size()));
  std::string out = std::move(pending_);
  pending_.clear();
  ended = ended_;
  return out;
}

void stream_bridge::client_gone() {
  std::lock_guard lock(mu_);
  gone_ = true;
}

int stream_bridge::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

std::string stream_bridge::content_type() const {
  std::lock_guard lock(mu_);
  return content_type_;
}

harness::header_list stream_bridge::headers() const {
  std::lock_guard lock(mu_);
  return headers_;
}

}  // namespace harness_server
