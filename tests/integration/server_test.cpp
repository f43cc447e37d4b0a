// harness-server over real loopback HTTP against the scripted fake upstream (simulated models),
// for every upstream dialect, with faults, limits and secrets.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <thread>

#include "http_client.h"
#include "json_compare.h"
#include "process.h"

using harness_test::http_get;
using harness_test::http_post;
using harness_test::json_at;
using harness_test::string_at;

namespace {

constexpr const char* secret = "sk-test-SECRET-value-1234567890";

// Both processes, started once for the whole test program.
struct fixture {
  std::string dir = harness_test::make_temp_dir("it");
  std::unique_ptr<harness_test::child_process> upstream;
  std::unique_ptr<harness_test::child_process> server;
  std::string base;  // http://127.0.0.1:PORT

  fixture() {
    const std::string u = harness_test::start_listening(
        upstream, {HARNESS_FAKE_UPSTREAM_BIN, "--port", "0"}, dir, "upstream");
    std::ofstream cfg(dir + "/harness.toml");
    cfg << "[server]\nhost = \"127.0.0.1\"\nport = 0\nretries = 1\nretry_backoff_ms = 50\n"
           "max_body_bytes = 1048576\nfirst_byte_timeout_ms = 2000\nidle_timeout_ms = 2000\n\n"
        << "[providers.fake-openai]\nkind = \"openai\"\nbase_url = \"" << u << "/v1\"\n"
        << "api_key_env = \"HARNESS_TEST_SECRET\"\n\n"
        << "[providers.fake-anthropic]\nkind = \"anthropic\"\nbase_url = \"" << u << "\"\n"
        << "api_key_env = \"HARNESS_TEST_SECRET\"\n\n"
        << "[providers.fake-ollama]\nkind = \"ollama\"\nbase_url = \"" << u << "\"\n\n"
        << "[providers.dead]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\n\n";
    for (const char* d : {"openai", "anthropic", "ollama"}) {
      // The Ollama prefix route stays "native" so raw answers can be compared (an Ollama
      // route without a policy is "auto": see auto_policy_test).
      cfg << "[[models]]\nname = \"" << d << "/*\"\nprovider = \"fake-" << d << "\"\n"
          << (std::string(d) == "ollama" ? "policy = \"native\"\n" : "") << "\n";
      cfg << "[[models]]\nname = \"rescued-" << d << "\"\nprovider = \"fake-" << d
          << "\"\nmodel = \"qwen32b-text\"\nrescue = true\n\n";
      cfg << "[[models]]\nname = \"guarded-" << d << "/*\"\nprovider = \"fake-" << d
          << "\"\nrescue = true\n\n";
    }
    cfg << "[[models]]\nname = \"stripped\"\nprovider = \"fake-ollama\"\nmodel = \"chatonly\"\n"
           "strip_tools = true\n\n"
        << "[[models]]\nname = \"emulated\"\nprovider = \"fake-ollama\"\nmodel = \"chatonly\"\n"
           "emulate_tools = true\n\n"
        << "[[models]]\nname = \"with-fallback\"\nprovider = \"dead\"\nmodel = \"x\"\n"
           "fallbacks = [\"openai/frontier\"]\n";
    cfg.close();
    setenv("HARNESS_TEST_SECRET", secret, 1);
    base = harness_test::start_listening(
        server, {HARNESS_SERVER_BIN, "--config", dir + "/harness.toml"}, dir, "server");
  }
};

fixture& env() {
  static fixture f;
  return f;
}

const char* tools_json =
    R"([{"type":"function","function":{"name":"write","description":"Write a file","parameters":{"type":"object","properties":{"filePath":{"type":"string"},"content":{"type":"string"}},"required":["filePath","content"]}}}])";

std::string chat(const std::string& model, bool stream, const std::string& extra_messages = "") {
  return std::string(R"({"model":")") + model + R"(","stream":)" + (stream ? "true" : "false") +
         R"(,"messages":[{"role":"user","content":"Create hello.txt"})" + extra_messages +
         R"(],"tools":)" + tools_json + "}";
}

// A plain chat turn (no tools): faults are injected into a streamed text answer.
std::string chat_plain(const std::string& model, bool stream) {
  return std::string(R"({"model":")") + model + R"(","stream":)" + (stream ? "true" : "false") +
         R"(,"messages":[{"role":"user","content":"Tell me a story"}]})";
}

// The data payloads of an SSE body.
std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = body.find("data: ", pos)) != std::string::npos) {
    auto end = body.find('\n', pos);
    out.push_back(body.substr(pos + 6, end - pos - 6));
    pos = end;
  }
  return out;
}

