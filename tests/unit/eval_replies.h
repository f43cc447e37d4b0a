// eval_replies.h: Chat Completions replies written by hand for the evaluator's grader tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <harness/eval.h>

#include "json/writer.h"

namespace eval_test {

using harness::detail::quote_json;

inline harness::eval::client_profile profile(const char* name) {
  auto p = harness::eval::builtin_profile(name);
  REQUIRE(p);
  return *p;
}

struct call {
  std::string name;
  std::string args;  // JSON text
  std::string id = "call_1";
};

/// A non-streaming reply holding `calls`, with usage.
inline std::string tool_calls_reply(const std::vector<call>& calls,
                                    const char* finish = "tool_calls",
                                    const char* content = "null") {
  std::string tc;
  for (const call& c : calls) {
    if (!tc.empty()) tc += ",";
    tc += R"({"id":)" + quote_json(c.id) + R"(,"type":"function","function":{"name":)" +
          quote_json(c.name) + R"(,"arguments":)" + quote_json(c.args) + "}}";
  }
  return std::string(R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",)") +
         R"("choices":[{"index":0,"message":{"role":"assistant","content":)" + content +
         R"(,"tool_calls":[)" + tc + R"(]},"finish_reason":")" + finish +
         R"("}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})";
}

/// A non-streaming reply holding only `text`.
inline std::string text_reply(const std::string& text) {
  return std::string(R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",)") +
         R"("choices":[{"index":0,"message":{"role":"assistant","content":)" + quote_json(text) +
         R"(},"finish_reason":"stop"}]})";
}

}  // namespace eval_test
