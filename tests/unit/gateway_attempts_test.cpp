// Every upstream attempt starts from what the client sent: an attempt edits the request for
// its route (upstream model id, stripped or emulated tools, flattened history) and the next
// attempt — a retry on the same route, or a fallback route with another policy — must not see
// those edits. An in-process transport records each upstream request and answers from a
// script of statuses.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include <harness/gateway.h>

#include "capturing_sink.h"
#include "json_compare.h"

using namespace harness;

namespace {

class scripted_transport : public transport {
 public:
  explicit scripted_transport(std::vector<int> statuses) : statuses_(std::move(statuses)) {}
  void start(http_request request, std::shared_ptr<response_sink> sink, std::stop_token) override {
    int status = 200;
    {
      std::lock_guard lock(mu_);
      sent_.push_back(request.body);
      if (next_ < statuses_.size()) status = statuses_[next_++];
    }
    sink->on_head(status, {{"content-type", "application/json"}});
    const std::string body =
        status == 200
            ? R"({"id":"c1","object":"chat.completion","created":1,"model":"x","choices":[{"index":0,"message":{"role":"assistant","content":"done"},"finish_reason":"stop"}]})"
            : R"({"error":{"message":"busy","type":"server_error"}})";
    sink->on_body(body);
    sink->on_complete({});
  }
  std::vector<std::string> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<int> statuses_;
  std::size_t next_ = 0;
  std::vector<std::string> sent_;
};

// A conversation with tools and a tool round trip in its history.
const char* kClientRequest = R"({"model":"a","messages":[)"
    R"({"role":"user","content":"read a.txt"},)"
    R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"path\":\"a.txt\"}"}}]},)"
    R"({"role":"tool","tool_call_id":"call_1","content":"hello"}],)"
    R"("tools":[{"type":"function","function":{"name":"read","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}]})";

std::shared_ptr<config> two_routes(model_policy first_policy) {
  auto cfg = std::make_shared<config>();
  cfg->server.retries = 0;
  provider_config p;
  p.name = "up";
  p.kind = dialect::openai;
  p.base_url = "http://127.0.0.1:9/v1";
  cfg->providers.push_back(p);
  model_route a;
  a.name = "a";
  a.provider = "up";
  a.model = "upstream-a";
  a.policy = std::move(first_policy);
  a.policy.fallbacks = {"b"};
  model_route b;
  b.name = "b";
  b.provider = "up";
  b.model = "upstream-b";
  cfg->models.push_back(a);
  cfg->models.push_back(b);
  return cfg;
}

}  // namespace

TEST_CASE("gateway attempts: a fallback after a stripped attempt gets the client's tools and history") {
  model_policy strip;
  strip.strip_tools = true;
  auto t = std::make_shared<scripted_transport>(std::vector<int>{503, 200});
  gateway gw(two_routes(strip), t);
  auto sink = std::make_shared<harness_test::capturing_sink>();
  gw.handle(dialect::openai, kClientRequest, sink);
  REQUIRE(sink->wait());
  CHECK(sink->status == 200);
  CHECK(harness_test::string_at(sink->body, "/model") == "a");  // the client's own name
  const auto sent = t->sent();
  REQUIRE(sent.size() == 2);
  CHECK(harness_test::string_at(sent[0], "/model") == "upstream-a");
  CHECK(sent[0].find("\"tools\"") == std::string::npos);
  CHECK(sent[0].find("\"role\":\"tool\"") == std::string::npos);  // flattened
  CHECK(harness_test::string_at(sent[1], "/model") == "upstream-b");
  CHECK(sent[1].find("\"tools\"") != std::string::npos);
  CHECK(sent[1].find("\"role\":\"tool\"") != std::string::npos);
  CHECK(sent[1].find("\"tool_call_id\":\"call_1\"") != std::string::npos);
}

TEST_CASE("gateway attempts: a fallback after an emulated attempt gets native tools again") {
  model_policy emulate;
  emulate.emulate_tools = true;
  auto t = std::make_shared<scripted_transport>(std::vector<int>{503, 200});
  gateway gw(two_routes(emulate), t);
  auto sink = std::make_shared<harness_test::capturing_sink>();
  gw.handle(dialect::openai, kClientRequest, sink);
  REQUIRE(sink->wait());
  const auto sent = t->sent();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].find("\"tools\"") == std::string::npos);
  CHECK(sent[0].find("You can use tools") != std::string::npos);
  CHECK(sent[1].find("You can use tools") == std::string::npos);  // no second system prompt
  CHECK(sent[1].find("\"tools\"") != std::string::npos);
}

TEST_CASE("gateway attempts: a retry on the same route sends the same body again") {
  model_policy strip;
  strip.strip_tools = true;
  strip.max_tokens = 77;
  auto cfg = two_routes(strip);
  cfg->server.retries = 1;
  cfg->server.retry_backoff_ms = 1;
  auto t = std::make_shared<scripted_transport>(std::vector<int>{503, 200});
  gateway gw(cfg, t);
  auto sink = std::make_shared<harness_test::capturing_sink>();
  gw.handle(dialect::openai, kClientRequest, sink);
  REQUIRE(sink->wait());
  CHECK(sink->status == 200);
  const auto sent = t->sent();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0] == sent[1]);  // nothing flattened twice, no limit carried over differently
  CHECK(sent[0].find("77") != std::string::npos);
}