// Name and concatenated arguments of the first streamed tool call, plus the finish reason.
struct streamed_call {
  std::string id, name, args, finish, error;
};
streamed_call collect(const std::string& body) {
  streamed_call c;
  for (const auto& d : sse_data(body)) {
    if (d == "[DONE]") continue;
    if (json_at(d, "/error") != "<missing>") c.error = string_at(d, "/error/message");
    const std::string p = "/choices/0/delta/tool_calls/0";
    if (json_at(d, p + "/id") != "<missing>") c.id = string_at(d, p + "/id");
    if (json_at(d, p + "/function/name") != "<missing>") c.name = string_at(d, p + "/function/name");
    if (json_at(d, p + "/function/arguments") != "<missing>") c.args += string_at(d, p + "/function/arguments");
    const std::string f = json_at(d, "/choices/0/finish_reason");
    if (f != "null" && f != "<missing>") c.finish = string_at(d, "/choices/0/finish_reason");
  }
  return c;
}

}  // namespace

TEST_CASE("OpenAI clients get real tool calls from every upstream dialect", "[integration]") {
  for (const char* d : {"openai", "anthropic", "ollama"}) {
    const std::string model = std::string(d) + "/frontier";
    INFO(model);
    auto r = http_post(env().base + "/v1/chat/completions", chat(model, false));
    REQUIRE(r.status == 200);
    CHECK(string_at(r.body, "/model") == model);
    CHECK(string_at(r.body, "/choices/0/finish_reason") == "tool_calls");
    CHECK(string_at(r.body, "/choices/0/message/tool_calls/0/function/name") == "write");
    const std::string id = string_at(r.body, "/choices/0/message/tool_calls/0/id");
    CHECK_FALSE(id.empty());
    CHECK(json_at(string_at(r.body, "/choices/0/message/tool_calls/0/function/arguments"), "/filePath") != "<missing>");

    auto s = http_post(env().base + "/v1/chat/completions", chat(model, true));
    REQUIRE(s.status == 200);
    CHECK(s.header("content-type").find("text/event-stream") == 0);
    const auto c = collect(s.body);
    CHECK(c.name == "write");
    CHECK(c.finish == "tool_calls");
    CHECK(json_at(c.args, "/content") != "<missing>");
    CHECK(sse_data(s.body).back() == "[DONE]");

    // The second turn sends the result back under the call's id: the model finishes in text.
    const std::string turn2 =
        R"(,{"role":"assistant","content":null,"tool_calls":[{"id":")" + id +
        R"(","type":"function","function":{"name":"write","arguments":"{\"filePath\":\"hello.txt\",\"content\":\"hi\"}"}}]},{"role":"tool","tool_call_id":")" +
        id + R"(","content":"wrote hello.txt"})";
    auto r2 = http_post(env().base + "/v1/chat/completions", chat(model, false, turn2));
    REQUIRE(r2.status == 200);
    CHECK(string_at(r2.body, "/choices/0/finish_reason") == "stop");
    CHECK_FALSE(string_at(r2.body, "/choices/0/message/content").empty());
  }
}

TEST_CASE("Anthropic clients get tool_use blocks from every upstream dialect", "[integration]") {
  for (const char* d : {"openai", "anthropic", "ollama"}) {
    const std::string model = std::string(d) + "/frontier";
    INFO(model);
    const std::string body = R"({"model":")" + model +
        R"(","max_tokens":1024,"messages":[{"role":"user","content":"Create hello.txt"}],"tools":[{"name":"write","description":"Write a file","input_schema":{"type":"object","properties":{"filePath":{"type":"string"},"content":{"type":"string"}}}}]})";
    auto r = http_post(env().base + "/v1/messages", body, {"content-type: application/json", "anthropic-version: 2023-06-01"});
    REQUIRE(r.status == 200);
    CHECK(string_at(r.body, "/type") == "message");
    CHECK(string_at(r.body, "/stop_reason") == "tool_use");
    const std::string last = json_at(r.body, "/content");
    CHECK(last.find("\"type\":\"tool_use\"") != std::string::npos);

    std::string streaming = body;
    streaming.insert(1, R"("stream":true,)");
    auto s = http_post(env().base + "/v1/messages", streaming);
    REQUIRE(s.status == 200);
    CHECK(s.body.find("event: message_start") == 0);
    CHECK(s.body.find("\"stop_reason\":\"tool_use\"") != std::string::npos);
    CHECK(s.body.find("event: message_stop") != std::string::npos);
  }
  // count_tokens is answered locally, tools included.
  const std::string count_body =
      R"({"model":"ollama/frontier","messages":[{"role":"user","content":"Create hello.txt please"}],"tools":[{"name":"write","input_schema":{"type":"object"}}]})";
  auto counted = http_post(env().base + "/v1/messages/count_tokens", count_body);
  REQUIRE(counted.status == 200);
  CHECK(std::stoi(json_at(counted.body, "/input_tokens")) > 5);
  auto root = harness_test::http_request("HEAD", env().base + "/", "", {});
  CHECK(root.status == 200);
}

