// Grader tests: for each implemented test, recorded replies that must pass, warn and fail.
#include <catch2/catch.hpp>

#include <string>

#include <harness/eval.h>

#include "eval/edits.h"
#include "eval/args.h"
#include "eval/requests.h"
#include "eval_replies.h"
#include "json/writer.h"

namespace ev = harness::eval;
using harness::detail::quote_json;

namespace {

using eval_test::call;
using eval_test::profile;
using eval_test::text_reply;
using eval_test::tool_calls_reply;

ev::exchange ex(std::string reply, int status = 200, std::string request = "") {
  ev::exchange e;
  e.status = status;
  e.reply = std::move(reply);
  e.request = std::move(request);
  return e;
}

// A stand-in for Python's parser: unbalanced parentheses are a syntax error.
std::optional<std::string> fake_python(std::string_view src) {
  int depth = 0;
  for (char c : src) depth += c == '(' ? 1 : c == ')' ? -1 : 0;
  if (depth != 0) return std::string("SyntaxError: '(' was never closed");
  return std::nullopt;
}

ev::grade grade(ev::test_id id, const ev::client_profile& p, ev::exchange e) {
  return ev::grade_test(id, p, {std::move(e)}, fake_python);
}

const std::string kWriteHello = R"({"file_path":"hello.py","content":"print(\"hello\")\n"})";

}  // namespace

TEST_CASE("T1 passes a native call, warns on a wrong finish, fails what a client cannot use") {
  const auto crush = profile("crush");
  using ev::verdict;
  CHECK(grade(ev::test_id::t1_tool_call, crush, ex(tool_calls_reply({{"write", kWriteHello}}))).outcome == verdict::pass);
  auto g = grade(ev::test_id::t1_tool_call, crush, ex(tool_calls_reply({{"write", kWriteHello}}, "stop")));
  CHECK(g.outcome == verdict::warn);
  CHECK(g.code == "T1.finish_reason");
  g = grade(ev::test_id::t1_tool_call, crush,
            ex(text_reply(R"({"name": "write", "arguments": {"file_path": "hello.py"}})")));
  CHECK(g.outcome == verdict::fail);
  CHECK(g.code == "T1.text_call");
  g = grade(ev::test_id::t1_tool_call, crush, ex(text_reply("Sure, here is the code.")));
  CHECK(g.code == "T1.no_call");
  g = grade(ev::test_id::t1_tool_call, crush, ex(tool_calls_reply({{"write_file", kWriteHello}})));
  CHECK(g.code == "T1.unknown_tool");
  g = grade(ev::test_id::t1_tool_call, crush, ex(tool_calls_reply({{"write", "{\"file_path\": "}})));
  CHECK(g.code == "T1.bad_arguments");
  g = grade(ev::test_id::t1_tool_call, crush,
            ex(tool_calls_reply({{"write", kWriteHello, "x"}, {"view", R"({"file_path":"a"})", "x"}})));
  CHECK(g.code == "T1.bad_ids");
  g = grade(ev::test_id::t1_tool_call, crush,
            ex(R"({"error":{"message":"registry.ollama.ai/library/llama3.2:latest does not support tools","type":"invalid_request_error"}})", 400));
  CHECK(g.outcome == verdict::fail);
  CHECK(g.code == "T1.rejected_400");
  CHECK(g.reason.find("does not support tools") != std::string::npos);
  ev::exchange timeout;
  timeout.transport_error = "timeout: no complete answer within 3 s";
  CHECK(grade(ev::test_id::t1_tool_call, crush, timeout).code == "infra.timeout");
  CHECK(grade(ev::test_id::t1_tool_call, crush, ex(R"({"error":{"message":"boom"}})", 503)).code ==
        "infra.http_503");
}

