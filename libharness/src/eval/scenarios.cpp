// scenarios.cpp: fixtures of the multi-step tests. Turn texts are plain requests a user would
// type; every one is solvable from what the model was told and shown (gorilla #771).
#include "eval/scenarios.h"

#include <cstdio>

#include <harness/codec.h>

#include "eval/requests.h"
#include "eval/tool_sets.h"
#include "json/writer.h"

namespace harness::eval_internal {
namespace {

// A module long enough that reading it is a large tool output (~130 lines).
std::string app_py(const char* port) {
  std::string s = "\"\"\"A small HTTP service used by the evaluator's T9.\"\"\"\n\nimport json\n\n";
  s += std::string("PORT = ") + port + "\n\n";
  char buf[256];
  for (int i = 1; i <= 24; ++i) {
    std::snprintf(buf, sizeof buf,
                  "\ndef handle_route_%02d(request):\n    \"\"\"Answer route %d.\"\"\"\n"
                  "    body = {\"route\": %d, \"path\": request.path}\n    return json.dumps(body)\n",
                  i, i, i);
    s += buf;
  }
  s += "\n\nif __name__ == \"__main__\":\n    print(PORT)\n";
  return s;
}

}  // namespace

virtual_fs t9_files() {
  virtual_fs fs;
  fs.files["README.md"] = "# demo\n\nA small service. Settings live in config.toml.\n";
  fs.files["todo.txt"] = "- write tests\n- fix parser\n- update docs\n";
  fs.files["config.toml"] = "debug = false\nport = 8000\n";
  fs.files["src/app.py"] = app_py("8000");
  return fs;
}

std::vector<user_turn> t9_turns() {
  return {
      {"Read todo.txt and README.md.", false, 2},
      {"Find all *.toml files in this project.", false, 1},
      {"Search the project for `def handle_route_07`.", false, 1},
      {"In config.toml, change `debug = false` to `debug = true`.", false, 1},
      {"You can edit files again now: the write and edit tools are back. In config.toml, change "
       "`debug = false` to `debug = true`.",
       true, 2},
      {"Create notes.md with this content:\n```\n# Notes\n\nDebug logging is on.\n```", true, 1},
      {"In todo.txt, replace `- fix parser` with `- fix parser (done)`.", true, 2},
      {"In src/app.py, change `PORT = 8000` to `PORT = 8080`.", true, 2},
      {"Show notes.md.", true, 1},
  };
}

std::map<std::string, std::string> t9_goal() {
  std::map<std::string, std::string> goal = t9_files().files;
  goal["config.toml"] = "debug = true\nport = 8000\n";
  goal["notes.md"] = "# Notes\n\nDebug logging is on.\n";
  goal["todo.txt"] = "- write tests\n- fix parser (done)\n- update docs\n";
  goal["src/app.py"] = app_py("8080");
  return goal;
}

session t9_session(const eval::client_profile& p, const std::string& model) {
  return session(p, model, t9_files(), t9_turns());
}

observed_call t10_failed_call(const eval::client_profile& p) {
  auto q = [](std::string_view s) { return detail::quote_json(s); };
  if (!p.edit_tool.empty())
    return {"call_edit_blind", p.edit_tool,
            "{" + q(p.edit_path) + ":" + q(kT4Path) + "," + q(p.edit_old) + ":" + q("    return a - b") +
                "," + q(p.edit_new) + ":" + q("    return a + b") + "}"};
  // A patch written from memory: its context line is not in the file.
  return {"call_patch_blind", p.patch_tool,
          "{" + q(p.patch_text) + ":" +
              q("*** Begin Patch\n*** Update File: calc.py\n@@\n-    return a-b\n+    return a+b\n*** End Patch\n") +
              "}"};
}

session t10_session(const eval::client_profile& p, const std::string& model) {
  virtual_fs fs;
  fs.files[kT4Path] = std::string(eval::t4_fixture());
  const observed_call blind = t10_failed_call(p);
  const call_outcome refused = virtual_fs(fs).run(p, blind);  // the client's own error text
  std::vector<message> opening;
  opening.push_back(text_message(role::user, kT4Prompt));
  opening.push_back(assistant_calls({blind}));
  opening.push_back(tool_result_message(blind.id, blind.name, refused.text));
  return session(p, model, std::move(fs), {}, std::move(opening), kT10MaxSteps);
}

const std::vector<std::string>& t12_profiles() {
  static const std::vector<std::string> names{"crush", "opencode", "opencode-v2"};
  return names;
}

const std::string& t13_content() {
  static const std::string content = [] {
    std::string s = "# T13 fixture: quotes, backslashes, tabs and unicode must survive byte for byte.\n";
    char buf[256];
    for (int i = 1; i <= 239; ++i) {
      switch (i % 6) {
        case 0: std::snprintf(buf, sizeof buf, "\tprint(\"line %03d: \\\"double\\\" and 'single' quotes\")\n", i); break;
        case 1: std::snprintf(buf, sizeof buf, "    path_%03d = r\"C:\\Users\\dev\\file_%03d.txt\"  # backslashes\n", i, i); break;
        case 2: std::snprintf(buf, sizeof buf, "\t\tregex_%03d = \"\\\\d+\\\\.\\\\d+\\\\s*\"\t# escaped\n", i); break;
        case 3: std::snprintf(buf, sizeof buf, "    text_%03d = \"caf\u00e9 na\u00efve \u65e5\u672c\u8a9e \u03a9 \U0001F680 %03d\"\n", i, i); break;
        case 4: std::snprintf(buf, sizeof buf, "\tjson_%03d = '{\"key\": \"value\\n\", \"n\": %d, \"html\": \"</script>\"}'\n", i, i); break;
        default: std::snprintf(buf, sizeof buf, "    # comment %03d ends with a backslash \\\n", i); break;
      }
      s += buf;
    }
    return s;
  }();
  return content;
}

std::string t13_prompt() {
  return std::string("Write the following content to ") + kT13Path +
         " exactly as given, byte for byte:\n```\n" + t13_content() + "```";
}

eval::client_profile t14_profile(const eval::client_profile& p) {
  if (!p.patch_tool.empty()) return p;
  auto base = eval::builtin_profile("opencode");
  eval::client_profile out = base ? *base : p;
  std::vector<tool_spec> tools;
  for (tool_spec& t : out.tools)
    if (t.name != "edit" && t.name != "write") tools.push_back(std::move(t));
  // OpenCode 1.x's apply_patch (shared/conformance/tools/opencode-conditional.json).
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"apply_patch","description":"Apply a *** Begin Patch envelope (sent INSTEAD of edit/write to gpt-* models).","parameters":{"type":"object","properties":{"patchText":{"type":"string","description":"Whole patch text"}},"required":["patchText"],"additionalProperties":false,"$schema":"https://json-schema.org/draft/2020-12/schema"}}}]})";
  if (auto decoded = decode_request(dialect::openai, body); decoded && !decoded->tools.empty())
    tools.push_back(decoded->tools.front());
  out.tools = std::move(tools);
  out.name = "opencode (gpt-* tools)";
  out.edit_tool.clear();
  out.write_tool.clear();
  out.patch_tool = "apply_patch";
  out.patch_text = "patchText";
  return out;
}

}  // namespace harness::eval_internal
