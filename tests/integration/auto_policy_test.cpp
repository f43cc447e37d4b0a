// Automatic per-model policy (#12): an in-process gateway with the curl transport against the
// real fake upstream over loopback. Ollama /api/show decides native tools, emulation or
// stripping; a model whose metadata lies is switched after its 400 and retried once; the
// cache expires; thinking is dropped for a model without it; routes() and probes say so.
#include <catch2/catch.hpp>
#include <thread>

#include <condition_variable>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <harness/curl_transport.h>
#include <harness/gateway.h>

#include "capturing_sink.h"
#include "gateway/routes.h"
#include "gateway/upstream_refusals.h"
#include "json_compare.h"
#include "process.h"

using namespace harness;
using harness_test::string_at;

namespace {

struct fake_upstream {
  std::string dir = harness_test::make_temp_dir("auto-policy");
  std::string log = dir + "/requests.jsonl";
  std::unique_ptr<harness_test::child_process> proc;
  std::string base;
  fake_upstream() {
    base = harness_test::start_listening(
        proc, {HARNESS_FAKE_UPSTREAM_BIN, "--port", "0", "--log", log}, dir, "fake");
  }
  // Requests the fake saw on `path` (its --log has one JSON line per request).
  int count(const std::string& path) const {
    std::ifstream in(log);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      if (string_at(line, "/path") == path) ++n;
    }
    return n;
  }
};

fake_upstream& fake() {
  static fake_upstream f;
  return f;
}

curl_global_guard& curl() {
  static curl_global_guard guard;
  return guard;
}

std::shared_ptr<const config> make_config(const std::string& extra_server = "") {
  std::string text = "[server]\n" + extra_server +
                     "\n[providers.local]\nkind = \"ollama\"\nbase_url = \"" + fake().base +
                     "\"\n\n[providers.oai]\nkind = \"openai\"\nbase_url = \"" + fake().base +
                     "/v1\"\n\n[providers.down]\nkind = \"ollama\"\nbase_url = "
                     "\"http://127.0.0.1:1\"\n";
  auto route = [&](const std::string& name, const std::string& provider, const std::string& model,
                   const std::string& more = "") {
    text += "\n[[models]]\nname = \"" + name + "\"\nprovider = \"" + provider + "\"\n";
    if (!model.empty()) text += "model = \"" + model + "\"\n";
    text += more;
  };
  route("chat-only", "local", "chatonly");  // no policy: an Ollama route is automatic
  route("tool-model", "local", "frontier");
  route("liar", "local", "liar");
  route("echo", "local", "echo");
  route("echo-native", "local", "echo-native", "policy = \"native\"\n");
  route("chat-only-strip", "local", "chatonly-strip", "policy = \"auto\"\non_no_tools = \"strip\"\n");
  route("gone", "local", "missing-model");
  route("ollama/*", "local", "");
  route("oai-frontier", "oai", "frontier");
  route("oai-absent", "oai", "not-listed");
  route("dead", "down", "frontier");
  auto cfg = parse_config(text, "auto.toml", [](std::string_view) { return std::nullopt; });
  REQUIRE(cfg);
  return std::make_shared<const config>(std::move(*cfg));
}

struct harness_under_test {
  std::vector<exchange_record> records;
  std::mutex mu;
  std::condition_variable logged;
  std::shared_ptr<transport> upstream;
  std::unique_ptr<gateway> gw;
  explicit harness_under_test(const std::string& extra_server = "") {
    (void)curl();
    gateway_options options;
    options.on_exchange = [this](const exchange_record& r) {
      std::lock_guard lock(mu);
      records.push_back(r);
      logged.notify_all();
    };
    upstream = make_curl_transport();
    gw = std::make_unique<gateway>(make_config(extra_server), upstream, options);
  }
  // The log callback points at this object: requests still finishing on the transport's
  // thread (their log line comes after the client's answer) must be done before it goes.
  // Deterministic teardown as gateway.h describes it: the gateway first, then wait until the
  // transport is ours alone.
  ~harness_under_test() {
    gw.reset();
    for (int i = 0; i < 500 && upstream.use_count() > 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  exchange_record last() {
    std::lock_guard lock(mu);
    REQUIRE_FALSE(records.empty());
    return records.back();
  }
  route_state route(const std::string& name) {
    for (const auto& r : gw->routes()) {
      if (r.name == name) return r;
    }
    FAIL("no route " << name);
    return {};
  }
  // One request, answered and logged (the log line comes just after the answer's end).
  std::shared_ptr<harness_test::capturing_sink> send(dialect d, const std::string& body) {
    std::size_t before = 0;
    {
      std::lock_guard lock(mu);
      before = records.size();
    }
    auto sink = std::make_shared<harness_test::capturing_sink>();
    gw->handle(d, body, sink);
    REQUIRE(sink->wait());
    std::unique_lock lock(mu);
    REQUIRE(logged.wait_for(lock, std::chrono::seconds(5), [&] { return records.size() > before; }));
    return sink;
  }
};

const char* kTools =
    R"([{"type":"function","function":{"name":"write","description":"Write a file","parameters":{"type":"object","properties":{"filePath":{"type":"string"},"content":{"type":"string"}},"required":["filePath","content"]}}}])";

std::string tool_turn(const std::string& model) {
  return R"({"model":")" + model +
         R"(","messages":[{"role":"user","content":"Create hello.txt"}],"tools":)" + kTools + "}";
}

