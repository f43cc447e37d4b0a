// The live event stream and the request log file over real loopback HTTP (harness-server
// against the fake upstream), and `harness-cli watch` reading that stream.
#include <catch2/catch.hpp>

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"
#include "json_compare.h"
#include "process.h"

using harness_test::http_get;
using harness_test::http_post;
using harness_test::json_at;
using harness_test::string_at;
using namespace std::chrono_literals;

namespace {

constexpr const char* token = "watch-test-token-5b8f";
const std::string auth = std::string("Authorization: Bearer ") + token;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls `pred` until it holds or `limit` passed.
bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

std::string start_server(const std::string& dir, const std::string& tag,
                         std::unique_ptr<harness_test::child_process>& out, int port = 0) {
  return harness_test::start_listening(
      out, {HARNESS_SERVER_BIN, "--config", dir + "/harness.toml", "--port", std::to_string(port)},
      dir, tag);
}

// One fake upstream and one server for the whole program.
struct fixture {
  std::string dir = harness_test::make_temp_dir("watch");
  std::unique_ptr<harness_test::child_process> upstream, server;
  std::string base;

  fixture() {
    const std::string u = harness_test::start_listening(
        upstream, {HARNESS_FAKE_UPSTREAM_BIN, "--port", "0"}, dir, "upstream");
    std::ofstream cfg(dir + "/harness.toml");
    // A relative request_log: it lands beside the config file.
    cfg << "[server]\nhost = \"127.0.0.1\"\nport = 0\naccess_token_env = \"HARNESS_WATCH_TOKEN\"\n"
           "request_log = \"requests.jsonl\"\n\n"
        << "[providers.fake-openai]\nkind = \"openai\"\nbase_url = \"" << u << "/v1\"\n\n"
        << "[providers.fake-ollama]\nkind = \"ollama\"\nbase_url = \"" << u << "\"\n\n"
        << "[[models]]\nname = \"rescued\"\nprovider = \"fake-openai\"\nmodel = \"qwen32b-text\"\n"
           "rescue = true\n\n"
        << "[[models]]\nname = \"stripped\"\nprovider = \"fake-ollama\"\nmodel = \"chatonly\"\n"
           "strip_tools = true\n";
    cfg.close();
    setenv("HARNESS_WATCH_TOKEN", token, 1);
    base = start_server(dir, "srv", server);
  }
};

fixture& env() {
  static fixture f;
  return f;
}

std::string chat(const std::string& model, bool stream) {
  return R"({"model":")" + model + R"(","stream":)" + (stream ? "true" : "false") +
         R"(,"messages":[{"role":"user","content":"Create hello.txt"}],"tools":[{"type":"function","function":{"name":"write","description":"Write a file","parameters":{"type":"object","properties":{"filePath":{"type":"string"},"content":{"type":"string"}},"required":["filePath","content"]}}}]})";
}

harness_test::http_result ask(const std::string& model, bool stream = false) {
  return http_post(env().base + "/v1/chat/completions", chat(model, stream),
                   {"content-type: application/json", auth});
}

// A client of GET /v1/harness/events that collects the stream in the background.
class event_client {
 public:
  explicit event_client(const std::string& url) : url_(url) {
    thread_ = std::thread([this] { run(); });
  }
  ~event_client() {
    stop_ = true;
    thread_.join();
  }
  event_client(const event_client&) = delete;
  event_client& operator=(const event_client&) = delete;

  std::string body() const {
    std::lock_guard lock(mu_);
    return body_;
  }
  /// The data of every `event: exchange` so far.
  std::vector<std::string> exchanges() const {
    std::vector<std::string> out;
    const std::string b = body();
    const std::string marker = "event: exchange\ndata: ";
    for (auto pos = b.find(marker); pos != std::string::npos; pos = b.find(marker, pos + 1)) {
      const auto start = pos + marker.size();
      const auto end = b.find('\n', start);
      if (end == std::string::npos) break;
      out.push_back(b.substr(start, end - start));
    }
    return out;
  }
  /// The exchange whose model is `model` ("" when none yet).
  std::string exchange_of(const std::string& model) const {
    for (const auto& e : exchanges()) {
      if (string_at(e, "/model") == model) return e;
    }
    return "";
  }