TEST_CASE("T2 checks the schema, the parameter dialect and the code") {
  using ev::verdict;
  const auto crush = profile("crush");
  CHECK(grade(ev::test_id::t2_code, crush, ex(tool_calls_reply({{"write", kWriteHello}}))).outcome == verdict::pass);
  auto g = grade(ev::test_id::t2_code, crush,
                 ex(tool_calls_reply({{"bash", R"({"command":"printf 'print(1)' > hello.py","description":"x"})"}})));
  CHECK(g.outcome == verdict::warn);
  CHECK(g.code == "T2.indirect");
  g = grade(ev::test_id::t2_code, crush, ex(tool_calls_reply({{"write", R"({"file_path":"hello.py"})"}})));
  CHECK(g.outcome == verdict::fail);
  CHECK(g.code == "T2.schema");
  g = grade(ev::test_id::t2_code, profile("opencode"), ex(tool_calls_reply({{"write", kWriteHello}})));
  CHECK(g.code == "T2.param_dialect");
  g = grade(ev::test_id::t2_code, crush,
            ex(tool_calls_reply({{"write", R"({"file_path":"hello.py","content":"print(\"hello\"\n"})"}})));
  CHECK(g.code == "T2.syntax");
  // Codex creates files through apply_patch: the added lines are the code.
  const std::string patch =
      R"({"input":"*** Begin Patch\n*** Add File: hello.py\n+print(\"hello\")\n*** End Patch\n"})";
  CHECK(grade(ev::test_id::t2_code, profile("codex"), ex(tool_calls_reply({{"apply_patch", patch}}))).outcome ==
        verdict::pass);
  CHECK(grade(ev::test_id::t2_code, profile("codex"),
              ex(tool_calls_reply({{"apply_patch", R"({"input":"*** Add File: hello.py\n+x\n"})"}})))
            .code == "T2.bad_patch");
}

TEST_CASE("T3 wants an answer or a new call after the tool result") {
  using ev::verdict;
  const auto crush = profile("crush");
  const std::string request = harness::eval_internal::t3_continuation(
      crush, "m", {{"call_1", "write", kWriteHello}});
  CHECK(grade(ev::test_id::t3_continue, crush, ex(text_reply("Created hello.py."), 200, request)).outcome ==
        verdict::pass);
  auto g = grade(ev::test_id::t3_continue, crush,
                 ex(tool_calls_reply({{"view", R"({"file_path":"hello.py"})", "call_2"}}), 200, request));
  CHECK(g.outcome == verdict::warn);
  CHECK(g.code == "T3.redundant_read");
  // The same call again, with its keys in another order: a loop.
  g = grade(ev::test_id::t3_continue, crush,
            ex(tool_calls_reply({{"write", R"({"content":"print(\"hello\")\n","file_path":"hello.py"})", "call_2"}}),
               200, request));
  CHECK(g.outcome == verdict::fail);
  CHECK(g.code == "T3.repeated_call");
  g = grade(ev::test_id::t3_continue, crush,
            ex(R"({"error":{"message":"tool_call_id call_9 not found"}})", 400, request));
  CHECK(g.outcome == verdict::fail);
  CHECK(g.reason.find("rejected") != std::string::npos);
}

TEST_CASE("T4 applies the edit with exact-match semantics") {
  using ev::verdict;
  const auto crush = profile("crush");
  auto edit = [](const std::string& old_s, const std::string& new_s) {
    return R"({"file_path":"calc.py","old_string":)" + quote_json(old_s) + R"(,"new_string":)" +
           quote_json(new_s) + "}";
  };
  CHECK(grade(ev::test_id::t4_read_edit, crush,
              ex(tool_calls_reply({{"edit", edit("    return a - b", "    return a + b")}})))
            .outcome == verdict::pass);
  auto g = grade(ev::test_id::t4_read_edit, crush,
                 ex(tool_calls_reply({{"edit", edit("\treturn a - b", "\treturn a + b")}})));
  CHECK(g.outcome == verdict::warn);
  CHECK(g.code == "T4.fuzzy_match");
  std::string whole(ev::t4_fixture());
  whole.replace(whole.find("a - b"), 5, "a + b");
  g = grade(ev::test_id::t4_read_edit, crush,
            ex(tool_calls_reply({{"write", R"({"file_path":"calc.py","content":)" + quote_json(whole) + "}"}})));
  CHECK(g.outcome == verdict::warn);
  CHECK(g.code == "T4.rewrote_file");
  g = grade(ev::test_id::t4_read_edit, crush,
            ex(tool_calls_reply({{"edit", edit("     3|    return a - b", "     3|    return a + b")}})));
  CHECK(g.outcome == verdict::fail);
  CHECK(g.code == "T4.line_prefix");
  g = grade(ev::test_id::t4_read_edit, crush,
            ex(tool_calls_reply({{"edit", edit("    return a - b", "    return a * b")}})));
  CHECK(g.code == "T4.still_failing");
  g = grade(ev::test_id::t4_read_edit, crush, ex(tool_calls_reply({{"edit", edit("return a - c", "x")}})));
  CHECK(g.code == "T4.not_found");
  g = grade(ev::test_id::t4_read_edit, crush, ex(text_reply("The bug is the minus sign.")));
  CHECK(g.code == "T4.no_edit");
  // OpenCode's names; Codex's patch envelope.
  CHECK(grade(ev::test_id::t4_read_edit, profile("opencode"),
              ex(tool_calls_reply({{"edit", R"({"filePath":"calc.py","oldString":"    return a - b","newString":"    return a + b"})"}})))
            .outcome == verdict::pass);
  const std::string patch =
      R"({"input":"*** Begin Patch\n*** Update File: calc.py\n@@ def add(a, b):\n-    return a - b\n+    return a + b\n*** End Patch"})";
  CHECK(grade(ev::test_id::t4_read_edit, profile("codex"), ex(tool_calls_reply({{"apply_patch", patch}}))).outcome ==
        verdict::pass);
}

TEST_CASE("T5 wants both reads in one turn with distinct ids") {
  using ev::verdict;
  const auto crush = profile("crush");
  CHECK(grade(ev::test_id::t5_parallel, crush,
              ex(tool_calls_reply({{"view", R"({"file_path":"a.py"})", "c1"}, {"view", R"({"file_path":"b.py"})", "c2"}})))
            .outcome == verdict::pass);
  CHECK(grade(ev::test_id::t5_parallel, crush, ex(tool_calls_reply({{"view", R"({"file_path":"a.py"})", "c1"}})))
            .outcome == verdict::warn);
  CHECK(grade(ev::test_id::t5_parallel, crush,
              ex(tool_calls_reply({{"view", R"({"file_path":"a.py"})", "c1"}, {"view", R"({"file_path":"b.py"})", "c1"}})))
            .code == "T5.duplicate_ids");
}

TEST_CASE("T6 passes an answer and fails any call, even a malformed one") {
  using ev::verdict;
  const auto crush = profile("crush");
  CHECK(grade(ev::test_id::t6_restraint, crush, ex(text_reply("A decorator wraps a function."))).outcome ==
        verdict::pass);
  CHECK(grade(ev::test_id::t6_restraint, crush, ex(tool_calls_reply({{"view", R"({"file_path":"x.py"})"}})))
            .code == "T6.called");
  CHECK(grade(ev::test_id::t6_restraint, crush,
              ex(text_reply(R"(<tool_call>{"name": "view", "arguments": {}}</tool_call>)")))
            .code == "T6.text_call");
}

TEST_CASE("T7 passes discovery or a question, fails an invented path") {
  using ev::verdict;
  const auto crush = profile("crush");
  CHECK(grade(ev::test_id::t7_clarify, crush, ex(tool_calls_reply({{"glob", R"({"pattern":"**/*.toml"})"}})))
            .outcome == verdict::pass);
  CHECK(grade(ev::test_id::t7_clarify, crush, ex(text_reply("Which config file do you mean?"))).outcome ==
        verdict::pass);
  CHECK(grade(ev::test_id::t7_clarify, crush,
              ex(tool_calls_reply({{"bash", R"({"command":"sed -i s/debug=false/debug=true/ *.conf","description":"x"})"}})))
            .outcome == verdict::warn);
  CHECK(grade(ev::test_id::t7_clarify, crush,
              ex(tool_calls_reply({{"write", R"({"file_path":"config.yaml","content":"debug: true\n"})"}})))
            .code == "T7.invented_path");
}

TEST_CASE("T8 wants glob among the 27 Crush tools") {
  using ev::verdict;
  const auto crush = profile("crush");
  REQUIRE(crush.tools.size() == 27);
  CHECK(grade(ev::test_id::t8_selection, crush, ex(tool_calls_reply({{"glob", R"({"pattern":"**/*.toml"})"}})))
            .outcome == verdict::pass);
  CHECK(grade(ev::test_id::t8_selection, crush,
              ex(tool_calls_reply({{"bash", R"({"command":"find . -name '*.toml'","description":"x"})"}})))
            .outcome == verdict::warn);
  CHECK(grade(ev::test_id::t8_selection, crush, ex(tool_calls_reply({{"fetch", R"({"url":"x","format":"text"})"}})))
            .code == "T8.wrong_tool");
  CHECK(grade(ev::test_id::t8_selection, crush, ex(tool_calls_reply({{"glob", R"({"pattern":"*.py"})"}})))
            .code == "T8.wrong_pattern");
}

namespace {

std::string chunk(const std::string& delta, const char* finish = nullptr) {
  return std::string(R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":)") +
         delta + R"(,"finish_reason":)" + (finish ? "\"" + std::string(finish) + "\"" : "null") + "}]}\n\n";
}

std::string streamed_call(const char* finish, bool done) {
  std::string s = chunk(R"({"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write","arguments":""}}]})");
  s += chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"file_path\":\"hello.py\","}}]})");
  s += chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"\"content\":\"print(1)\\n\"}"}}]})");
  s += chunk("{}", finish);
  if (done) s += "data: [DONE]\n\n";
  return s;
}