// Claude Code's shape: adaptive thinking on every request.
std::string thinking_turn(const std::string& model) {
  return R"({"model":")" + model +
         R"(","max_tokens":2000,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"hi"}]})";
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("a model whose /api/show lacks tools gets emulated tool calls without config", "[auto]") {
  harness_under_test h;
  const int shows = fake().count("/api/show");
  CHECK(h.route("chat-only").policy == "auto");  // nothing asked yet
  auto reply = h.send(dialect::openai, tool_turn("chat-only"));
  REQUIRE(reply->status == 200);
  CHECK(string_at(reply->body, "/choices/0/message/tool_calls/0/function/name") == "write");
  const exchange_record rec = h.last();
  CHECK(rec.tools_emulated);
  CHECK(rec.attempts == 1);
  CHECK(rec.policy_source == "discovered");
  const route_state s = h.route("chat-only");
  CHECK(s.policy == "emulate_tools");
  CHECK(s.policy_source == "discovered");
  CHECK(s.health == "ok");
  CHECK(s.context_length == 131072);
  CHECK(has(s.capabilities, "completion"));
  CHECK_FALSE(has(s.capabilities, "tools"));
  CHECK(fake().count("/api/show") == shows + 1);
}

TEST_CASE("on_no_tools = strip removes the tools instead", "[auto]") {
  harness_under_test h;
  auto reply = h.send(dialect::openai, tool_turn("chat-only-strip"));
  REQUIRE(reply->status == 200);
  CHECK(string_at(reply->body, "/choices/0/message/tool_calls/0/function/name") != "write");
  CHECK(h.last().tools_stripped);
  CHECK(h.route("chat-only-strip").policy == "strip_tools");
}

TEST_CASE("a model whose /api/show lists tools gets native calls", "[auto]") {
  harness_under_test h;
  auto reply = h.send(dialect::openai, tool_turn("tool-model"));
  REQUIRE(reply->status == 200);
  CHECK(string_at(reply->body, "/choices/0/message/tool_calls/0/function/name") == "write");
  const exchange_record rec = h.last();
  CHECK_FALSE(rec.tools_emulated);
  CHECK_FALSE(rec.tools_stripped);
  CHECK(rec.policy_source == "discovered");
  const route_state s = h.route("tool-model");
  CHECK(s.policy == "native+rescue");
  CHECK(has(s.capabilities, "tools"));
  CHECK(s.context_length == 262144);
}

TEST_CASE("a model that lies about tools is switched after its 400 and retried once", "[auto]") {
  harness_under_test h;
  const int shows = fake().count("/api/show");
  const int chats = fake().count("/api/chat");
  auto reply = h.send(dialect::openai, tool_turn("liar"));
  REQUIRE(reply->status == 200);
  CHECK(string_at(reply->body, "/choices/0/message/tool_calls/0/function/name") == "write");
  exchange_record rec = h.last();
  CHECK(rec.attempts == 2);
  CHECK(rec.tools_emulated);
  CHECK(rec.policy_source == "learned");
  route_state s = h.route("liar");
  CHECK(s.policy == "emulate_tools");
  CHECK(s.policy_source == "learned");
  CHECK_FALSE(has(s.capabilities, "tools"));
  // Learned once: the next request goes straight to emulation, streamed too.
  auto again = h.send(dialect::openai, tool_turn("liar"));
  CHECK(again->status == 200);
  CHECK(h.last().attempts == 1);
  CHECK(fake().count("/api/chat") == chats + 3);
  CHECK(fake().count("/api/show") == shows + 1);
}

