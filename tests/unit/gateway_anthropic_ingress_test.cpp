// The gateway with an Anthropic client (Claude Code) in front of any backend: server tools
// another backend cannot run are dropped and named in x-harness-dropped-tools and the log,
// a tool_choice naming one is relaxed, and anthropic-beta reaches only an Anthropic upstream.
// A recording transport answers in-process, so the exact upstream request can be inspected.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include <harness/fixer.h>
#include <harness/gateway.h>

#include "capturing_sink.h"
#include "json_compare.h"

using namespace harness;
using harness_test::string_at;

namespace {

// Records the upstream request and answers with one canned JSON body.
class recording_transport : public transport {
 public:
  explicit recording_transport(std::string reply) : reply_(std::move(reply)) {}
  void start(http_request request, std::shared_ptr<response_sink> sink, std::stop_token) override {
    sent = std::move(request);
    sink->on_head(200, {{"content-type", "application/json"}});
    (void)sink->on_body(reply_);
    sink->on_complete({});
  }
  http_request sent;

 private:
  std::string reply_;
};

const char* kOpenAIReply =
    R"({"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,)"
    R"("message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})";
const char* kOllamaReply =
    R"({"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":"hi"},)"
    R"("done":true,"done_reason":"stop","prompt_eval_count":1,"eval_count":1})";
const char* kAnthropicReply =
    R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"hi"}],)"
    R"("stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}})";

// What Claude Code sends when WebSearch runs: a server tool, forced, next to a function tool.
const char* kClaudeCodeWebSearch =
    R"({"model":"MODEL","max_tokens":1000,"messages":[{"role":"user","content":"find x"}],)"
    R"("tools":[{"name":"Bash","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}},)"
    R"({"type":"web_search_20250305","name":"web_search","max_uses":8}],)"
    R"("tool_choice":{"type":"tool","name":"web_search","disable_parallel_tool_use":true},)"
    R"("context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]}})";

struct run_result {
  http_request upstream;
  harness_test::client_answer client;
  std::vector<exchange_record> log;
};

run_result run(dialect kind, const char* reply, const std::string& model, header_list headers) {
  auto cfg = std::make_shared<config>();
  provider_config p;
  p.name = "up";
  p.kind = kind;
  p.base_url = "http://127.0.0.1:9";
  cfg->providers.push_back(p);
  model_route r;
  r.name = model;
  r.provider = "up";
  r.model = "m";
  cfg->models.push_back(r);
  auto t = std::make_shared<recording_transport>(reply);
  run_result out;
  gateway_options options;
  options.on_exchange = [&out](const exchange_record& rec) { out.log.push_back(rec); };
  gateway gw(cfg, t, options);
  auto sink = std::make_shared<harness_test::capturing_sink>();
  std::string body = kClaudeCodeWebSearch;
  body.replace(body.find("MODEL"), 5, model);
  gw.handle(dialect::anthropic, body, headers, sink);  // the transport answers synchronously
  out.upstream = t->sent;
  out.client = *sink;
  return out;
}

const std::string* header(const header_list& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

const header_list kBeta = {{"Anthropic-Beta", "context-management-2025-06-27,effort-2025-11-24"}};

}  // namespace

TEST_CASE("server tools are dropped for an OpenAI upstream, named to the client and the log") {
  const auto r = run(dialect::openai, kOpenAIReply, "gpt", kBeta);
  REQUIRE(r.client.status == 200);
  REQUIRE(header(r.client.headers, "x-harness-dropped-tools") != nullptr);
  CHECK(*header(r.client.headers, "x-harness-dropped-tools") == "web_search");
  REQUIRE(r.log.size() == 1);
  CHECK(r.log[0].dropped_tools == std::vector<std::string>{"web_search"});
  CHECK(to_json_line(r.log[0]).find(R"("dropped_tools":["web_search"])") != std::string::npos);
  // Only Bash goes upstream; the forced choice of the dropped tool became auto.
  CHECK(string_at(r.upstream.body, "/tools/0/function/name") == "Bash");
  CHECK(r.upstream.body.find("web_search") == std::string::npos);
  CHECK(string_at(r.upstream.body, "/tool_choice") == "auto");
  // No Anthropic-only header or field reaches another dialect.
  CHECK(header(r.upstream.headers, "anthropic-beta") == nullptr);
  CHECK(r.upstream.body.find("context_management") == std::string::npos);
  CHECK(r.upstream.body.find("cache_control") == std::string::npos);
  CHECK(string_at(r.client.body, "/content/0/text") == "hi");
}