ev::exchange stream_ex(std::string body) {
  ev::exchange e = ex(std::move(body));
  e.stream = true;
  return e;
}

}  // namespace

TEST_CASE("T11 reassembles a streamed call and checks how the stream ends") {
  using ev::verdict;
  const auto crush = profile("crush");
  CHECK(grade(ev::test_id::t11_streaming, crush, stream_ex(streamed_call("tool_calls", true))).outcome ==
        verdict::pass);
  CHECK(grade(ev::test_id::t11_streaming, crush, stream_ex(streamed_call("stop", true))).outcome ==
        verdict::warn);
  CHECK(grade(ev::test_id::t11_streaming, crush, stream_ex(streamed_call("tool_calls", false))).code ==
        "T11.stream");
  const auto g = grade(ev::test_id::t11_streaming, crush,
                       stream_ex("this is not a server-sent event\n<html>502</html>\n\n"));
  CHECK(g.outcome == verdict::fail);
  CHECK(g.code.rfind("infra.", 0) == 0);
}

TEST_CASE("edits: exact, ambiguous, fuzzy, and patches parse strictly") {
  namespace in = harness::eval_internal;
  CHECK(in::apply_edit("x = 1\nx = 1\n", "x = 1", "x = 2", false).match == in::edit_match::ambiguous);
  CHECK(in::apply_edit("x = 1\nx = 1\n", "x = 1", "x = 2", true).text == "x = 2\nx = 2\n");
  const auto f = in::apply_edit("def f():\n    return 1\n", "\treturn 1", "\treturn 2", false);
  CHECK(f.match == in::edit_match::fuzzy);
  CHECK(f.text == "def f():\n    return 2\n");
  CHECK_FALSE(in::parse_patch("*** Begin Patch\n*** Update File: a\n-x\n").ok);
  CHECK_FALSE(in::parse_patch("*** Begin Patch\n-x\n*** End Patch").ok);
  CHECK(in::parse_patch("*** Begin Patch\n*** Delete File: a\n*** End Patch\n").ok);
}

