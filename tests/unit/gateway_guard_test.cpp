// What the fixer did, as the request log (on_exchange) and the counters (stats()) see it: a
// rescued call, a stripped request, a refused truncated call, an unknown tool, a repaired
// call, native calls and text-only turns, and errors by kind. An in-process transport answers
// with canned upstream bytes (whole JSON or an SSE stream), synchronously.
#include <catch2/catch.hpp>

#include <harness/gateway.h>

#include "capturing_sink.h"
#include "json_compare.h"

using namespace harness;
using harness_test::string_at;

namespace {

// Answers every request with one canned status, content type and body.
class canned_transport : public transport {
 public:
  canned_transport(int status, std::string type, std::string body)
      : status_(status), type_(std::move(type)), body_(std::move(body)) {}
  void start(http_request request, std::shared_ptr<response_sink> sink, std::stop_token) override {
    sent = std::move(request);
    sink->on_head(status_, {{"content-type", type_}});
    // A stream arrives in pieces, as from a socket.
    for (std::size_t at = 0; at < body_.size(); at += 97) {
      if (!sink->on_body(std::string_view(body_).substr(at, 97))) break;
    }
    sink->on_complete({});
  }
  http_request sent;

 private:
  int status_;
  std::string type_;
  std::string body_;
};

struct route_policy {
  bool rescue = false;
  bool strip = false;
};

struct outcome {
  harness_test::client_answer client;
  exchange_record rec;
  gateway_stats stats;
};

constexpr const char* kTools =
    R"("tools":[{"type":"function","function":{"name":"read","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}},)"
    R"({"type":"function","function":{"name":"write","parameters":{"type":"object"}}}])";

std::string client_request(bool stream, bool with_tools = true, std::string model = "m") {
  std::string body = R"({"model":")" + model +
                     R"(","messages":[{"role":"user","content":"read a.txt"}])";
  if (with_tools) body += std::string(",") + kTools;
  if (stream) body += R"(,"stream":true)";
  return body + "}";
}

outcome run(route_policy policy, int status, std::string type, std::string reply, bool stream,
            bool with_tools = true, std::string model = "m") {
  auto cfg = std::make_shared<config>();
  cfg->server.retries = 0;
  provider_config p;
  p.name = "up";
  p.kind = dialect::openai;
  p.base_url = "http://127.0.0.1:9/v1";
  cfg->providers.push_back(p);
  model_route r;
  r.name = "m";
  r.provider = "up";
  r.model = "upstream-m";
  r.policy.rescue = policy.rescue;
  r.policy.strip_tools = policy.strip;
  cfg->models.push_back(r);
  auto t = std::make_shared<canned_transport>(status, std::move(type), std::move(reply));
  outcome out;
  std::vector<exchange_record> log;
  gateway_options options;
  options.on_exchange = [&log](const exchange_record& rec) { log.push_back(rec); };
  gateway gw(cfg, t, options);
  auto sink = std::make_shared<harness_test::capturing_sink>();
  gw.handle(dialect::openai, client_request(stream, with_tools, std::move(model)), sink);
  out.client = *sink;
  REQUIRE(log.size() == 1);
  out.rec = log[0];
  out.stats = gw.stats();
  return out;
}

const gateway_stats::per_model& model_stats(const gateway_stats& s, const std::string& name) {
  for (const auto& m : s.models) {
    if (m.model == name) return m;
  }
  FAIL("no stats for model " << name);
  return s.models.front();
}

// An OpenAI completion whose message holds `content` (JSON: a string or null) and `calls`
// (name, arguments JSON text).
std::string completion(const std::string& content,
                       const std::vector<std::pair<std::string, std::string>>& calls,
                       const char* finish) {
  std::string tc;
  for (std::size_t k = 0; k < calls.size(); ++k) {
    std::string args;
    for (char c : calls[k].second) {
      if (c == '"' || c == '\\') args += '\\';
      args += c;
    }
    tc += (k ? "," : "") + std::string(R"({"id":"call_)") + std::to_string(k) +
          R"(","type":"function","function":{"name":")" + calls[k].first +
          R"(","arguments":")" + args + R"("}})";
  }
  return R"({"id":"c1","object":"chat.completion","created":1,"model":"upstream-m","choices":[{"index":0,)"
         R"("message":{"role":"assistant","content":)" + content +
         (calls.empty() ? "" : R"(,"tool_calls":[)" + tc + "]") + R"(},"finish_reason":")" + finish +
         R"("}],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}})";
}