 private:
  static std::size_t on_data(char* data, std::size_t size, std::size_t n, void* user) {
    auto* self = static_cast<event_client*>(user);
    std::lock_guard lock(self->mu_);
    self->body_.append(data, size * n);
    return size * n;
  }
  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<event_client*>(user)->stop_.load() ? 1 : 0;
  }
  void run() {
    CURL* h = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
    curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_perform(h);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
  }

  std::string url_;
  mutable std::mutex mu_;
  std::string body_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// harness-cli with its own stdout and stderr files, and its exit code.
class cli_run {
 public:
  cli_run(std::vector<std::string> args, const std::string& dir, const std::string& tag)
      : out_(dir + "/" + tag + ".out"), err_(dir + "/" + tag + ".err") {
    args.insert(args.begin(), HARNESS_CLI_BIN);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    REQUIRE(rc == 0);
  }
  ~cli_run() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  cli_run(const cli_run&) = delete;
  cli_run& operator=(const cli_run&) = delete;

  std::string out() const { return read_file(out_); }
  std::string err() const { return read_file(err_); }
  void signal(int sig) const { kill(pid_, sig); }
  /// The exit code once it exited by itself within `limit`; -1 when it did not (or crashed).
  int wait_exit(std::chrono::milliseconds limit = 10s) {
    int status = 0;
    const bool done = eventually([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
    if (!done) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string out_, err_;
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("the event stream shows each exchange with what the fixer did", "[watch]") {
  event_client events(env().base + "/v1/harness/events");
  REQUIRE(eventually([&] { return events.body().find("event: hello\ndata: {") == 0; }));
  CHECK(events.body().find("\"version\":\"") != std::string::npos);

  const auto rescued = ask("rescued");
  REQUIRE(rescued.status == 200);
  CHECK(string_at(rescued.body, "/choices/0/message/tool_calls/0/function/name") == "write");
  const auto stripped = ask("stripped", true);
  REQUIRE(stripped.status == 200);
  REQUIRE(eventually([&] {
    return !events.exchange_of("rescued").empty() && !events.exchange_of("stripped").empty();
  }));

  const std::string r = events.exchange_of("rescued");
  CHECK(string_at(r, "/provider") == "fake-openai");
  CHECK(string_at(r, "/upstream_model") == "qwen32b-text");
  CHECK(json_at(r, "/status") == "200");
  CHECK(json_at(r, "/stream") == "false");
  CHECK(json_at(r, "/calls_rescued") == "1");
  CHECK(string_at(r, "/rescue_family") != "<missing>");
  CHECK_FALSE(string_at(r, "/rescue_family").empty());
  CHECK(json_at(r, "/tools_stripped") == "<missing>");

  const std::string s = events.exchange_of("stripped");
  CHECK(string_at(s, "/provider") == "fake-ollama");
  CHECK(json_at(s, "/stream") == "true");
  CHECK(json_at(s, "/status") == "200");
  CHECK(json_at(s, "/tools_stripped") == "true");
  CHECK(json_at(s, "/calls_rescued") == "<missing>");

  // The request log file from the config holds the very same lines.
  const std::string log = read_file(env().dir + "/requests.jsonl");
  CHECK(log.find(r + "\n") != std::string::npos);
  CHECK(log.find(s + "\n") != std::string::npos);
  // Neither the access token nor a body is in the log.
  CHECK(log.find(token) == std::string::npos);
  CHECK(log.find("Create hello.txt") == std::string::npos);
}

TEST_CASE("the event stream needs the proxy's access token", "[watch]") {
  auto none = http_get(env().base + "/v1/harness/events");
  CHECK(none.status == 401);
  auto wrong = http_get(env().base + "/v1/harness/events", {"Authorization: Bearer nope"});
  CHECK(wrong.status == 401);
  CHECK(string_at(wrong.body, "/error/message").find("access token") != std::string::npos);
}

TEST_CASE("harness-cli watch --json prints each exchange and stops after --count", "[watch]") {
  cli_run watch({"watch", "--url", env().base, "--token-env", "HARNESS_WATCH_TOKEN", "--json",
                 "--count", "1"},
                env().dir, "watch-json");
  REQUIRE(eventually([&] { return watch.err().find("watching " + env().base) != std::string::npos; }));
  REQUIRE(ask("rescued", true).status == 200);
  REQUIRE(watch.wait_exit() == 0);
  const std::string out = watch.out();
  REQUIRE(out.find('\n') == out.size() - 1);  // exactly one line
  CHECK(string_at(out, "/model") == "rescued");
  CHECK(json_at(out, "/calls_rescued") == "1");
  CHECK(json_at(out, "/stream") == "true");
  CHECK(watch.err().find("totals:\n  rescued: 1 request: 0 ok, 1 fixed, 0 failed; rescued 1") !=
        std::string::npos);
}

TEST_CASE("harness-cli watch prints plain lines and totals, and exits 0 on Ctrl-C", "[watch]") {
  // The clients' base URL (.../v1) is accepted too; stdout is a file, so no colour.
  cli_run watch({"watch", "--url", env().base + "/v1", "--token-env", "HARNESS_WATCH_TOKEN"},
                env().dir, "watch-plain");
  REQUIRE(eventually([&] { return watch.err().find("watching " + env().base) != std::string::npos; }));
  REQUIRE(ask("stripped").status == 200);
  REQUIRE(eventually([&] { return watch.out().find("stripped -> fake-ollama/chatonly 200 ") != std::string::npos; }));
  watch.signal(SIGINT);
  REQUIRE(watch.wait_exit() == 0);
  const std::string out = watch.out();
  CHECK(out.find("| tools stripped") != std::string::npos);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("totals:\n  stripped: 1 request: 0 ok, 1 fixed, 0 failed") != std::string::npos);
}

TEST_CASE("harness-cli watch reports a refused token and exits 1", "[watch]") {
  setenv("HARNESS_WATCH_WRONG", "not-the-token", 1);
  cli_run watch({"watch", "--url", env().base, "--token-env", "HARNESS_WATCH_WRONG"}, env().dir,
                "watch-denied");
  CHECK(watch.wait_exit() == 1);
  CHECK(watch.err().find("refused the access token (HTTP 401)") != std::string::npos);
  CHECK(watch.err().find("not-the-token") == std::string::npos);
}

TEST_CASE("harness-cli watch reconnects when the server restarts", "[watch]") {
  // Its own server, restarted on the same port.
  std::unique_ptr<harness_test::child_process> first;
  const std::string url = start_server(env().dir, "restart1", first);
  cli_run watch({"watch", "--url", url, "--token-env", "HARNESS_WATCH_TOKEN", "--json"}, env().dir,
                "watch-restart");
  REQUIRE(eventually([&] { return watch.err().find("watching " + url) != std::string::npos; }));
  first->stop();  // ends the stream cleanly
  REQUIRE(eventually([&] { return watch.err().find("lost") != std::string::npos; }));
  CHECK(watch.err().find("reconnecting") != std::string::npos);
  std::unique_ptr<harness_test::child_process> second;
  const int port = std::stoi(url.substr(url.rfind(':') + 1));
  CHECK(start_server(env().dir, "restart2", second, port) == url);
  REQUIRE(eventually([&] {
    const std::string err = watch.err();
    return err.find("watching " + url, err.find("lost")) != std::string::npos;
  }));
  REQUIRE(http_post(url + "/v1/chat/completions", chat("rescued", false),
                    {"content-type: application/json", auth})
              .status == 200);
  REQUIRE(eventually([&] { return watch.out().find("\"model\":\"rescued\"") != std::string::npos; }));
  watch.signal(SIGTERM);
  CHECK(watch.wait_exit() == 0);
}