TEST_CASE("bad input gets a clear error in the client's dialect", "[integration]") {
  auto bad = http_post(env().base + "/v1/chat/completions", "{\"model\":");
  CHECK(bad.status == 400);
  CHECK(json_at(bad.body, "/error/message") != "<missing>");
  auto bad_anth = http_post(env().base + "/v1/messages", "{\"model\": 5}");
  CHECK(bad_anth.status == 400);
  CHECK(string_at(bad_anth.body, "/type") == "error");
  CHECK(string_at(bad_anth.body, "/error/type") == "invalid_request_error");
  auto unknown = http_post(env().base + "/v1/chat/completions", chat("no-such-model", false));
  CHECK(unknown.status == 404);
  CHECK(string_at(unknown.body, "/error/message").find("rescued-openai") != std::string::npos);
  auto huge = http_post(env().base + "/v1/chat/completions", std::string(2 * 1024 * 1024, 'x'));
  CHECK(huge.status == 413);
  CHECK(json_at(huge.body, "/error/message") != "<missing>");
  // The next valid request still works.
  CHECK(http_post(env().base + "/v1/chat/completions", chat("openai/frontier", false)).status == 200);
}

TEST_CASE("upstream failures become errors with the right status, never a hang", "[integration]") {
  auto e500 = http_post(env().base + "/v1/chat/completions", chat("openai/fault-500", false));
  CHECK(e500.status >= 500);
  CHECK(json_at(e500.body, "/error/message") != "<missing>");
  auto e429 = http_post(env().base + "/v1/chat/completions", chat("anthropic/fault-429", false));
  CHECK(e429.status == 429);
  CHECK_FALSE(e429.header("retry-after").empty());
  auto refused = http_post(env().base + "/v1/chat/completions", chat("dead-route-check", false));
  CHECK(refused.status == 404);
  for (const char* m : {"openai/fault-reset", "anthropic/fault-reset", "openai/fault-garbage",
                        "anthropic/fault-error-event", "ollama/fault-error-event"}) {
    INFO(m);
    auto s = http_post(env().base + "/v1/chat/completions", chat_plain(m, true));
    CHECK(s.status == 200);
    CHECK_FALSE(collect(s.body).error.empty());  // the stream ends with an error event
  }
  auto slow = http_post(env().base + "/v1/chat/completions", chat("openai/fault-slow", false));
  CHECK(slow.status == 504);
}

TEST_CASE("retries and fallbacks recover before the first byte", "[integration]") {
  auto flaky = http_post(env().base + "/v1/chat/completions", chat("openai/fault-flaky-1", false));
  CHECK(flaky.status == 200);
  auto fb = http_post(env().base + "/v1/chat/completions", chat("with-fallback", false));
  CHECK(fb.status == 200);
  CHECK(string_at(fb.body, "/choices/0/message/tool_calls/0/function/name") == "write");
}