TEST_CASE("concurrent first requests share one discovery, and the cache expires", "[auto]") {
  SECTION("ttl 600: one /api/show for many requests") {
    harness_under_test h;
    const int before = fake().count("/api/show");
    std::vector<std::shared_ptr<harness_test::capturing_sink>> sinks;
    for (int i = 0; i < 6; ++i) {
      sinks.push_back(std::make_shared<harness_test::capturing_sink>());
      h.gw->handle(dialect::openai, tool_turn("tool-model"), sinks.back());
    }
    for (auto& s : sinks) {
      REQUIRE(s->wait());
      CHECK(s->status == 200);
    }
    CHECK(fake().count("/api/show") == before + 1);
  }
  SECTION("ttl 0: asked again at every request") {
    harness_under_test h("discovery_ttl_s = 0\n");
    const int before = fake().count("/api/show");
    CHECK(h.send(dialect::openai, tool_turn("tool-model"))->status == 200);
    CHECK(h.send(dialect::openai, tool_turn("tool-model"))->status == 200);
    CHECK(fake().count("/api/show") == before + 2);
  }
}

TEST_CASE("thinking is dropped for a model without the capability, num_ctx sized", "[auto]") {
  harness_under_test h;
  // echo's /api/show: completion + tools, no thinking, context 8192.
  auto reply = h.send(dialect::anthropic, thinking_turn("echo"));
  REQUIRE(reply->status == 200);
  const std::string echoed = string_at(reply->body, "/content/0/text");
  CHECK(harness_test::json_at(echoed, "/thinking") == "false");
  CHECK(harness_test::json_at(echoed, "/num_ctx") == "8192");
  // The same model on a fixed native policy: thinking goes through, num_ctx stays unset.
  auto native = h.send(dialect::anthropic, thinking_turn("echo-native"));
  REQUIRE(native->status == 200);
  const std::string raw = string_at(native->body, "/content/0/text");
  CHECK(harness_test::json_at(raw, "/thinking") == "true");
  CHECK(harness_test::json_at(raw, "/num_ctx") == "null");
  CHECK(h.route("echo-native").policy_source == "config");
}

TEST_CASE("probe_routes sets health, and /v1/models lists only usable routes", "[auto]") {
  harness_under_test h;
  h.gw->probe_routes(std::chrono::milliseconds(5000));
  CHECK(h.route("chat-only").policy == "emulate_tools");
  CHECK(h.route("chat-only").health == "ok");
  CHECK(h.route("gone").health == "model_missing");
  CHECK(h.route("ollama/*").health == "ok");
  CHECK(h.route("ollama/*").policy == "auto");
  CHECK(h.route("oai-frontier").health == "ok");
  CHECK(h.route("oai-frontier").policy_source == "default");
  CHECK(h.route("oai-absent").health == "model_missing");
  CHECK(h.route("dead").health == "unreachable");
  const std::string listed = h.gw->list_models(dialect::openai);
  CHECK(listed.find("\"chat-only\"") != std::string::npos);
  CHECK(listed.find("\"oai-frontier\"") != std::string::npos);
  CHECK(listed.find("\"gone\"") == std::string::npos);
  CHECK(listed.find("\"oai-absent\"") == std::string::npos);
  CHECK(listed.find("\"dead\"") == std::string::npos);
}

TEST_CASE("a discovery failure falls back to native+rescue without failing the request", "[auto]") {
  harness_under_test h;
  // The backend is down: the request fails as the chat fails (502), not because of discovery.
  auto reply = h.send(dialect::openai, tool_turn("dead"));
  CHECK(reply->status == 502);
  CHECK(h.last().policy_source == "default");
  CHECK(h.route("dead").health == "unreachable");
  CHECK(h.route("dead").policy == "native+rescue");
}

TEST_CASE("num_ctx rule and refusal wordings", "[auto]") {
  using detail::pick_num_ctx;
  CHECK(pick_num_ctx(0, 100000, 0) == 0);
  CHECK(pick_num_ctx(131072, 400, 0) == 8192);             // small request: the floor
  CHECK(pick_num_ctx(131072, 100000, 4096) == 32768);      // 25000 + 4096 -> 32768
  CHECK(pick_num_ctx(16384, 400000, 4096) == 16384);       // capped by the model
  CHECK(detail::says_no_tools("registry.ollama.ai/library/llama3.2:latest does not support tools"));
  CHECK(detail::says_no_tools(
      "\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set"));
  CHECK(detail::says_no_tools("No endpoints found that support tool use."));
  CHECK(detail::says_no_tools("tools is not supported in this model."));
  CHECK_FALSE(detail::says_no_tools("model 'x' not found"));
  CHECK(detail::says_no_thinking("\"qwen2.5\" does not support thinking"));
  CHECK_FALSE(detail::says_no_thinking("does not support tools"));
}
