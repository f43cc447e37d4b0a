// Runner and report tests over a scripted endpoint: gating, repeats (pass^k, pass@k), a failing
// model that does not stop the run, an interrupted run, and reports that parse.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <sstream>

#include <simdjson.h>

#include <harness/eval.h>

#include "json/writer.h"

namespace ev = harness::eval;
using harness::detail::quote_json;

namespace {

std::string call_reply(const std::string& name, const std::string& args) {
  return R"({"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":)" +
         quote_json(name) + R"(,"arguments":)" + quote_json(args) +
         R"(}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110}})";
}

std::string text_reply(const std::string& text) {
  return R"({"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":)" +
         quote_json(text) + R"(},"finish_reason":"stop"}]})";
}

// A model that does T1 right (or not) and answers every later turn with text.
class scripted : public ev::endpoint {
 public:
  enum class mode { good, text_only, down, flaky };
  explicit scripted(mode m) : mode_(m) {}
  ev::exchange send(const std::string& body, bool stream, std::stop_token) override {
    ++sent;
    ev::exchange e;
    e.request = body;
    e.stream = stream;
    e.latency_us = 1000;
    if (mode_ == mode::down) {
      e.transport_error = "timeout: no complete answer within 1 s";
      return e;
    }
    e.status = 200;
    const bool t1 = body.find("Create a file hello.py") != std::string::npos &&
                    body.find("\"role\":\"tool\"") == std::string::npos;
    const bool good_now = mode_ == mode::good || (mode_ == mode::flaky && (sent % 2) == 1);
    if (t1 && !stream && good_now)
      e.reply = call_reply("write", R"({"file_path":"hello.py","content":"print(1)\n"})");
    else
      e.reply = text_reply("Done.");
    return e;
  }
  harness::result<std::vector<std::string>> models() override { return std::vector<std::string>{"m"}; }
  std::atomic<int> sent{0};