TEST_CASE("a client that goes away mid-stream frees its stream", "[integration]") {
  auto r = harness_test::http_request("POST", env().base + "/v1/chat/completions",
                                      chat("openai/fault-stall", true),
                                      {"content-type: application/json"}, 100);
  CHECK(r.body.size() >= 100);
  // The server notices within its 250 ms poll and cancels upstream; wait (bounded) for it.
  std::string open;
  for (int i = 0; i < 40; ++i) {
    auto m = http_get(env().base + "/metrics");
    const auto pos = m.body.find("\nharness_open_streams ");
    open = pos == std::string::npos ? "?" : m.body.substr(pos + 22, 1);
    if (open == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(open == "0");
}

TEST_CASE("the fixer: rescue, strip_tools and emulation per model", "[integration]") {
  for (const char* d : {"openai", "anthropic", "ollama"}) {
    INFO(d);
    // Without rescue the JSON text reaches the client unchanged...
    auto raw = http_post(env().base + "/v1/chat/completions", chat(std::string(d) + "/qwen32b-text", false));
    REQUIRE(raw.status == 200);
    CHECK(json_at(raw.body, "/choices/0/message/tool_calls") == "<missing>");
    CHECK(string_at(raw.body, "/choices/0/message/content").find("\"name\"") != std::string::npos);
    // ...with rescue it is a real tool call, streamed or not.
    auto fixed = http_post(env().base + "/v1/chat/completions", chat(std::string("rescued-") + d, false));
    REQUIRE(fixed.status == 200);
    CHECK(string_at(fixed.body, "/choices/0/finish_reason") == "tool_calls");
    CHECK(string_at(fixed.body, "/choices/0/message/tool_calls/0/function/name") == "write");
    auto fixed_stream = http_post(env().base + "/v1/chat/completions", chat(std::string("rescued-") + d, true));
    const auto c = collect(fixed_stream.body);
    CHECK(c.name == "write");
    CHECK(c.finish == "tool_calls");
  }
  // A model that answers 400 to any tool schema still answers every turn when stripped.
  const std::string history =
      R"(,{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"write","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"ok"})";
  CHECK(http_post(env().base + "/v1/chat/completions", chat("ollama/chatonly", false)).status == 400);
  auto stripped = http_post(env().base + "/v1/chat/completions", chat("stripped", false, history));
  CHECK(stripped.status == 200);
  CHECK_FALSE(string_at(stripped.body, "/choices/0/message/content").empty());
  // Emulation lifts a chat-only model to a tool call.
  auto emulated = http_post(env().base + "/v1/chat/completions", chat("emulated", true));
  REQUIRE(emulated.status == 200);
  CHECK(collect(emulated.body).name == "write");
}

