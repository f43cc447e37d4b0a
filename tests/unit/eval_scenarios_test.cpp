// Grader tests for T9, T10, T12, T13 and T14: constructed transcripts (replies only; the graders
// replay them on the virtual directory) that must pass, warn and fail, each for its reason.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <harness/eval.h>

#include "eval/edits.h"
#include "eval/scenarios.h"
#include "eval_replies.h"
#include "json/writer.h"

namespace ev = harness::eval;
namespace ei = harness::eval_internal;
using harness::detail::quote_json;

namespace {

using eval_test::call;
using eval_test::profile;

int g_next_id = 0;

ev::exchange calls(std::vector<call> cs, const char* finish = "tool_calls") {
  for (call& c : cs) c.id = "call_" + std::to_string(++g_next_id);
  ev::exchange e;
  e.status = 200;
  e.reply = eval_test::tool_calls_reply(cs, finish);
  return e;
}

ev::exchange text(const std::string& t) {
  ev::exchange e;
  e.status = 200;
  e.reply = eval_test::text_reply(t);
  return e;
}

std::string obj(std::initializer_list<std::pair<const char*, std::string>> kv) {
  std::string out = "{";
  for (const auto& [k, v] : kv) out += (out.size() > 1 ? "," : "") + quote_json(k) + ":" + quote_json(v);
  return out + "}";
}

call view(const std::string& path) { return {"view", obj({{"file_path", path}})}; }
call edit(const std::string& path, const std::string& o, const std::string& n) {
  return {"edit", obj({{"file_path", path}, {"old_string", o}, {"new_string", n}})};
}

// A careful Crush agent through T9's nine turns; `variant` bends one turn.
std::vector<ev::exchange> t9_transcript(const std::string& variant = "") {
  std::vector<ev::exchange> t;
  t.push_back(calls({view("todo.txt"), view("README.md")}));
  t.push_back(text("Done."));
  t.push_back(calls({{"glob", obj({{"pattern", "*.toml"}})}}));
  if (variant == "extra") t.push_back(calls({{"ls", "{}"}}));
  t.push_back(text("config.toml"));
  t.push_back(calls({{"grep", obj({{"pattern", "def handle_route_07"}})}}));
  t.push_back(text("src/app.py:41"));
  if (variant == "fake") t.push_back(calls({edit("config.toml", "debug = false", "debug = true")}));
  else t.push_back(calls({view("config.toml")}));
  t.push_back(text("I cannot edit files right now."));
  t.push_back(calls({view("config.toml")}));
  t.push_back(calls({edit("config.toml", "debug = false", "debug = true")}));
  t.push_back(text("Done."));
  t.push_back(calls({{"write", obj({{"file_path", "notes.md"}, {"content", "# Notes\n\nDebug logging is on.\n"}})}}));
  t.push_back(text("Done."));
  if (variant != "skip_todo") {
    t.push_back(calls({view("todo.txt")}));
    t.push_back(calls({edit("todo.txt", "- fix parser", "- fix parser (done)")}));
  }
  t.push_back(text("Done."));
  t.push_back(calls({view("src/app.py")}));
  t.push_back(calls({edit("src/app.py", "PORT = 8000", "PORT = 8080")}));
  t.push_back(text("Done."));
  t.push_back(calls({view("notes.md")}));
  t.push_back(text("It says debug logging is on."));
  return t;
}

ev::grade grade(ev::test_id id, const char* prof, const std::vector<ev::exchange>& t) {
  return ev::grade_test(id, profile(prof), t, {});
}

}  // namespace

