// harness-cli watch: a live view of the exchanges a running harness-server handles, read from
// its event stream (GET /v1/harness/events, SSE). One line per exchange, totals per model at
// the end; plain text (no curses), so it works in any terminal and over SSH.
#include <CLI/CLI.hpp>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <harness/curl_transport.h>
#include <harness/sse.h>
#include <harness/transport.h>

#include "commands.h"
#include "json_doc.h"
#include "watch_format.h"

namespace harness_cli {
namespace {

using namespace std::chrono_literals;

struct watch_options {
  std::string url = "http://127.0.0.1:8081";
  std::string token_env;
  bool no_color = false;
  bool json = false;
  int count = 0;         // exit after this many exchanges; 0: run until Ctrl-C
  int totals_every = 0;  // print totals every N exchanges; 0: only at the end
};

/// One connection to the event stream: the transport's thread feeds it, the main thread takes
/// what arrived.
class event_stream : public harness::response_sink {
 public:
  struct step {
    std::vector<harness::sse_message> messages;
    int status = 0;
    bool done = false;
    std::string error;  // transport failure, or the body of a non-200 answer
  };

  void on_head(int status, const harness::header_list&) override {
    std::lock_guard lock(mu_);
    status_ = status;
  }
  bool on_body(std::string_view bytes) override {
    {
      std::lock_guard lock(mu_);
      if (status_ == 200) {
        for (auto& m : reader_.feed(bytes)) messages_.push_back(std::move(m));
        if (!reader_.ok()) {
          error_ = reader_.error().message;
          return false;  // ends the transfer; on_complete marks the stream done
        }
      } else if (error_.size() < 2048) {
        error_.append(bytes.substr(0, 2048 - error_.size()));
      }
    }
    cv_.notify_all();
    return true;
  }
  void on_complete(harness::result<void> outcome) override {
    {
      std::lock_guard lock(mu_);
      done_ = true;
      if (!outcome && error_.empty()) error_ = outcome.error_value().message;
    }
    cv_.notify_all();
  }
  /// What arrived since the last call; waits at most `tick` for something.
  step take(std::chrono::milliseconds tick) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, tick, [this] { return !messages_.empty() || done_; });
    step s;
    s.messages.swap(messages_);
    s.status = status_;
    s.done = done_;
    if (done_) s.error = error_;
    return s;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  harness::sse_parser reader_;
  std::vector<harness::sse_message> messages_;
  int status_ = 0;
  bool done_ = false;
  std::string error_;
};

// Ctrl-C (SIGINT) and SIGTERM end the watch cleanly: a thread waits for them, the main loop
// polls the flag.
class interrupt_watch {
 public:
  interrupt_watch() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    // Blocked before any other thread starts (the transport's), so only sigtimedwait sees them.
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this] {
      const timespec tick{0, 100 * 1000 * 1000};
      while (!finished_.load()) {
        if (sigtimedwait(&set_, nullptr, &tick) > 0) interrupted_ = true;
      }
    });
  }
  ~interrupt_watch() {
    finished_ = true;
    thread_.join();
    pthread_sigmask(SIG_UNBLOCK, &set_, nullptr);
  }
  interrupt_watch(const interrupt_watch&) = delete;
  interrupt_watch& operator=(const interrupt_watch&) = delete;
  bool interrupted() const { return interrupted_.load(); }

 private:
  sigset_t set_;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

std::string base_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  // The clients' base URL (".../v1") works too.
  if (url.size() >= 3 && url.compare(url.size() - 3, 3, "/v1") == 0) url.resize(url.size() - 3);
  return url;
}