TEST_CASE("server tools are dropped for an Ollama upstream too") {
  const auto r = run(dialect::ollama, kOllamaReply, "local", kBeta);
  REQUIRE(r.client.status == 200);
  REQUIRE(header(r.client.headers, "x-harness-dropped-tools") != nullptr);
  CHECK(string_at(r.upstream.body, "/tools/0/function/name") == "Bash");
  CHECK(r.upstream.body.find("web_search") == std::string::npos);
}

TEST_CASE("an Anthropic upstream gets the server tools, the choice and anthropic-beta as sent") {
  const auto r = run(dialect::anthropic, kAnthropicReply, "claude", kBeta);
  REQUIRE(r.client.status == 200);
  CHECK(header(r.client.headers, "x-harness-dropped-tools") == nullptr);
  CHECK(r.log.at(0).dropped_tools.empty());
  REQUIRE(header(r.upstream.headers, "anthropic-beta") != nullptr);
  CHECK(*header(r.upstream.headers, "anthropic-beta") ==
        "context-management-2025-06-27,effort-2025-11-24");
  CHECK(string_at(r.upstream.body, "/tools/1/type") == "web_search_20250305");
  CHECK(string_at(r.upstream.body, "/tool_choice/name") == "web_search");
  CHECK(string_at(r.upstream.body, "/context_management/edits/0/type") == "clear_thinking_20251015");
}

TEST_CASE("without client headers no anthropic-beta is invented") {
  const auto r = run(dialect::anthropic, kAnthropicReply, "claude", {});
  CHECK(header(r.upstream.headers, "anthropic-beta") == nullptr);
}

TEST_CASE("drop_hosted_tools: tool_choice after the drop") {
  auto request = [](std::vector<std::string> kinds, tool_choice choice) {
    chat_request req;
    req.origin = dialect::anthropic;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      tool_spec t;
      t.kind = kinds[i];
      t.name = kinds[i] == "function" ? "f" + std::to_string(i) : "s" + std::to_string(i);
      req.tools.push_back(t);
    }
    req.tool_choice = choice;
    return req;
  };
  const tool_choice named_server{tool_choice::mode::tool, "s1"};
  const tool_choice named_function{tool_choice::mode::tool, "f0"};
  const tool_choice any{tool_choice::mode::required, ""};

  auto req = request({"function", "bash_20250124"}, named_server);
  CHECK(drop_hosted_tools(req, dialect::openai) == std::vector<std::string>{"s1"});
  CHECK(req.tools.size() == 1);
  CHECK(req.tool_choice.kind == tool_choice::mode::auto_);

  req = request({"function", "bash_20250124"}, named_function);  // a kept tool stays chosen
  (void)drop_hosted_tools(req, dialect::openai);
  CHECK(req.tool_choice == named_function);

  req = request({"web_search_20250305"}, any);  // nothing left to force
  (void)drop_hosted_tools(req, dialect::ollama);
  CHECK(req.tools.empty());
  CHECK(req.tool_choice.kind == tool_choice::mode::unset);

  req = request({"web_search_20250305"}, any);  // Anthropic runs them itself
  CHECK(drop_hosted_tools(req, dialect::anthropic).empty());
  CHECK(req.tools.size() == 1);

  req = request({"function", "custom"}, named_server);  // other origins: the codecs decide
  req.origin = dialect::openai;
  CHECK(drop_hosted_tools(req, dialect::ollama).empty());
  CHECK(req.tools.size() == 2);
}