TEST_CASE("T9 grades the final directory after nine turns, and calls of withheld tools") {
  const auto ok = grade(ev::test_id::t9_long_session, "crush", t9_transcript());
  CHECK(ok.outcome == ev::verdict::pass);
  CHECK(ok.reason.find("goal state") != std::string::npos);

  const auto extra = grade(ev::test_id::t9_long_session, "crush", t9_transcript("extra"));
  CHECK(extra.outcome == ev::verdict::warn);
  CHECK(extra.code == "T9.extra_calls");

  const auto fake = grade(ev::test_id::t9_long_session, "crush", t9_transcript("fake"));
  CHECK(fake.outcome == ev::verdict::fail);
  CHECK(fake.code == "T9.fake_call");

  const auto wrong = grade(ev::test_id::t9_long_session, "crush", t9_transcript("skip_todo"));
  CHECK(wrong.outcome == ev::verdict::fail);
  CHECK(wrong.code == "T9.wrong_state");
  CHECK(wrong.reason.find("todo.txt line 2") != std::string::npos);

  // The same edit sent a third time after "not found": a client would loop.
  std::vector<ev::exchange> loop = t9_transcript();
  loop.resize(9);  // up to turn 5's read
  for (int i = 0; i < 3; ++i) loop.push_back(calls({edit("config.toml", "debug=false", "debug=true")}));
  const auto looped = grade(ev::test_id::t9_long_session, "crush", loop);
  CHECK(looped.code == "T9.loop");
}

TEST_CASE("T10 wants a re-read or a corrected call after the client's error, never the same call") {
  const auto blind = ei::t10_failed_call(profile("crush"));
  const auto ok = grade(ev::test_id::t10_recovery, "crush",
                        {calls({view("calc.py")}), calls({edit("calc.py", "    return a - b", "    return a + b")}),
                         text("Fixed.")});
  CHECK(ok.outcome == ev::verdict::pass);

  const auto many = grade(ev::test_id::t10_recovery, "crush",
                          {calls({view("calc.py")}), calls({edit("calc.py", "return a-b", "return a+b")}),
                           calls({edit("calc.py", "return  a - b", "return  a + b")}),
                           calls({edit("calc.py", "return a -b", "return a +b")}),
                           calls({edit("calc.py", "    return a - b", "    return a + b")}), text("Fixed.")});
  CHECK(many.outcome == ev::verdict::warn);
  CHECK(many.code == "T10.many_retries");

  const auto repeated = grade(ev::test_id::t10_recovery, "crush", {calls({{blind.name, blind.arguments}})});
  CHECK(repeated.outcome == ev::verdict::fail);
  CHECK(repeated.code == "T10.repeated_call");

  const auto gave_up = grade(ev::test_id::t10_recovery, "crush", {text("The edit failed, sorry.")});
  CHECK(gave_up.outcome == ev::verdict::fail);
  CHECK(gave_up.code == "T10.gave_up");

  // Codex: the blind patch's lines are not in the file; reading with the shell, then a right patch.
  const auto codex = grade(
      ev::test_id::t10_recovery, "codex",
      {calls({{"shell", R"({"command":["bash","-lc","cat calc.py"]})"}}),
       calls({{"apply_patch", obj({{"input", "*** Begin Patch\n*** Update File: calc.py\n@@\n-    return a - b\n+    return a + b\n*** End Patch\n"}})}}),
       text("Done.")});
  CHECK(codex.outcome == ev::verdict::pass);
}

TEST_CASE("T12 wants each profile's exact parameter names") {
  const call crush = edit("calc.py", "    return a - b", "    return a + b");
  const call opencode{"edit", obj({{"filePath", "calc.py"}, {"oldString", "    return a - b"}, {"newString", "    return a + b"}})};
  const call v2{"edit", obj({{"path", "calc.py"}, {"oldString", "    return a - b"}, {"newString", "    return a + b"}})};
  const auto ok = grade(ev::test_id::t12_param_names, "crush", {calls({crush}), calls({opencode}), calls({v2})});
  CHECK(ok.outcome == ev::verdict::pass);

  auto repaired = std::vector<ev::exchange>{calls({crush}), calls({opencode}), calls({v2})};
  repaired[1].args_repaired = 1;
  const auto warned = grade(ev::test_id::t12_param_names, "crush", repaired);
  CHECK(warned.outcome == ev::verdict::warn);
  CHECK(warned.code == "T12.repaired");

  // Claude Code's names sent to OpenCode.
  const auto wrong = grade(ev::test_id::t12_param_names, "crush", {calls({crush}), calls({crush}), calls({v2})});
  CHECK(wrong.outcome == ev::verdict::fail);
  CHECK(wrong.code == "T12.wrong_names");
  CHECK(wrong.reason.find("opencode: 'file_path' is no parameter") != std::string::npos);
}

