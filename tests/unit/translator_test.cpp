// harness::translator: a reused translator gives exactly what the free functions give, for any
// sequence of bodies (small, large, invalid in between), and a failed call leaves nothing behind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <harness/codec.h>
#include <harness/translate.h>
#include <harness/translator.h>

#include "json_compare.h"
#include "test_support.h"

using namespace harness;
using harness_test::string_at;

namespace {

constexpr dialect all_dialects[] = {dialect::openai, dialect::anthropic, dialect::ollama,
                                    dialect::responses};

// Every capture and golden input: request and response bodies of all four dialects.
std::vector<std::string> real_bodies() {
  std::vector<std::string> out;
  for (const char* dir : {"captures", "golden"}) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(harness_test::data_path(dir))) {
      if (e.path().extension() == ".json" && e.path().filename() != "index.json") {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());  // a stable order, so failures reproduce
    for (const auto& f : files) out.push_back(harness_test::read_file(f.string()));
  }
  return out;
}

// An OpenAI request of about `bytes` bytes: alternating turns with tool calls and results, so
// the Anthropic encoder parses arguments in the reused buffers too.
std::string large_openai_request(std::size_t bytes) {
  std::string body = R"({"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."})";
  for (int i = 0; body.size() < bytes; ++i) {
    const std::string id = "call_" + std::to_string(i);
    body += R"(,{"role":"user","content":"Please read file number )" + std::to_string(i) +
            R"( and summarise it in one line, with the \"quotes\" kept."})";
    body += R"(,{"role":"assistant","content":null,"tool_calls":[{"id":")" + id +
            R"(","type":"function","function":{"name":"read","arguments":"{\"path\":\"src/)" +
            std::to_string(i) + R"(.cpp\",\"limit\":200}"}}]})";
    body += R"(,{"role":"tool","tool_call_id":")" + id + R"(","content":"int main() {}"})";
  }
  body += R"(],"tools":[{"type":"function","function":{"name":"read","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}]})";
  return body;
}

std::vector<std::string> invalid_bodies() {
  return {
      "",
      "{",
      R"({"model":"x","messages":[)",
      std::string(600, '[') + std::string(600, ']'),  // deeper than the limit
      "{\"model\":\"\xff\xfe\",\"messages\":[]}",     // not UTF-8
      R"({"model":42,"messages":"no"})",                // valid JSON, wrong types
      "[1,2,3]",
  };
}

void same_result(const result<std::string>& expected, const result<std::string>& actual) {
  REQUIRE(expected.has_value() == actual.has_value());
  if (expected) {
    CHECK(*expected == *actual);
  } else {
    CHECK(expected.error_value().code == actual.error_value().code);
    CHECK(expected.error_value().message == actual.error_value().message);
    CHECK(expected.error_value().path == actual.error_value().path);
    CHECK(expected.error_value().http_status == actual.error_value().http_status);
  }
}

// Every (from, to) pair, requests and responses, through `t` and through the free functions.
void check_body(translator& t, const std::string& body) {
  for (dialect from : all_dialects) {
    for (dialect to : all_dialects) {
      same_result(harness::translate_request(from, to, body), t.translate_request(from, to, body));
      same_result(harness::translate_response(from, to, body),
                  t.translate_response(from, to, body));
    }
  }
}

}  // namespace

TEST_CASE("a reused translator matches the free functions over mixed bodies") {
  const std::vector<std::string> real = real_bodies();
  REQUIRE(real.size() >= 40);
  const std::vector<std::string> bad = invalid_bodies();
  const std::string large = large_openai_request(1 << 20);
  auto large_anthropic =
      harness::translate_request(dialect::openai, dialect::anthropic, large);
  REQUIRE(large_anthropic.has_value());

  // small, large, invalid in between: buffers grown by a large body then used for small ones,
  // and every call after a failure.
  std::vector<const std::string*> sequence;
  for (std::size_t i = 0; i < real.size(); ++i) {
    sequence.push_back(&real[i]);
    if (i % 10 == 3) sequence.push_back(&large);
    if (i % 10 == 7) sequence.push_back(&*large_anthropic);
    sequence.push_back(&bad[i % bad.size()]);
  }

  translator t;
  std::size_t succeeded = 0;
  for (const std::string* body : sequence) {
    INFO("body starts: " << body->substr(0, 80));
    check_body(t, *body);
    for (dialect from : all_dialects) succeeded += t.translate_request(from, dialect::openai, *body) ? 1 : 0;
  }
  CHECK(succeeded >= real.size() / 2);  // the sequence exercised the success path, not only errors
}