 private:
  mode mode_;
};

ev::run_options options(std::vector<ev::test_id> tests, int repeats = 1) {
  ev::run_options o;
  auto p = ev::builtin_profile("crush");
  REQUIRE(p);
  o.profile = *p;
  o.tests = std::move(tests);
  o.repeats = repeats;
  o.concurrency = 2;
  o.simulated = true;
  return o;
}

const ev::test_result& result_of(const ev::model_result& m, ev::test_id id) {
  for (const auto& t : m.tests)
    if (t.id == id) return t;
  FAIL("no such test");
  return m.tests.front();
}

// Splits a Markdown table row into trimmed cells ("| a | b |" -> {a, b}); honours "\|".
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cur += '|';
      ++i;
    } else if (line[i] == '|') {
      const auto b = cur.find_first_not_of(' '), e = cur.find_last_not_of(' ');
      out.push_back(b == std::string::npos ? "" : cur.substr(b, e - b + 1));
      cur.clear();
    } else {
      cur += line[i];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("T1 gates T2-T14 but T11, and a down model fails with its reason while the run goes on") {
  scripted good(scripted::mode::good), chat(scripted::mode::text_only), down(scripted::mode::down);
  const std::vector<ev::model_target> targets{
      {"good", "", "none", &good}, {"chat", "", "none", &chat}, {"down", "", "none", &down}};
  const auto o = options({ev::test_id::t1_tool_call, ev::test_id::t2_code, ev::test_id::t3_continue,
                          ev::test_id::t6_restraint});
  int events = 0;
  const ev::report r = ev::run_evaluation(targets, o, [&](const ev::progress_event&) { ++events; }, {});
  CHECK(events == 12);
  CHECK_FALSE(r.partial);
  REQUIRE(r.models.size() == 3);
  CHECK(result_of(r.models[0], ev::test_id::t1_tool_call).summary() == ev::verdict::pass);
  CHECK(result_of(r.models[0], ev::test_id::t3_continue).summary() == ev::verdict::pass);
  CHECK(r.models[0].prompt_tokens >= 100);
  CHECK(result_of(r.models[1], ev::test_id::t1_tool_call).runs[0].code == "T1.no_call");
  CHECK(result_of(r.models[1], ev::test_id::t2_code).summary() == ev::verdict::skipped);
  CHECK(result_of(r.models[1], ev::test_id::t6_restraint).summary() == ev::verdict::skipped);
  CHECK(result_of(r.models[2], ev::test_id::t1_tool_call).runs[0].code == "infra.timeout");
  CHECK(result_of(r.models[2], ev::test_id::t6_restraint).runs[0].code == "gated");
  CHECK(r.models[2].complete);
}

TEST_CASE("repeats give pass^k and pass@k") {
  scripted flaky(scripted::mode::flaky);
  const ev::report r = ev::run_evaluation({{"flaky", "", "none", &flaky}},
                                          options({ev::test_id::t1_tool_call}, 4), {}, {});
  const auto& t1 = result_of(r.models[0], ev::test_id::t1_tool_call);
  REQUIRE(t1.runs.size() == 4);
  CHECK(t1.passes() == 2);
  CHECK_FALSE(t1.pass_hat_k());
  CHECK(t1.pass_at_k());
  CHECK(t1.summary() == ev::verdict::fail);
  CHECK(ev::render_table(r).find("fail 2/4") != std::string::npos);
}

TEST_CASE("a stop before the run leaves a partial report") {
  scripted good(scripted::mode::good);
  std::stop_source stop;
  stop.request_stop();
  const ev::report r = ev::run_evaluation({{"good", "", "none", &good}},
                                          options({ev::test_id::t1_tool_call}), {}, stop.get_token());
  CHECK(r.partial);
  CHECK(good.sent == 0);
  CHECK(ev::render_markdown(r).find("**Partial**") != std::string::npos);
}

TEST_CASE("the Markdown table parses and the JSON report is valid") {
  scripted good(scripted::mode::good), chat(scripted::mode::text_only);
  ev::report r = ev::run_evaluation({{"good|pipe", "upstream-good", "rescue", &good}, {"chat", "", "off", &chat}},
                                    options(ev::all_tests(), 2), {}, {});
  const std::string md = ev::render_markdown(r);
  CHECK(md.find("Simulated") != std::string::npos);
  std::istringstream in(md);
  std::string line;
  std::vector<std::vector<std::string>> table;
  while (std::getline(in, line)) {
    if (line.rfind("| Model |", 0) == 0 || (!table.empty() && line.rfind("|", 0) == 0)) table.push_back(cells(line));
    else if (!table.empty()) break;
  }
  REQUIRE(table.size() == 4);  // header, separator, two models
  const std::size_t columns = 3 + ev::all_tests().size() + 5;  // + Score, p50, p95, Tokens, Tools via
  for (const auto& row : table) CHECK(row.size() == columns);
  for (const auto& c : table[1]) CHECK(c == "---");
  CHECK(table[2][0] == "upstream-good");
  CHECK(table[2][1] == "good|pipe");
  CHECK(table[3][3] == "fail 0/2");  // T1 of the chat-only model
  CHECK(table[3][4] == "\u2014");    // T2 gated
  CHECK(md.find("`T1.no_call`") != std::string::npos);

  const std::string json = ev::render_json(r);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  CHECK(bool(doc["simulated"].get_bool().value_unsafe()));
  simdjson::dom::array models;
  REQUIRE(doc["models"].get(models) == simdjson::SUCCESS);
  CHECK(models.size() == 2);
  std::string_view summary;
  REQUIRE(doc.at_pointer("/models/1/tests/0/summary").get(summary) == simdjson::SUCCESS);
  CHECK(summary == "fail");
}

namespace {

// Answers after 1 ms, 2 ms, ... 20 ms, then 20 ms again.
class counting : public ev::endpoint {
 public:
  ev::exchange send(const std::string& body, bool stream, std::stop_token) override {
    ev::exchange e;
    e.request = body;
    e.stream = stream;
    e.status = 200;
    e.latency_us = 1000 * std::min(++sent, 20);
    // T1 gets its call (so T9 is not gated); every later request gets text.
    e.reply = sent == 1 ? call_reply("write", R"({"file_path":"hello.py","content":"print(1)\n"})")
                        : text_reply("Done.");
    return e;
  }
  harness::result<std::vector<std::string>> models() override { return std::vector<std::string>{"m"}; }
  int sent = 0;
};

}  // namespace

TEST_CASE("score over a fixed denominator, p95 latency, and T1 gating T9-T14") {
  scripted good(scripted::mode::good), chat(scripted::mode::text_only);
  const auto o = options({ev::test_id::t1_tool_call, ev::test_id::t6_restraint, ev::test_id::t9_long_session,
                          ev::test_id::t13_large_content});
  const ev::report r = ev::run_evaluation({{"good", "", "none", &good}, {"chat", "", "none", &chat}}, o, {}, {});
  // good: T1 pass (2) + T6 pass (2) + T9 wrong state (0: it answers every turn with text) + T13 no call (0).
  CHECK(r.models[0].max_points == 8);
  CHECK(r.models[0].points == 4);
  CHECK(result_of(r.models[0], ev::test_id::t9_long_session).runs[0].code == "T9.wrong_state");
  CHECK(result_of(r.models[0], ev::test_id::t13_large_content).runs[0].code == "T13.no_call");
  // chat: T1 fails, so T6, T9 and T13 are not run and score 0.
  CHECK(result_of(r.models[1], ev::test_id::t9_long_session).summary() == ev::verdict::skipped);
  CHECK(result_of(r.models[1], ev::test_id::t13_large_content).summary() == ev::verdict::skipped);
  CHECK(result_of(r.models[1], ev::test_id::t6_restraint).summary() == ev::verdict::skipped);
  CHECK(r.models[1].points == 0);
  CHECK(r.models[1].score() == Approx(0.0));

  counting slow;
  const ev::report lat = ev::run_evaluation({{"slow", "", "none", &slow}}, options({ev::test_id::t9_long_session}), {}, {});
  // T1 plus nine turns answered with text: 10 requests of 1..10 ms.
  REQUIRE(slow.sent == 10);
  CHECK(lat.models[0].p95_latency_us == 10'000);  // nearest rank: the 10th of 10
  CHECK(lat.models[0].median_latency_us == 5'500);
  const std::string table = ev::render_table(lat);
  CHECK(table.find("Score") != std::string::npos);
  CHECK(table.find("10 ms") != std::string::npos);
}