TEST_CASE("T13 wants 240 hostile lines byte for byte") {
  const std::string& want = ei::t13_content();
  CHECK(ei::split_lines(want).size() == 240);
  CHECK(want.find('\t') != std::string::npos);
  CHECK(want.find("\\\\") != std::string::npos);
  CHECK(want.find("\xF0\x9F\x9A\x80") != std::string::npos);  // a 4-byte code point
  const auto write = [](const std::string& content) {
    return call{"write", obj({{"file_path", "escapes.py"}, {"content", content}})};
  };
  CHECK(grade(ev::test_id::t13_large_content, "crush", {calls({write(want)})}).outcome == ev::verdict::pass);

  std::string twice;
  for (char c : want) {
    if (c == '\\' || c == '"') twice += '\\';
    twice += c;
  }
  const auto doubled = grade(ev::test_id::t13_large_content, "crush", {calls({write(twice)})});
  CHECK(doubled.code == "T13.double_escaped");

  const auto cut = grade(ev::test_id::t13_large_content, "crush", {calls({write(want.substr(0, 3000))}, "length")});
  CHECK(cut.code == "T13.truncated");
  const auto short_content = grade(ev::test_id::t13_large_content, "crush",
                                   {calls({write(want.substr(0, want.find('\n', 2000) + 1))})});
  CHECK(short_content.code == "T13.truncated");
  const auto changed = grade(ev::test_id::t13_large_content, "crush", {calls({write("hello\n")})});
  CHECK(changed.code == "T13.content_differs");

  // Codex writes it with an Add File patch.
  std::string patch = "*** Begin Patch\n*** Add File: escapes.py\n";
  for (const std::string& l : ei::split_lines(want)) patch += "+" + l + "\n";
  patch += "*** End Patch\n";
  CHECK(grade(ev::test_id::t13_large_content, "codex", {calls({{"apply_patch", obj({{"input", patch}})}})}).outcome ==
        ev::verdict::pass);
}

TEST_CASE("T14 parses the envelope by the Codex grammar and applies it") {
  const std::string good = "*** Begin Patch\n*** Update File: calc.py\n@@\n-    return a - b\n+    return a + b\n*** End Patch\n";
  CHECK(grade(ev::test_id::t14_patch, "codex", {calls({{"apply_patch", obj({{"input", good}})}})}).outcome ==
        ev::verdict::pass);
  // Crush has no patch tool: T14 offers OpenCode's gpt-* set, apply_patch(patchText).
  CHECK(grade(ev::test_id::t14_patch, "crush", {calls({{"apply_patch", obj({{"patchText", good}})}})}).outcome ==
        ev::verdict::pass);
  CHECK(ei::t14_profile(profile("crush")).edit_tool.empty());

  const std::string tabbed = "*** Begin Patch\n*** Update File: calc.py\n@@\n-\treturn a - b\n+\treturn a + b\n*** End Patch\n";
  const auto fuzzy = grade(ev::test_id::t14_patch, "codex", {calls({{"apply_patch", obj({{"input", tabbed}})}})});
  CHECK(fuzzy.outcome == ev::verdict::warn);
  CHECK(fuzzy.code == "T14.fuzzy_match");

  const std::string unclosed = "*** Begin Patch\n*** Update File: calc.py\n-    return a - b\n+    return a + b\n";
  const auto bad = grade(ev::test_id::t14_patch, "codex", {calls({{"apply_patch", obj({{"input", unclosed}})}})});
  CHECK(bad.outcome == ev::verdict::fail);
  CHECK(bad.code == "T14.bad_envelope");
  const std::string empty_add = "*** Begin Patch\n*** Add File: x.py\n*** End Patch\n";
  CHECK_FALSE(ei::parse_patch(empty_add).ok);
  const auto moved = ei::parse_patch("*** Begin Patch\n*** Update File: a.py\n*** Move to: b.py\n@@\n-x\n+y\n*** End Patch\n");
  REQUIRE(moved.ok);
  CHECK(moved.files[0].move_to == "b.py");
}