TEST_CASE("normalize and encode through a translator match the free functions") {
  translator t;
  for (const std::string& body : real_bodies()) {
    for (dialect from : all_dialects) {
      auto expected = harness::normalize_request(from, body);
      auto actual = t.normalize_request(from, body);
      REQUIRE(expected.has_value() == actual.has_value());
      if (!expected) continue;
      for (dialect to : all_dialects) {
        same_result(harness::encode_request(to, *expected), t.encode_request(to, *actual));
      }
    }
    for (dialect from : all_dialects) {
      auto expected = harness::normalize_response(from, body);
      auto actual = t.normalize_response(from, body);
      REQUIRE(expected.has_value() == actual.has_value());
      if (!expected) continue;
      for (dialect to : all_dialects) {
        same_result(harness::encode_response(to, *expected), t.encode_response(to, *actual));
      }
    }
  }
}

TEST_CASE("an error in one call does not poison the next") {
  const std::string good = harness_test::read_file(
      harness_test::data_path("captures/openai-sdk-02.request.json"));
  const auto expected = harness::translate_request(dialect::openai, dialect::anthropic, good);
  REQUIRE(expected.has_value());

  translator t;
  for (const std::string& bad : invalid_bodies()) {
    INFO("bad body: " << bad.substr(0, 40));
    auto failed = t.translate_request(dialect::openai, dialect::anthropic, bad);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error_value().http_status == 400);
    auto next = t.translate_request(dialect::openai, dialect::anthropic, good);
    REQUIRE(next.has_value());
    CHECK(*next == *expected);
  }
}

TEST_CASE("a moved-from or released translator still works") {
  const std::string good = harness_test::read_file(
      harness_test::data_path("captures/anthropic-sdk-02.request.json"));
  const auto expected = harness::translate_request(dialect::anthropic, dialect::openai, good);
  REQUIRE(expected.has_value());

  translator a;
  REQUIRE(a.translate_request(dialect::anthropic, dialect::openai, good).has_value());
  translator b = std::move(a);
  same_result(expected, b.translate_request(dialect::anthropic, dialect::openai, good));
  same_result(expected, a.translate_request(dialect::anthropic, dialect::openai, good));  // NOLINT(bugprone-use-after-move): documented as usable
  b.release_buffers();
  same_result(expected, b.translate_request(dialect::anthropic, dialect::openai, good));
}

TEST_CASE("separate system and user blocks stay apart in one-string dialects") {
  const std::string body =
      R"({"model":"m","max_tokens":5,"system":[{"type":"text","text":"You are Claude Code."},)"
      R"({"type":"text","text":"Be terse.","cache_control":{"type":"ephemeral"}}],)"
      R"("messages":[{"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]},)"
      R"({"role":"assistant","content":[{"type":"text","text":"Hel"},{"type":"text","text":"lo"}]}]})";
  auto openai = translate_request(dialect::anthropic, dialect::openai, body);
  REQUIRE(openai);
  CHECK(string_at(*openai, "/messages/0/content") == "You are Claude Code.\nBe terse.");
  CHECK(string_at(*openai, "/messages/1/content") == "one\ntwo");
  CHECK(string_at(*openai, "/messages/2/content") == "Hello");  // pieces of one reply
  auto ollama = translate_request(dialect::anthropic, dialect::ollama, body);
  REQUIRE(ollama);
  CHECK(string_at(*ollama, "/messages/0/content") == "You are Claude Code.\nBe terse.");
  CHECK(string_at(*ollama, "/messages/2/content") == "Hello");
}
