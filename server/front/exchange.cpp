#include "front/exchange.h"

#include <utility>

namespace harness_server {

exchange::exchange(std::function<void()> wake,
                   std::shared_ptr<std::atomic<std::int64_t>> queued_total)
    : wake_(std::move(wake)), queued_total_(std::move(queued_total)) {}

exchange::~exchange() { count_queued(-static_cast<std::int64_t>(pending_.size())); }

// Called with mu_ released. One wake per take(): producers that add while a wake is on its way
// do not signal again.
void exchange::wake_locked_out() {
  if (wake_) wake_();
}

void exchange::on_head(int status, std::string_view content_type,
                       const harness::header_list& headers) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (has_head_) return;
    status_ = status;
    content_type_.assign(content_type);
    headers_ = headers;
    has_head_ = true;
    whole_ = content_type == "application/json";
    if (!whole_ && !wake_pending_) wake = wake_pending_ = true;
  }
  if (wake) wake_locked_out();
}

bool exchange::on_body(std::string_view bytes) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (gone_) return false;
    if (ended_) return true;
    pending_.append(bytes);
    count_queued(static_cast<std::int64_t>(bytes.size()));
    if (!whole_ && !wake_pending_) wake = wake_pending_ = true;
  }
  if (wake) wake_locked_out();
  return true;
}

bool exchange::ready_for_body() {
  std::lock_guard lock(mu_);
  // A gone client: let on_body say so at once.
  return gone_ || pending_.size() + unsent_.load(std::memory_order_relaxed) < queue_limit;
}

void exchange::on_end() {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (ended_) return;
    ended_ = true;
    if (!wake_pending_) wake = wake_pending_ = true;
  }
  if (wake) wake_locked_out();
}

void exchange::reply(int status, std::string_view content_type, std::string_view body,
                     const harness::header_list& headers) {
  on_head(status, content_type, headers);
  on_body(body);
  on_end();
}

exchange::taken exchange::take() {
  taken t;
  std::lock_guard lock(mu_);
  wake_pending_ = false;
  if (!has_head_ && ended_) {  // an answer without a head breaks the sink contract: say so
    has_head_ = true;
    status_ = 502;
    content_type_ = "application/json";
    count_queued(-static_cast<std::int64_t>(pending_.size()));  // what came without a head
    pending_ = R"({"error":{"message":"the gateway ended without an answer","type":"server_error"}})";
    count_queued(static_cast<std::int64_t>(pending_.size()));
  }
  if (!has_head_ || (whole_ && !ended_)) return t;
  if (!head_taken_) {
    head_taken_ = true;
    t.head = true;
    t.status = status_;
    t.content_type = content_type_;
    t.headers = std::move(headers_);
  }
  count_queued(-static_cast<std::int64_t>(pending_.size()));
  t.body = std::move(pending_);
  pending_.clear();
  t.ended = ended_;
  return t;
}

void exchange::client_gone() {
  {
    std::lock_guard lock(mu_);
    gone_ = true;
    count_queued(-static_cast<std::int64_t>(pending_.size()));
    pending_.clear();
  }
  stop_.request_stop();
}

}  // namespace harness_server