std::string sse(const std::vector<std::string>& chunks) {
  std::string out;
  for (const auto& c : chunks) {
    out += R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-m","choices":[)" +
           c + "]}\n\n";
  }
  return out + "data: [DONE]\n\n";
}

}  // namespace

TEST_CASE("record: a rescued call counts as rescued, not native") {
  for (bool stream : {false, true}) {
    INFO("stream " << stream);
    const std::string text = R"({\"name\": \"read\", \"arguments\": {\"path\": \"a.txt\"}})";
    const auto out =
        stream ? run({.rescue = true}, 200, "text/event-stream",
                     sse({R"({"index":0,"delta":{"role":"assistant","content":")" + text + R"("},"finish_reason":null})",
                          R"({"index":0,"delta":{},"finish_reason":"stop"})"}),
                     true)
               : run({.rescue = true}, 200, "application/json",
                     completion("\"" + text + "\"", {}, "stop"), false);
    CHECK(out.client.status == 200);
    CHECK(out.client.body.find(R"("name":"read")") != std::string::npos);
    CHECK(out.rec.tools_offered);
    CHECK(out.rec.calls_rescued == 1);
    CHECK(out.rec.calls_native == 0);
    CHECK_FALSE(out.rec.text_only_with_tools);
    CHECK(out.rec.error_kind.empty());
    const auto& m = model_stats(out.stats, "m");
    CHECK(m.calls_rescued == 1);
    CHECK(m.calls_native == 0);
    CHECK(m.text_only_turns == 0);
  }
}

TEST_CASE("record: a stripped request is a text-only turn with tools offered") {
  const auto out = run({.strip = true}, 200, "application/json",
                       completion(R"("I cannot run tools.")", {}, "stop"), false);
  CHECK(out.client.status == 200);
  CHECK(out.rec.tools_stripped);
  CHECK(out.rec.tools_offered);
  CHECK(out.rec.text_only_with_tools);
  CHECK(to_json_line(out.rec).find(R"("text_only_with_tools":true)") != std::string::npos);
  CHECK(model_stats(out.stats, "m").text_only_turns == 1);
  // Without tools offered, a text answer is just an answer.
  const auto plain = run({}, 200, "application/json", completion(R"("hi")", {}, "stop"), false,
                         false);
  CHECK_FALSE(plain.rec.tools_offered);
  CHECK_FALSE(plain.rec.text_only_with_tools);
  CHECK(model_stats(plain.stats, "m").text_only_turns == 0);
}

TEST_CASE("record: a truncated native call is refused, counted, and the client gets length") {
  for (bool stream : {false, true}) {
    INFO("stream " << stream);
    const std::string cut = R"({"path": "a.t)";
    std::string cut_escaped = R"({\"path\": \"a.t)";
    const auto out =
        stream ? run({.rescue = true}, 200, "text/event-stream",
                     sse({R"({"index":0,"delta":{"role":"assistant","content":"Reading."},"finish_reason":null})",
                          R"({"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_0","type":"function","function":{"name":"read","arguments":""}}]},"finish_reason":null})",
                          R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":")" + cut_escaped + R"("}}]},"finish_reason":null})",
                          R"({"index":0,"delta":{},"finish_reason":"length"})"}),
                     true)
               : run({.rescue = true}, 200, "application/json",
                     completion(R"("Reading.")", {{"read", cut}}, "length"), false);
    CHECK(out.client.status == 200);
    CHECK(out.client.body.find("tool_calls\"") == std::string::npos);
    CHECK(out.client.body.find(R"("finish_reason":"length")") != std::string::npos);
    CHECK(out.client.body.find("Reading.") != std::string::npos);
    CHECK(out.rec.truncated_calls_refused == 1);
    CHECK(out.rec.calls_native == 0);
    CHECK(out.rec.text_only_with_tools);
    CHECK(to_json_line(out.rec).find(R"("truncated_calls_refused":1)") != std::string::npos);
    CHECK(model_stats(out.stats, "m").truncated_calls_refused == 1);
  }
}