TEST_CASE("models and health and metrics answer and keys never leak", "[integration]") {
  auto models = http_get(env().base + "/v1/models");
  REQUIRE(models.status == 200);
  CHECK(models.body.find("rescued-openai") != std::string::npos);
  CHECK(models.body.find("openai/*") == std::string::npos);  // patterns are not models
  auto anth_models = http_get(env().base + "/v1/models", {"anthropic-version: 2023-06-01"});
  CHECK(json_at(anth_models.body, "/has_more") == "false");
  CHECK(http_get(env().base + "/health").status == 200);
  auto metrics = http_get(env().base + "/metrics");
  CHECK(metrics.body.find("harness_requests_total") != std::string::npos);
  CHECK(metrics.body.find(secret) == std::string::npos);
  // The key went upstream (the fake echoes what it got) but is in no log line of ours.
  std::ifstream log(env().dir + "/server.log");
  std::string all((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK_FALSE(all.empty());
  CHECK(all.find(secret) == std::string::npos);
}

TEST_CASE("binding beyond loopback without an access token refuses to start", "[integration]") {
  const std::string dir = harness_test::make_temp_dir("bind");
  std::ofstream(dir + "/h.toml") << "[server]\nhost = \"0.0.0.0\"\nport = 0\n\n"
                                    "[providers.p]\nkind = \"ollama\"\nbase_url = \"http://127.0.0.1:9\"\n\n"
                                    "[[models]]\nname = \"m\"\nprovider = \"p\"\n";
  harness_test::child_process server({HARNESS_SERVER_BIN, "--config", dir + "/h.toml",
                                      "--port-file", dir + "/port"},
                                     dir + "/log");
  for (int i = 0; i < 100 && server.running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK_FALSE(server.running());
  std::ifstream log(dir + "/log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK(text.find("access token") != std::string::npos);
  CHECK_FALSE(std::ifstream(dir + "/port").good());  // it never listened
}

TEST_CASE("an access token, when configured, is required from clients", "[integration]") {
  const std::string dir = harness_test::make_temp_dir("token");
  std::ofstream(dir + "/h.toml") << "[server]\nport = 0\naccess_token_env = \"HARNESS_TEST_TOKEN\"\n\n"
                                    "[providers.p]\nkind = \"ollama\"\nbase_url = \"http://127.0.0.1:9\"\n\n"
                                    "[[models]]\nname = \"m\"\nprovider = \"p\"\n";
  setenv("HARNESS_TEST_TOKEN", "tok-123456", 1);
  harness_test::child_process server({HARNESS_SERVER_BIN, "--config", dir + "/h.toml",
                                      "--port-file", dir + "/port"},
                                     dir + "/log");
  const int port = harness_test::wait_for_port_file(dir + "/port");
  REQUIRE(port > 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto no = http_post(url + "/v1/chat/completions", chat("m", false));
  CHECK(no.status == 401);
  CHECK(json_at(no.body, "/error/message") != "<missing>");
  auto anth = http_post(url + "/v1/messages", "{}", {"content-type: application/json", "x-api-key: wrong"});
  CHECK(anth.status == 401);
  CHECK(string_at(anth.body, "/type") == "error");
  // With the token the request passes auth (and then fails upstream: nothing listens on :9).
  auto yes = http_post(url + "/v1/chat/completions", chat("m", false),
                       {"content-type: application/json", "authorization: Bearer tok-123456"});
  CHECK(yes.status == 502);
  CHECK(http_get(url + "/v1/models").status == 401);
}

// The value of one sample line of /metrics ("" when absent).
std::string metric(const std::string& body, const std::string& series) {
  const auto pos = body.find("\n" + series + " ");
  if (pos == std::string::npos) return "";
  const auto start = pos + series.size() + 2;
  return body.substr(start, body.find('\n', start) - start);
}

// Rescued, native and refused calls, text-only turns and errors by kind, per model.
TEST_CASE("metrics count what the fixer did per model", "[integration]") {
  const std::string url = env().base + "/v1/chat/completions";
  for (const std::string d : {"openai", "anthropic"}) {
    INFO(d);
    const std::string g = "guarded-" + d + "/";
    CHECK(http_post(url, chat(g + "qwen32b-text", false)).status == 200);
    CHECK(http_post(url, chat(g + "frontier", true)).status == 200);
    // A call cut by the output limit never reaches the client; the finish says length.
    for (bool stream : {false, true}) {
      auto cut = http_post(url, chat(g + "cutcall", stream));
      CHECK(cut.status == 200);
      CHECK(cut.body.find("tool_calls\"") == std::string::npos);
      CHECK(cut.body.find(R"("finish_reason":"length")") != std::string::npos);
    }
    auto wrong = http_post(url, chat(g + "wrongtool", false));
    CHECK(wrong.body.find("not_offered") == std::string::npos);
    CHECK(string_at(wrong.body, "/choices/0/finish_reason") == "stop");
  }
  CHECK(http_post(url, chat("openai/fault-500", false)).status == 500);
  const auto m = http_get(env().base + "/metrics");
  REQUIRE(m.status == 200);
  for (const std::string d : {"openai", "anthropic"}) {
    INFO(d);
    const std::string g = "model=\"guarded-" + d + "/";
    CHECK(metric(m.body, "harness_model_tool_calls_total{" + g + "qwen32b-text\",source=\"rescued\"}") == "1");
    CHECK(metric(m.body, "harness_model_tool_calls_total{" + g + "qwen32b-text\",source=\"native\"}") == "0");
    CHECK(metric(m.body, "harness_model_tool_calls_total{" + g + "frontier\",source=\"native\"}") == "1");
    CHECK(metric(m.body, "harness_model_tool_calls_refused_total{" + g + "cutcall\",reason=\"truncated\"}") == "2");
    CHECK(metric(m.body, "harness_model_text_only_turns_total{" + g + "cutcall\"}") == "2");
    CHECK(metric(m.body, "harness_model_tool_calls_refused_total{" + g + "wrongtool\",reason=\"unknown_tool\"}") == "1");
  }
  CHECK(metric(m.body, R"(harness_model_upstream_errors_total{model="openai/fault-500",kind="upstream_5xx"})") == "1");
  // Each family is declared once.
  for (const char* family : {"harness_model_tool_calls_total", "harness_model_tool_calls_refused_total",
                             "harness_model_upstream_errors_total"}) {
    const std::string type = std::string("# TYPE ") + family + " counter\n";
    const auto first = m.body.find(type);
    CHECK(first != std::string::npos);
    CHECK(m.body.find(type, first + 1) == std::string::npos);
  }
}
