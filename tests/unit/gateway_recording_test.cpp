// The gateway's recording hook (gateway_options::recorder): the recorder sees the four byte
// streams of an exchange, never a key (credential headers dropped, key values replaced even
// when split across stream pieces), and replay() reproduces the client's bytes from them.
#include <catch2/catch.hpp>

#include <map>

#include <harness/gateway.h>
#include <harness/record.h>

#include "capturing_sink.h"
#include "gateway/recording_tap.h"

using namespace harness;

namespace {

constexpr std::string_view kKey = "sk-unit-SECRET-4242";

// An upstream SSE stream whose text carries the key, split across two pieces.
class streaming_transport : public transport {
 public:
  void start(http_request request, std::shared_ptr<response_sink> sink, std::stop_token) override {
    sent = std::move(request);
    const std::string stream =
        std::string(R"(data: {"id":"c1","object":"chat.completion.chunk","created":7,"model":"m",)"
                    R"("choices":[{"index":0,"delta":{"role":"assistant","content":"key )") +
        std::string(kKey) +
        R"( here"},"finish_reason":null}]})"
        "\n\n"
        R"(data: {"id":"c1","object":"chat.completion.chunk","created":7,"model":"m",)"
        R"("choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
        "\n\ndata: [DONE]\n\n";
    const auto split = stream.find(kKey) + 5;
    sink->on_head(200, {{"content-type", "text/event-stream"}, {"set-cookie", "s=1"}});
    (void)sink->on_body(std::string_view(stream).substr(0, split));
    (void)sink->on_body(std::string_view(stream).substr(split));
    sink->on_complete({});
  }
  http_request sent;
};

class memory_recording : public exchange_recording {
 public:
  void attempt(const recorded_attempt& a) override { attempts.push_back(a); }
  void head(recorded_part part, int status, const header_list& headers) override {
    statuses[part] = status;
    heads[part] = headers;
  }
  void body(recorded_part part, std::string_view bytes) override { bodies[part].append(bytes); }
  void finish(const exchange_record& record) override {
    ++finished;
    last = record;
  }
  std::vector<recorded_attempt> attempts;
  std::map<recorded_part, int> statuses;
  std::map<recorded_part, header_list> heads;
  std::map<recorded_part, std::string> bodies;
  int finished = 0;
  exchange_record last;
};

class memory_recorder : public exchange_recorder {
 public:
  std::shared_ptr<exchange_recording> start(dialect, std::string_view) override {
    recording = std::make_shared<memory_recording>();
    return recording;
  }
  std::shared_ptr<memory_recording> recording;
};

std::shared_ptr<config> one_route() {
  auto cfg = std::make_shared<config>();
  cfg->server.retries = 0;
  provider_config p;
  p.name = "o";
  p.kind = dialect::openai;
  p.base_url = "https://user:pw@api.example.com/v1";
  p.api_key_env = "KEY";
  p.api_key = std::string(kKey);
  cfg->providers.push_back(p);
  model_route r;
  r.name = "m";
  r.provider = "o";
  r.model = "upstream-m";
  cfg->models.push_back(r);
  return cfg;
}

bool has_header(const header_list& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("secret_scrubber replaces a key split at any point of a stream", "[recording]") {
  const std::vector<std::string> secrets{std::string(kKey)};
  const std::string text = "a " + std::string(kKey) + " b " + std::string(kKey);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    detail::secret_scrubber scrubber(secrets);
    std::string out;
    scrubber.feed(std::string_view(text).substr(0, cut), out);
    scrubber.feed(std::string_view(text).substr(cut), out);
    scrubber.flush(out);
    INFO(cut);
    CHECK(out == "a [redacted] b [redacted]");
  }
}

TEST_CASE("the recorder gets every byte stream of an exchange, without keys", "[recording]") {
  auto transport = std::make_shared<streaming_transport>();
  auto recorder = std::make_shared<memory_recorder>();
  gateway_options options;
  options.recorder = recorder;
  gateway gw(one_route(), transport, options);
  auto sink = std::make_shared<harness_test::capturing_sink>();
  const std::string request =
      R"({"model":"m","stream":true,"messages":[{"role":"user","content":"mine: )" +
      std::string(kKey) + R"("}]})";
  gw.handle(dialect::openai, request, sink);
  REQUIRE(recorder->recording);
  const memory_recording& rec = *recorder->recording;

  // The upstream really got the key (in its header) and the client's text.
  REQUIRE(has_header(transport->sent.headers, "authorization"));
  CHECK(transport->sent.body.find(kKey) != std::string::npos);
  REQUIRE(sink->status == 200);

  CHECK(rec.finished == 1);
  CHECK(rec.last.status == 200);
  REQUIRE(rec.attempts.size() == 1);
  CHECK(rec.attempts[0].route == "m");
  CHECK(rec.attempts[0].upstream_model == "upstream-m");
  CHECK(rec.attempts[0].url_path == "/v1/chat/completions");  // no user info, no host
  CHECK(rec.statuses.at(recorded_part::upstream_response) == 200);
  CHECK_FALSE(has_header(rec.heads.at(recorded_part::upstream_response), "set-cookie"));
  CHECK(rec.heads.at(recorded_part::client_response).front().second == "text/event-stream");
  for (const auto& [part, bytes] : rec.bodies) {
    INFO(static_cast<int>(part));
    CHECK_FALSE(bytes.empty());
    CHECK(bytes.find(kKey) == std::string::npos);
    CHECK(bytes.find("[redacted]") != std::string::npos);
  }
  // The client's bytes, recorded, are what it got with the key replaced.
  std::string expected = sink->body;
  expected.replace(expected.find(kKey), kKey.size(), "[redacted]");
  CHECK(rec.bodies.at(recorded_part::client_response) == expected);

  // Replaying the recorded upstream bytes gives the same client answer (up to `created`).
  recorded_exchange r;
  r.client = dialect::openai;
  r.model = "m";
  r.stream = true;
  r.client_request = rec.bodies.at(recorded_part::client_request);
  r.has_attempt = true;
  r.route = "m";
  r.provider = "o";
  r.provider_kind = dialect::openai;
  r.upstream_model = "upstream-m";
  r.has_upstream_response = true;
  r.upstream_status = 200;
  r.upstream_headers = {{"content-type", "text/event-stream"}};
  r.upstream_response = rec.bodies.at(recorded_part::upstream_response);
  auto now = replay(r, model_policy{});
  REQUIRE(now);
  CHECK(now->status == 200);
  CHECK(normalize_client_answer(dialect::openai, now->content_type, now->body) ==
        normalize_client_answer(dialect::openai, "text/event-stream",
                                rec.bodies.at(recorded_part::client_response)));
}

TEST_CASE("normalize_client_answer hides timestamps only", "[recording]") {
  const std::string a = R"({"id":"x","created":1,"choices":[{"text":"hi"}]})";
  const std::string b = R"({"id":"x","created":2,"choices":[{"text":"hi"}]})";
  const std::string c = R"({"id":"y","created":2,"choices":[{"text":"hi"}]})";
  const auto na = normalize_client_answer(dialect::openai, "application/json", a);
  CHECK(na == normalize_client_answer(dialect::openai, "application/json", b));
  CHECK(na != normalize_client_answer(dialect::openai, "application/json", c));
  CHECK(na.find("$.choices[0].text = \"hi\"\n") != std::string::npos);
}