TEST_CASE("schema check: required, types, enums, closed objects") {
  namespace in = harness::eval_internal;
  const char* schema = R"({"type":"object","properties":{"n":{"type":"integer"},"mode":{"type":"string","enum":["a","b"]}},"required":["n"],"additionalProperties":false})";
  CHECK(in::check_arguments(R"({"n":1,"mode":"a"})", schema).errors.empty());
  CHECK(in::check_arguments(R"({"mode":"a"})", schema).errors.size() == 1);
  CHECK(in::check_arguments(R"({"n":1,"mode":"c"})", schema).errors.size() == 1);
  CHECK(in::check_arguments(R"({"n":1,"x":1})", schema).errors.size() == 1);
  const auto coerced = in::check_arguments(R"({"n":"5"})", schema);
  CHECK(coerced.errors.empty());
  CHECK(coerced.coercible.size() == 1);
}

TEST_CASE("profiles: each client's tools, roles and read format") {
  for (const std::string& name : ev::profile_names()) {
    const auto p = profile(name.c_str());
    CHECK_FALSE(p.tools.empty());
    CHECK(p.tools_hash.size() == 16);
    const bool edits = !p.edit_tool.empty() || !p.patch_tool.empty();
    CHECK(edits);
  }
  CHECK(profile("opencode").read_path == "filePath");
  CHECK(profile("opencode-v2").read_path == "path");
  CHECK_FALSE(ev::builtin_profile("cursor"));
  CHECK(ev::format_read_output(profile("crush"), "calc.py", "a\nb\n") == "<file>\n     1|a\n     2|b\n</file>\n");
  const std::string oc = ev::format_read_output(profile("opencode"), "calc.py", "a\n");
  CHECK(oc.find("<content>\n1: a\n") != std::string::npos);
  CHECK(ev::format_read_output(profile("claude-code"), "calc.py", "a\n") == "     1\ta\n");
  CHECK(ev::t4_is_fixed("def add(a, b):\n    return b + a\n\ndef test_add():\n    assert add(2, 3) == 5\n"));
  CHECK_FALSE(ev::t4_is_fixed(ev::t4_fixture()));
}