TEST_CASE("record: unknown tools dropped, arguments repaired, native calls counted") {
  for (bool stream : {false, true}) {
    INFO("stream " << stream);
    const auto out =
        stream ? run({.rescue = true}, 200, "text/event-stream",
                     sse({R"({"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_0","type":"function","function":{"name":"rm_rf","arguments":"{}"}}]},"finish_reason":null})",
                          R"({"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_1","type":"function","function":{"name":"read","arguments":"{'path': 'a.txt',}"}}]},"finish_reason":null})",
                          R"({"index":0,"delta":{},"finish_reason":"tool_calls"})"}),
                     true)
               : run({.rescue = true}, 200, "application/json",
                     completion("null", {{"rm_rf", "{}"}, {"read", "{'path': 'a.txt',}"}},
                                "tool_calls"),
                     false);
    CHECK(out.client.status == 200);
    CHECK(out.client.body.find("rm_rf") == std::string::npos);
    CHECK(out.client.body.find(R"(\"path\":\"a.txt\")") != std::string::npos);
    CHECK(out.rec.unknown_tools_dropped == 1);
    CHECK(out.rec.args_repaired == 1);
    CHECK(out.rec.calls_native == 1);
    const auto& m = model_stats(out.stats, "m");
    CHECK(m.unknown_tools_dropped == 1);
    CHECK(m.args_repaired == 1);
    CHECK(m.calls_native == 1);
  }
}

TEST_CASE("record: a route without the fixer passes native calls untouched but counts them") {
  const auto out = run({}, 200, "application/json",
                       completion("null", {{"rm_rf", "{}"}}, "tool_calls"), false);
  CHECK(out.client.body.find("rm_rf") != std::string::npos);
  CHECK(out.rec.calls_native == 1);
  CHECK(out.rec.unknown_tools_dropped == 0);
  CHECK(model_stats(out.stats, "m").calls_native == 1);
}

TEST_CASE("record: errors are classified by kind and counted per model") {
  const char* err = R"({"error":{"message":"nope","type":"x","param":null,"code":null}})";
  struct expect {
    int status;
    const char* kind;
  };
  for (const auto& e : {expect{429, "rate_limited"}, expect{500, "upstream_5xx"},
                        expect{403, "upstream_4xx"}}) {
    INFO(e.status);
    const auto out = run({}, e.status, "application/json", err, false);
    CHECK(out.client.status == e.status);
    CHECK(out.rec.error_kind == e.kind);
    CHECK(to_json_line(out.rec).find(std::string(R"("error_kind":")") + e.kind) !=
          std::string::npos);
    const auto& m = model_stats(out.stats, "m");
    REQUIRE(m.errors_by_kind.size() == 1);
    CHECK(m.errors_by_kind[0].first == e.kind);
    CHECK(m.errors_by_kind[0].second == 1);
  }
  const auto unknown = run({}, 200, "application/json", completion(R"("x")", {}, "stop"), false,
                           true, "nope");
  CHECK(unknown.client.status == 404);
  CHECK(unknown.rec.error_kind == "unknown_model");
  // A stream that fails after its head.
  const auto broken = run({}, 200, "text/event-stream",
                          "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n",
                          true);
  CHECK(broken.rec.error_kind == "stream_error");
  CHECK_FALSE(broken.rec.error.empty());
  CHECK_FALSE(broken.rec.text_only_with_tools);
  // Success has no kind.
  const auto ok = run({}, 200, "application/json", completion(R"("x")", {}, "stop"), false);
  CHECK(ok.rec.error_kind.empty());
  CHECK(model_stats(ok.stats, "m").errors_by_kind.empty());
}
