// grade_behaviour.cpp: T5 (parallel reads), T6 (restraint), T7 (clarify), T8 (selection).
// Graded by behaviour (which calls, on what), never by phrases in the text.
#include <algorithm>
#include <set>

#include "eval/args.h"
#include "eval/grading.h"

namespace harness::eval_internal {
namespace {

// The shell command of a call as one string (argv joined), "" when it is no shell call.
std::string shell_text(const client_profile& p, const observed_call& c) {
  if (c.name != p.shell_tool) return "";
  if (p.shell_argv) {
    std::string out;
    for (const std::string& a : strings_arg(c.arguments, p.shell_command).value_or(std::vector<std::string>{}))
      out += (out.empty() ? "" : " ") + a;
    return out;
  }
  return string_arg(c.arguments, p.shell_command).value_or("");
}

bool is_write(const client_profile& p, const observed_call& c) {
  return c.name == p.write_tool || c.name == p.edit_tool || c.name == p.patch_tool ||
         c.name == "multiedit" || c.name == "MultiEdit" || c.name == "download";
}

// A command that only looks (find, ls, grep, ...), judged by its program name; a `bash -lc`
// wrapper (Codex argv) is looked through.
bool harmless_shell(std::string_view cmd) {
  std::vector<std::string_view> words;
  for (std::size_t pos = 0; pos < cmd.size();) {
    const std::size_t end = std::min(cmd.find(' ', pos), cmd.size());
    if (end > pos) words.push_back(cmd.substr(pos, end - pos));
    pos = end + 1;
  }
  std::size_t i = 0;
  if (words.size() > 2 && (words[0] == "bash" || words[0] == "sh") && words[1].starts_with("-")) i = 2;
  if (i >= words.size()) return false;
  for (std::string_view program : {"find", "ls", "grep", "rg", "cat", "head", "fd", "tree"})
    if (words[i] == program) return true;
  return false;
}

}  // namespace

grade grade_t5(const client_profile& p, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T5");
  if (o.calls.empty()) return no_call(o, "T5");
  std::set<std::string> ids, files;
  for (const observed_call& c : o.calls) {
    if (!find_tool(p, c.name)) return fail("T5.unknown_tool", "called '" + c.name + "'", show_call(c));
    if (c.id.empty() || !ids.insert(c.id).second)
      return fail("T5.duplicate_ids", "two calls share an id (or have none)", show_reply(o));
    const std::string target = c.name == p.read_tool ? call_path(c) : shell_text(p, c);
    for (const char* f : {"a.py", "b.py"})
      if (target.find(f) != std::string::npos) files.insert(f);
  }
  if (files.size() == 2 && o.calls.size() >= 2) return pass("read both files in one turn");
  if (files.size() == 2) return pass("read both files with one command");
  if (files.size() == 1)
    return warn("T5.sequential", "read one file this turn (the other would take another turn)",
                show_reply(o));
  return fail("T5.wrong_target", "the calls do not read a.py and b.py", show_reply(o));
}

grade grade_t6(const client_profile&, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T6");
  if (!o.calls.empty()) return fail("T6.called", "called a tool for a plain question", show_reply(o));
  // A malformed call attempt is never an abstention (BFCL #1362).
  if (looks_like_text_call(o.text))
    return fail("T6.text_call", "printed a tool call for a plain question", show_reply(o));
  if (o.text.empty()) return fail("T6.empty", "an empty answer");
  return pass("answered without tools");
}

grade grade_t7(const client_profile& p, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T7");
  if (o.calls.empty()) {
    if (looks_like_text_call(o.text))
      return fail("T7.text_call", "printed a call as text", show_reply(o));
    return o.text.empty() ? fail("T7.empty", "an empty answer") : pass("asked instead of guessing");
  }
  for (const observed_call& c : o.calls)
    if (is_write(p, c))
      return fail("T7.invented_path", "changed a file no one named: " + call_path(c), show_call(c));
  for (const observed_call& c : o.calls) {
    const std::string cmd = shell_text(p, c);
    if (c.name == p.shell_tool && !harmless_shell(cmd))
      return warn("T7.shell", "ran a command that is not plain discovery", show_call(c));
  }
  return pass("looked for the config first (" + o.calls.front().name + ")");
}

grade grade_t8(const client_profile& p, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T8");
  if (o.calls.empty()) return no_call(o, "T8");
  const observed_call& c = o.calls.front();
  const bool has_glob = find_tool(p, "glob") || find_tool(p, "Glob");
  if (c.name == "glob" || c.name == "Glob") {
    const std::string pattern = string_arg(c.arguments, "pattern").value_or("");
    if (pattern.find(".toml") == std::string::npos)
      return fail("T8.wrong_pattern", "glob pattern '" + pattern + "' does not find .toml files",
                  show_call(c));
    return pass("glob " + pattern);
  }
  const std::string cmd = shell_text(p, c);
  if (!cmd.empty() && cmd.find("toml") != std::string::npos && harmless_shell(cmd)) {
    if (has_glob) return warn("T8.shell", "used the shell although glob was offered", show_call(c));
    return pass("found them with the shell (no glob tool offered)");
  }
  if (c.name == "ls" || c.name == "list")
    return warn("T8.list", "listed directories instead of globbing", show_call(c));
  return fail("T8.wrong_tool", "picked '" + c.name + "' to find files", show_call(c));
}

}  // namespace harness::eval_internal
