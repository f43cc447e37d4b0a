#include "gateway/recording_tap.h"

#include <algorithm>

#include "core/ascii.h"

namespace harness::detail {
namespace {

constexpr std::string_view redacted = "[redacted]";

void replace_all(std::string& text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    std::size_t at = 0;
    while ((at = text.find(secret, at)) != std::string::npos) {
      text.replace(at, secret.size(), redacted);
      at += redacted.size();
    }
  }
}

// Headers whose values are credentials: never recorded, whatever they hold.
bool credential_header(std::string_view name) {
  static constexpr std::string_view names[] = {"authorization", "x-api-key", "api-key",
                                               "cookie", "set-cookie", "proxy-authorization"};
  return std::any_of(std::begin(names), std::end(names),
                     [name](std::string_view n) { return ascii_iequals(n, name); });
}

header_list clean_headers(const header_list& headers, const std::vector<std::string>& secrets) {
  header_list out;
  for (const auto& [name, value] : headers) {
    if (credential_header(name)) continue;
    std::string v = value;
    replace_all(v, secrets);
    out.emplace_back(name, std::move(v));
  }
  return out;
}

// Tees an upstream response into the recording.
class upstream_tee final : public response_sink {
 public:
  upstream_tee(std::shared_ptr<recording_tap> tap, std::shared_ptr<response_sink> target)
      : tap_(std::move(tap)), target_(std::move(target)) {}
  void on_head(int status, const header_list& headers) override {
    tap_->head(recorded_part::upstream_response, status, headers);
    target_->on_head(status, headers);
  }
  bool on_body(std::string_view bytes) override {
    tap_->body(recorded_part::upstream_response, bytes);
    return target_->on_body(bytes);
  }
  bool ready_for_body() override { return target_->ready_for_body(); }
  void on_complete(result<void> outcome) override {
    tap_->end(recorded_part::upstream_response);
    target_->on_complete(std::move(outcome));
  }

 private:
  std::shared_ptr<recording_tap> tap_;
  std::shared_ptr<response_sink> target_;
};

// Tees the client's answer into the recording.
class client_tee final : public client_sink {
 public:
  client_tee(std::shared_ptr<recording_tap> tap, std::shared_ptr<client_sink> target)
      : tap_(std::move(tap)), target_(std::move(target)) {}
  void on_head(int status, std::string_view content_type, const header_list& headers) override {
    header_list all;
    all.emplace_back("content-type", std::string(content_type));
    all.insert(all.end(), headers.begin(), headers.end());
    tap_->head(recorded_part::client_response, status, all);
    target_->on_head(status, content_type, headers);
  }
  bool on_body(std::string_view bytes) override {
    tap_->body(recorded_part::client_response, bytes);
    return target_->on_body(bytes);
  }
  bool ready_for_body() override { return target_->ready_for_body(); }
  void on_end() override {
    tap_->end(recorded_part::client_response);
    target_->on_end();
  }

 private:
  std::shared_ptr<recording_tap> tap_;
  std::shared_ptr<client_sink> target_;
};

}  // namespace

secret_scrubber::secret_scrubber(const std::vector<std::string>& secrets) : secrets_(secrets) {
  for (const auto& s : secrets_) hold_ = std::max(hold_, s.size() - 1);
}

void secret_scrubber::feed(std::string_view bytes, std::string& out) {
  pending_.append(bytes);
  replace_all(pending_, secrets_);
  // A secret starting before the held-back tail is whole in `pending_`, so already replaced.
  if (pending_.size() <= hold_) return;
  const std::size_t emit = pending_.size() - hold_;
  out.append(pending_, 0, emit);
  pending_.erase(0, emit);
}

void secret_scrubber::flush(std::string& out) {
  replace_all(pending_, secrets_);
  out += pending_;
  pending_.clear();
}

std::vector<std::string> config_secrets(const config& cfg) {
  std::vector<std::string> out;
  for (const auto& p : cfg.providers) {
    if (!p.api_key.empty()) out.push_back(p.api_key);
  }
  if (!cfg.server.access_token.empty()) out.push_back(cfg.server.access_token);
  // Longest first: a key containing another is replaced whole.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

recording_tap::recording_tap(std::shared_ptr<exchange_recording> recording,
                             std::vector<std::string> secrets)
    : recording_(std::move(recording)), secrets_(std::move(secrets)) {}

secret_scrubber& recording_tap::scrubber(recorded_part part) {
  return part == recorded_part::client_response ? client_scrubber_ : upstream_scrubber_;
}

void recording_tap::client_request(std::string_view body) {
  std::lock_guard lock(mu_);
  std::string text(body);
  replace_all(text, secrets_);
  recording_->body(recorded_part::client_request, text);
}

std::shared_ptr<response_sink> recording_tap::upstream_attempt(
    recorded_attempt attempt, const http_request& request, std::shared_ptr<response_sink> target) {
  {
    std::lock_guard lock(mu_);
    // The path only: a base URL may carry user info or a key in its query.
    std::string_view url = request.url;
    if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
      url.remove_prefix(scheme + 3);
      const auto slash = url.find('/');
      url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
    }
    url = url.substr(0, url.find_first_of("?#"));
    attempt.url_path = std::string(url);
    replace_all(attempt.url_path, secrets_);
    recording_->attempt(attempt);
    std::string text = request.body;
    replace_all(text, secrets_);
    recording_->body(recorded_part::upstream_request, text);
  }
  return std::make_shared<upstream_tee>(shared_from_this(), std::move(target));
}

std::shared_ptr<client_sink> recording_tap::client(std::shared_ptr<client_sink> target) {
  return std::make_shared<client_tee>(shared_from_this(), std::move(target));
}

void recording_tap::head(recorded_part part, int status, const header_list& headers) {
  std::lock_guard lock(mu_);
  recording_->head(part, status, clean_headers(headers, secrets_));
}

void recording_tap::body(recorded_part part, std::string_view bytes) {
  std::lock_guard lock(mu_);
  scratch_.clear();
  scrubber(part).feed(bytes, scratch_);
  if (!scratch_.empty()) recording_->body(part, scratch_);
}

void recording_tap::end(recorded_part part) {
  std::lock_guard lock(mu_);
  scratch_.clear();
  scrubber(part).flush(scratch_);
  if (!scratch_.empty()) recording_->body(part, scratch_);
}

void recording_tap::finish(const exchange_record& record) {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  recording_->finish(record);
}

}  // namespace harness::detail