TEST_CASE("virtual directory: globs, shell reads and the client's edit errors") {
  CHECK(ei::glob_match("*.toml", "config.toml"));
  CHECK(ei::glob_match("*.toml", "sub/dir/x.toml"));
  CHECK_FALSE(ei::glob_match("src/*.py", "src/a/b.py"));
  CHECK(ei::glob_match("**/*.py", "src/a/b.py"));
  ei::virtual_fs fs;
  fs.files["a.txt"] = "one\ntwo\n";
  const auto p = profile("crush");
  auto refused = fs.run(p, {"1", "edit", obj({{"file_path", "a.txt"}, {"old_string", "one"}, {"new_string", "1"}})});
  CHECK(refused.error);
  CHECK(refused.text == "you must read the file before editing it. Use the View tool first");
  CHECK_FALSE(fs.run(p, {"2", "view", obj({{"file_path", "/home/u/proj/a.txt"}})}).error);
  auto done = fs.run(p, {"3", "edit", obj({{"file_path", "a.txt"}, {"old_string", "one"}, {"new_string", "1"}})});
  CHECK(done.changed);
  CHECK(fs.files["a.txt"] == "1\ntwo\n");
  auto cat = fs.run(p, {"4", "bash", obj({{"command", "cat a.txt"}, {"description", "x"}})});
  CHECK(cat.text == "1\ntwo\n");
}

TEST_CASE("the score has a fixed denominator and --suggest-config writes what passed") {
  ev::model_result m;
  m.max_points = 8;
  m.points = 6;
  CHECK(m.score() == Approx(0.75));

  harness::config cfg;
  cfg.models.push_back({"native-model", "p", "up-a", {}, 0});
  harness::model_route rescued{"rescued-model", "p", "up-b", {}, 0};
  rescued.policy.rescue = true;
  cfg.models.push_back(rescued);
  cfg.models.push_back({"broken-model", "p", "up-c", {}, 0});
  ev::report r;
  r.tests = {ev::test_id::t1_tool_call};
  auto result = [](const char* name, const char* fixer, ev::verdict v) {
    ev::model_result x;
    x.model = {name, "", fixer, nullptr};
    x.complete = true;
    ev::test_result t;
    t.id = ev::test_id::t1_tool_call;
    t.runs.push_back({v, v == ev::verdict::pass ? "" : "T1.text_call", "", ""});
    x.tests.push_back(t);
    return x;
  };
  r.models = {result("native-model", "off", ev::verdict::pass), result("native-model", "none", ev::verdict::pass),
              result("rescued-model", "off", ev::verdict::fail), result("rescued-model", "rescue", ev::verdict::pass),
              result("broken-model", "off", ev::verdict::fail), result("broken-model", "none", ev::verdict::fail)};
  const std::string toml = ev::render_suggested_config(r, cfg);
  CHECK(toml.find("name = \"native-model\"\nprovider = \"p\"\nmodel = \"up-a\"\npolicy = \"native\"") != std::string::npos);
  CHECK(toml.find("name = \"rescued-model\"\nprovider = \"p\"\nmodel = \"up-b\"\npolicy = \"rescue\"") != std::string::npos);
  CHECK(toml.find("# broken-model: nothing passed: raw: T1 fail (T1.text_call)") != std::string::npos);
  CHECK(toml.find("name = \"broken-model\"") == std::string::npos);
}
