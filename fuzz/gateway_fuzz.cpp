// libFuzzer target: the whole gateway, client bytes in -> client bytes out, against an in-memory
// transport that plays canned upstream answers taken from the input (statuses, bodies, streams
// in any chunking, transport failures before or after the head, a client that goes away).
//
// Input: byte 0 client dialect, byte 1 upstream dialect, byte 2 client behaviour (bit 0: goes
// away after (byte >> 1) * 16 body bytes), then sections separated by "\n%%\n": the client body,
// then one upstream answer per attempt (retries and fallbacks take the next one): a status byte,
// a chunk-size byte, the body. A missing answer is a connection failure.
//
// Invariants checked: the client sink sees on_head once, then bodies, then on_end once (on_end
// alone only after the client left); errors are JSON; a completed stream ends with the
// dialect's end or error event; a JSON 200 decodes in the client's dialect; every upstream
// request goes to the configured URL with header values free of CR/LF/NUL.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <harness/codec.h>
#include <harness/config.h>
#include <harness/gateway.h>
#include <harness/stream.h>

namespace {

using namespace harness;

constexpr std::string_view kSeparator = "\n%%\n";
constexpr const char* kBaseUrl = "http://upstream.test:1";

struct canned {
  int status = 0;  // 0: the connection fails before any head
  bool fail_after_body = false;
  std::size_t chunk = 1;
  std::string body;
};

// Plays the canned answers in order, synchronously inside start().
class script_transport final : public transport {
 public:
  void load(std::deque<canned> script) {
    std::lock_guard lock(mu_);
    script_ = std::move(script);
  }
  void wait_idle() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [this] { return running_ == 0; })) {
      __builtin_trap();  // a transfer that never ends
    }
  }

  void start(http_request request, std::shared_ptr<response_sink> sink,
             std::stop_token stop) override {
    if (request.url.rfind(kBaseUrl, 0) != 0) __builtin_trap();  // only the configured host
    for (const auto& [name, value] : request.headers) {
      if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) __builtin_trap();
      if (name.empty()) __builtin_trap();
    }
    canned c;
    {
      std::lock_guard lock(mu_);
      ++running_;
      if (!script_.empty()) {
        c = std::move(script_.front());
        script_.pop_front();
      }
    }
    play(c, *sink, stop);
    std::lock_guard lock(mu_);
    --running_;
    cv_.notify_all();
  }

 private:
  static void play(const canned& c, response_sink& sink, const std::stop_token& stop) {
    if (c.status == 0) {
      sink.on_complete(make_error(errc::upstream_transport, "could not connect to upstream"));
      return;
    }
    sink.on_head(c.status, {{"content-type", "application/json"}, {"retry-after", "0"}});
    for (std::size_t i = 0; i < c.body.size(); i += c.chunk) {
      if (stop.stop_requested() ||
          !sink.on_body(std::string_view(c.body).substr(i, c.chunk))) {
        sink.on_complete(make_error(errc::canceled, "transfer canceled"));
        return;
      }
    }
    if (c.fail_after_body) {
      sink.on_complete(make_error(errc::upstream_transport, "upstream closed the connection"));
    } else {
      sink.on_complete({});
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<canned> script_;
  int running_ = 0;
};

class checking_sink final : public client_sink {
 public:
  checking_sink(std::stop_source stop, bool leaves, std::size_t leave_after)
      : stop_(std::move(stop)), leaves_(leaves), leave_after_(leave_after) {}

  void on_head(int status, std::string_view content_type, const header_list&) override {
    std::lock_guard lock(mu_);
    if (heads_++ != 0 || ended_) __builtin_trap();
    if (status < 200 || status > 599) __builtin_trap();
    status_ = status;
    type_.assign(content_type);
    if (leaves_ && leave_after_ == 0) stop_.request_stop();
  }
  bool on_body(std::string_view bytes) override {
    std::lock_guard lock(mu_);
    if (heads_ != 1 || ended_) __builtin_trap();
    body_.append(bytes);
    if (leaves_ && body_.size() >= leave_after_) {
      stop_.request_stop();
      return false;
    }
    return true;
  }
  void on_end() override {
    std::lock_guard lock(mu_);
    if (ended_) __builtin_trap();
    if (heads_ == 0 && !stop_.stop_requested()) __builtin_trap();
    ended_ = true;
    cv_.notify_all();
  }

  void wait_end() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [this] { return ended_; })) {
      __builtin_trap();  // the client never got an end: a hang
    }
  }

  void check(dialect client) {
    std::lock_guard lock(mu_);
    if (stop_.stop_requested() || heads_ == 0) return;  // the client left: nothing to check
    if (status_ != 200) {
      if (type_ != "application/json" || body_.empty() || body_.front() != '{') __builtin_trap();
      return;
    }
    if (type_ == "application/json") {
      if (!decode_response(client, body_)) __builtin_trap();
      return;
    }
    // A stream: its last event, read back in the client's dialect, is the end or an error.
    auto decoder = make_stream_decoder(client);
    std::vector<stream_event> events;
    decoder->feed(body_, events);
    if (events.empty()) __builtin_trap();
    const auto last = events.back().type;
    if (last != stream_event::kind::message_stop && last != stream_event::kind::error) {
      __builtin_trap();
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::stop_source stop_;
  bool leaves_;
  std::size_t leave_after_;
  int heads_ = 0;
  bool ended_ = false;
  int status_ = 0;
  std::string type_;
  std::string body_;
};

// One config per upstream dialect: every policy, a fallback chain, a default route.
std::shared_ptr<const config> make_config(dialect upstream) {
  auto cfg = std::make_shared<config>();
  cfg->server.retries = 1;
  cfg->server.retry_backoff_ms = 0;
  provider_config p;
  p.name = "up";
  p.kind = upstream;
  p.base_url = kBaseUrl;
  p.api_key_env = "KEY";
  p.api_key = "fz-key";
  cfg->providers.push_back(p);
  auto route = [&](const char* name, const char* model) -> model_route& {
    model_route r;
    r.name = name;
    r.provider = "up";
    r.model = model;
    cfg->models.push_back(r);
    return cfg->models.back();
  };
  route("plain", "m");
  route("pass/*", "");
  route("rescue*", "m").policy.rescue = true;
  route("strip*", "m").policy.strip_tools = true;
  route("emulate*", "m").policy.emulate_tools = true;
  auto& limited = route("limits*", "m");
  limited.policy.max_tokens = 7;
  limited.policy.num_ctx = 2048;
  limited.policy.fallbacks = {"plain", "rescue-fb"};
  cfg->default_model = "plain";
  return cfg;
}

struct fixture {
  std::shared_ptr<script_transport> transports[3];
  std::unique_ptr<gateway> gateways[3];
  fixture() {
    const dialect kinds[3] = {dialect::openai, dialect::anthropic, dialect::ollama};
    for (int i = 0; i < 3; ++i) {
      transports[i] = std::make_shared<script_transport>();
      gateways[i] = std::make_unique<gateway>(make_config(kinds[i]), transports[i]);
    }
  }
};

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = s.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(s.substr(0, at));
    s.remove_prefix(at + kSeparator.size());
  }
  parts.push_back(s);
  return parts;
}