std::string hello_version(const std::string& data) {
  rapidjson::Document doc;
  if (doc.Parse(data.data(), data.size()).HasParseError() || !doc.IsObject()) return "";
  auto it = doc.FindMember("version");
  return it != doc.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

bool print_out(const std::string& text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
}

class watcher {
 public:
  watcher(const watch_options& o, watch_style style) : o_(o), style_(style) {}

  /// Handles one SSE message; false when the watch should end (count reached, stdout closed).
  bool handle(const harness::sse_message& m, const std::string& url) {
    if (m.event == "hello") {
      const std::string version = hello_version(m.data);
      std::fprintf(stderr, "watching %s (harness-server %s); Ctrl-C to stop\n", url.c_str(),
                   version.empty() ? "?" : version.c_str());
      return true;
    }
    if (m.event == "dropped") {
      std::fprintf(stderr, "(some exchanges were not shown: this watcher read too slowly: %s)\n",
                   m.data.c_str());
      return true;
    }
    if (m.event != "exchange") return true;
    auto x = parse_exchange(m.data);
    if (!x) return true;
    totals_.add(*x);
    ++seen_;
    const std::string line = o_.json ? m.data + "\n" : format_exchange(*x, style_) + "\n";
    if (!print_out(line)) return false;
    if (o_.totals_every > 0 && seen_ % o_.totals_every == 0) print_totals();
    return o_.count == 0 || seen_ < o_.count;
  }

  void print_totals() const {
    if (totals_.empty()) return;
    const std::string block = "totals:\n" + totals_.format(o_.json ? watch_style{} : style_);
    // With --json, stdout stays pure JSON lines.
    if (o_.json) {
      std::fputs(block.c_str(), stderr);
    } else {
      print_out(block);
    }
  }

 private:
  const watch_options& o_;
  watch_style style_;
  watch_totals totals_;
  int seen_ = 0;
};

int run_watch(const watch_options& o) {
  const std::string url = base_url(o.url);
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    std::fprintf(stderr, "harness-cli watch: --url must start with http:// or https://\n");
    return exit_bad_input;
  }
  harness::http_request request;
  request.method = "GET";
  request.url = url + "/v1/harness/events";
  request.headers.emplace_back("Accept", "text/event-stream");
  if (!o.token_env.empty()) {
    const char* token = std::getenv(o.token_env.c_str());
    if (token == nullptr || *token == '\0') {
      std::fprintf(stderr, "harness-cli watch: %s is not set or empty\n", o.token_env.c_str());
      return exit_bad_input;
    }
    request.headers.emplace_back("Authorization", std::string("Bearer ") + token);
  }
  request.connect_timeout = 3s;
  request.first_byte_timeout = 10s;
  request.idle_timeout = 40s;  // the server sends a ping every 15 s
  request.total_timeout = 0ms;

  std::signal(SIGPIPE, SIG_IGN);
  interrupt_watch interrupt;
  harness::curl_global_guard curl;
  std::shared_ptr<harness::transport> transport = harness::make_curl_transport();
  if (!curl.ok() || transport == nullptr) {
    std::fprintf(stderr, "harness-cli watch: cannot start libcurl\n");
    return exit_failure;
  }
  watcher w(o, want_color(o.no_color, isatty(STDOUT_FILENO) != 0, std::getenv("NO_COLOR"))
                   ? watch_style{true, false}
                   : watch_style{false, false});
  bool told_waiting = false;
  for (;;) {
    auto stream = std::make_shared<event_stream>();
    std::stop_source cancel;
    transport->start(request, stream, cancel.get_token());
    bool connected = false, keep_going = true;
    event_stream::step s;
    while (keep_going) {
      s = stream->take(200ms);
      for (const auto& m : s.messages) {
        if (m.event == "hello") connected = true;
        if (!w.handle(m, url)) keep_going = false;
      }
      if (interrupt.interrupted()) keep_going = false;
      if (s.done) break;
    }
    if (!keep_going) {
      cancel.request_stop();
      break;
    }
    if (s.status == 401 || s.status == 403) {
      std::fprintf(stderr, "harness-cli watch: %s refused the access token (HTTP %d); pass "
                           "--token-env VAR naming the variable that holds it\n",
                   url.c_str(), s.status);
      return exit_failure;
    }
    if (s.status == 404) {
      std::fprintf(stderr, "harness-cli watch: %s has no event stream (GET /v1/harness/events "
                           "answered 404): is it a harness-server of this version?\n",
                   url.c_str());
      return exit_failure;
    }
    const std::string why = s.status != 0 && s.status != 200
                                ? "HTTP " + std::to_string(s.status)
                                : (s.error.empty() ? std::string("stream ended") : s.error);
    if (connected) {
      std::fprintf(stderr, "connection to %s lost (%s); reconnecting...\n", url.c_str(), why.c_str());
      told_waiting = true;
    } else if (!told_waiting) {
      std::fprintf(stderr, "waiting for harness-server at %s (%s)...\n", url.c_str(), why.c_str());
      told_waiting = true;
    }
    // Retry once a second until the server is back or the user gives up.
    for (int i = 0; i < 10 && !interrupt.interrupted(); ++i) std::this_thread::sleep_for(100ms);
    if (interrupt.interrupted()) break;
  }
  w.print_totals();
  return exit_ok;
}

}  // namespace

void register_watch(CLI::App& app, command_action& action) {
  auto o = std::make_shared<watch_options>();
  auto* cmd = app.add_subcommand(
      "watch", "Show the exchanges a running harness-server handles, live: one line each with "
               "what the tool fixer did; totals per model at Ctrl-C");
  cmd->add_option("--url", o->url, "The server (its clients' base URL works too)")
      ->capture_default_str();
  cmd->add_option("--token-env", o->token_env,
                  "Variable holding the server's access token (when it has one)");
  cmd->add_flag("--no-color", o->no_color, "No ANSI colours (also off when NO_COLOR is set or "
                                           "stdout is not a terminal)");
  cmd->add_flag("--json", o->json, "Print each exchange as its raw JSON line (the request log "
                                   "format)");
  cmd->add_option("--count", o->count, "Exit after this many exchanges (0: until Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--totals-every", o->totals_every,
                  "Also print the totals every N exchanges (0: only at the end)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([o, &action] { action = [o] { return run_watch(*o); }; });
}

}  // namespace harness_cli
