#include "event_hub.h"

#include <algorithm>

namespace harness_server {

std::string sse_event(const std::string& name, const std::string& data) {
  std::string out;
  out.reserve(name.size() + data.size() + 16);
  out.append("event: ").append(name).append("\ndata: ").append(data).append("\n\n");
  return out;
}

event_subscription::event_subscription(const event_hub_options& options)
    : options_(options), last_output_(std::chrono::steady_clock::now()) {}

void event_subscription::push(const std::string& sse) {
  {
    std::lock_guard lock(mu_);
    if (closed_ || cancelled_) return;
    if (queue_.size() >= options_.queue_limit) {
      ++dropped_;
      return;
    }
    queue_.push_back(sse);
  }
  cv_.notify_one();
}

void event_subscription::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

void event_subscription::cancel() {
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    queue_.clear();
  }
  cv_.notify_all();
}

bool event_subscription::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

std::string event_subscription::next(std::chrono::milliseconds tick, bool& ended) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, tick, [this] {
    return !queue_.empty() || dropped_ > 0 || closed_ || cancelled_;
  });
  std::string out;
  while (!queue_.empty()) {
    out += queue_.front();
    queue_.pop_front();
  }
  // The lost events came after the queued ones (the queue was full): report them after.
  if (dropped_ > 0) {
    out += sse_event("dropped", "{\"count\":" + std::to_string(dropped_) + "}");
    dropped_ = 0;
  }
  const auto now = std::chrono::steady_clock::now();
  if (out.empty() && now - last_output_ >= options_.ping_interval) out = ": ping\n\n";
  if (!out.empty()) last_output_ = now;
  ended = (closed_ || cancelled_) && queue_.empty();
  return out;
}

event_hub::event_hub(event_hub_options options) : options_(options) {}

std::shared_ptr<event_subscription> event_hub::subscribe(const std::string& hello_json) {
  auto sub = std::make_shared<event_subscription>(options_);
  sub->push(sse_event("hello", hello_json));
  std::lock_guard lock(mu_);
  prune();
  if (closed_ || subscribers_.size() >= options_.max_subscribers) return nullptr;
  subscribers_.push_back(sub);
  return sub;
}

void event_hub::publish(const std::string& json_line) {
  std::vector<std::shared_ptr<event_subscription>> targets;
  {
    std::lock_guard lock(mu_);
    prune();
    targets = subscribers_;
  }
  if (targets.empty()) return;
  const std::string sse = sse_event("exchange", json_line);
  for (const auto& s : targets) s->push(sse);
}

bool event_hub::has_subscribers() const {
  std::lock_guard lock(mu_);
  return std::any_of(subscribers_.begin(), subscribers_.end(),
                     [](const auto& s) { return !s->cancelled(); });
}

void event_hub::close() {
  std::vector<std::shared_ptr<event_subscription>> targets;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    targets.swap(subscribers_);
  }
  for (const auto& s : targets) s->close();
}

void event_hub::prune() {
  std::erase_if(subscribers_, [](const auto& s) { return s->cancelled(); });
}

}  // namespace harness_server