constexpr int kStatuses[] = {200, 200, 200, 200, 400, 401, 403, 404, 408, 413,
                             429, 500, 502, 503, 504, 529};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture f;
  if (size < 3) return 0;
  const dialect clients[4] = {dialect::openai, dialect::anthropic, dialect::ollama,
                              dialect::responses};
  const dialect client = clients[data[0] % 4];
  const int up = data[1] % 3;
  const bool leaves = (data[2] & 1) != 0;
  const std::size_t leave_after = static_cast<std::size_t>(data[2] >> 1) * 16;
  const auto parts = split(std::string_view(reinterpret_cast<const char*>(data) + 3, size - 3));

  std::deque<canned> script;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string_view p = parts[i];
    canned c;
    const std::uint8_t a = p.size() > 0 ? static_cast<std::uint8_t>(p[0]) : 0;
    const std::uint8_t b = p.size() > 1 ? static_cast<std::uint8_t>(p[1]) : 0;
    c.status = (a & 0xC0) == 0xC0 ? 0 : kStatuses[a & 0x0F];
    c.fail_after_body = (a & 0xC0) == 0x40;
    c.chunk = 1 + b;
    if (p.size() > 2) c.body.assign(p.substr(2));
    script.push_back(std::move(c));
  }
  f.transports[up]->load(std::move(script));

  std::stop_source stop;
  auto sink = std::make_shared<checking_sink>(stop, leaves, leave_after);
  f.gateways[up]->handle(client, std::string(parts[0]), sink, stop.get_token());
  sink->wait_end();
  f.transports[up]->wait_idle();
  sink->check(client);
  return 0;
}
