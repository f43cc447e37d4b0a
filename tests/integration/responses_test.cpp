// harness-server's OpenAI Responses front (`POST /v1/responses`, what Codex speaks) over real
// loopback HTTP, onto the scripted fake upstream in every upstream dialect.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "http_client.h"
#include "json_compare.h"
#include "process.h"

using harness_test::http_post;
using harness_test::json_at;
using harness_test::string_at;

namespace {

struct fixture {
  std::string dir = harness_test::make_temp_dir("it-resp");
  std::unique_ptr<harness_test::child_process> upstream;
  std::unique_ptr<harness_test::child_process> server;
  std::string base;

  fixture() {
    const std::string u = harness_test::start_listening(
        upstream, {HARNESS_FAKE_UPSTREAM_BIN, "--port", "0"}, dir, "upstream");
    std::ofstream cfg(dir + "/harness.toml");
    cfg << "[server]\nhost = \"127.0.0.1\"\nport = 0\nfirst_byte_timeout_ms = 5000\n\n"
        << "[providers.fake-openai]\nkind = \"openai\"\nbase_url = \"" << u << "/v1\"\n\n"
        << "[providers.fake-anthropic]\nkind = \"anthropic\"\nbase_url = \"" << u << "\"\n\n"
        << "[providers.fake-ollama]\nkind = \"ollama\"\nbase_url = \"" << u << "\"\n\n";
    for (const char* d : {"openai", "anthropic", "ollama"}) {
      cfg << "[[models]]\nname = \"" << d << "/*\"\nprovider = \"fake-" << d << "\"\n\n";
    }
    cfg.close();
    base = harness_test::start_listening(
        server, {HARNESS_SERVER_BIN, "--config", dir + "/harness.toml"}, dir, "server");
  }
};

fixture& env() {
  static fixture f;
  return f;
}

const char* dialects[] = {"openai", "anthropic", "ollama"};

std::string capture(const std::string& name) {
  std::ifstream in(std::string(HARNESS_TEST_DATA_DIR) + "/captures/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A real Codex body with the model and stream flag replaced.
std::string codex_body(const std::string& file, const std::string& model, bool stream) {
  std::string body = capture(file);
  const std::string from = R"("model": ")";
  const auto at = body.find(from);
  const auto end = body.find('"', at + from.size());
  body.replace(at + from.size(), end - at - from.size(), model);
  const std::string s = R"("stream": true)";
  if (!stream) body.replace(body.find(s), s.size(), R"("stream": false)");
  return body;
}

// `body` without Codex's <environment_context> user item. The fake upstream picks its tool from
// the text of the last user turn, and the Anthropic translation rightly merges that item and the
// prompt into one turn, which the fake would read as a request to inspect files.
std::string without_environment_context(std::string body) {
  const auto text = body.find("\"text\": \"<environment_context>");
  const auto start = body.rfind("\n    {\n", text);
  const auto end = body.find("\n    },", text);
  REQUIRE(text != std::string::npos);
  REQUIRE(start != std::string::npos);
  REQUIRE(end != std::string::npos);
  body.erase(start, end + 7 - start);  // the item and the comma after it
  return body;
}

struct sse {
  std::string name, json;
};

std::vector<sse> events_of(const std::string& body) {
  std::vector<sse> out;
  std::size_t pos = 0;
  while ((pos = body.find("event: ", pos)) != std::string::npos) {
    const auto nl = body.find('\n', pos);
    const auto data = body.find("data: ", nl);
    const auto end = body.find('\n', data);
    out.push_back({body.substr(pos + 7, nl - pos - 7), body.substr(data + 6, end - data - 6)});
    pos = end;
  }
  return out;
}

// The output items of the terminal event, checking the stream's shape on the way.
std::string streamed_output(const std::string& body) {
  const auto evs = events_of(body);
  REQUIRE(evs.size() >= 3);
  for (std::size_t i = 0; i < evs.size(); ++i) {
    CHECK(json_at(evs[i].json, "/sequence_number") == std::to_string(i));
  }
  CHECK(evs.front().name == "response.created");
  CHECK(evs.back().name == "response.completed");
  return json_at(evs.back().json, "/response/output");
}

// The first output item of `type` in an `output` array ("" when there is none): a thinking
// upstream puts a reasoning item first.
std::string item_of(const std::string& output, const std::string& type) {
  for (std::size_t i = 0;; ++i) {
    const std::string item = json_at(output, "/" + std::to_string(i));
    if (item.empty() || item[0] == '<') return {};
    if (string_at(item, "/type") == type) return item;
  }
}

}  // namespace

TEST_CASE("Codex's real request gets a function_call from every upstream dialect", "[integration]") {
  for (const char* d : dialects) {
    const std::string model = std::string(d) + "/frontier";
    INFO(model);
    auto r = http_post(env().base + "/v1/responses", codex_body("codex-01.request.json", model, false));
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type").find("application/json") == 0);
    CHECK(string_at(r.body, "/object") == "response");
    CHECK(string_at(r.body, "/status") == "completed");
    CHECK(string_at(r.body, "/model") == model);
    const std::string call = item_of(json_at(r.body, "/output"), "function_call");
    CHECK(string_at(call, "/name") == "exec_command");
    CHECK_FALSE(string_at(call, "/call_id").empty());
    CHECK(json_at(string_at(call, "/arguments"), "/cmd") != "<missing>");
    CHECK(std::stoi(json_at(r.body, "/usage/total_tokens")) > 0);

    auto s = http_post(env().base + "/v1/responses", codex_body("codex-01.request.json", model, true));
    REQUIRE(s.status == 200);
    CHECK(s.header("content-type").find("text/event-stream") == 0);
    CHECK(string_at(item_of(streamed_output(s.body), "function_call"), "/name") == "exec_command");
    CHECK(s.body.find("event: response.function_call_arguments.done") != std::string::npos);

    // Turn 2 (the real capture, with the call's result): the model finishes in text.
    auto t2 = http_post(env().base + "/v1/responses", codex_body("codex-02.request.json", model, true));
    REQUIRE(t2.status == 200);
    CHECK_FALSE(string_at(item_of(streamed_output(t2.body), "message"), "/content/0/text").empty());
  }
}

TEST_CASE("apply_patch (a freeform tool) round-trips as custom_tool_call on every upstream", "[integration]") {
  for (const char* d : dialects) {
    const std::string model = std::string(d) + "/frontier";
    INFO(model);
    auto r = http_post(env().base + "/v1/responses", without_environment_context(codex_body("codex-03.request.json", model, false)));
    REQUIRE(r.status == 200);
    // web_search and tool_search were offered but cannot be routed: dropped, and said so.
    CHECK(r.header("x-harness-dropped-tools") == "tool_search, web_search");
    const std::string call = item_of(json_at(r.body, "/output"), "custom_tool_call");
    CHECK(string_at(call, "/name") == "apply_patch");
    CHECK(string_at(call, "/input").rfind("*** Begin Patch\n*** Add File: hello.txt\n", 0) == 0);
    CHECK(item_of(json_at(r.body, "/output"), "function_call").empty());

    auto s = http_post(env().base + "/v1/responses", without_environment_context(codex_body("codex-03.request.json", model, true)));
    REQUIRE(s.status == 200);
    const std::string streamed = item_of(streamed_output(s.body), "custom_tool_call");
    CHECK(string_at(streamed, "/input").rfind("*** Begin Patch\n", 0) == 0);
    CHECK(s.body.find("event: response.custom_tool_call_input.done") != std::string::npos);

    // Turn 2 (custom_tool_call + its output): the model finishes in text.
    auto t2 = http_post(env().base + "/v1/responses", codex_body("codex-04.request.json", model, false));
    INFO(t2.body.substr(0, 400));
    REQUIRE(t2.status == 200);
    CHECK_FALSE(string_at(item_of(json_at(t2.body, "/output"), "message"), "/content/0/text").empty());
  }
}

TEST_CASE("Responses errors: stateless 400s and bad JSON in OpenAI's error shape", "[integration]") {
  auto prev = http_post(env().base + "/v1/responses",
                        R"({"model":"openai/frontier","input":"hi","previous_response_id":"resp_1"})");
  CHECK(prev.status == 400);
  CHECK(string_at(prev.body, "/error/message").find("stateless") != std::string::npos);
  CHECK(string_at(prev.body, "/error/param") == "$.previous_response_id");
  auto bad = http_post(env().base + "/responses", "{\"model\":");
  CHECK(bad.status == 400);
  CHECK(string_at(bad.body, "/error/type") == "invalid_request_error");
  auto plain = http_post(env().base + "/responses", R"({"model":"ollama/frontier","input":"Tell me a story"})");
  CHECK(plain.status == 200);
  CHECK_FALSE(item_of(json_at(plain.body, "/output"), "message").empty());
}
