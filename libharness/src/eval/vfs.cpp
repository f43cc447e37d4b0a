// vfs.cpp: the virtual project directory of the multi-turn tests. Error texts are the clients'
// own (Crush edit.go, OpenCode edit.ts, Claude Code, Codex apply_patch), because a model's
// recovery depends on what the client tells it.
#include "eval/vfs.h"

#include <algorithm>

#include "eval/args.h"
#include "eval/edits.h"
#include "eval/grading.h"

namespace harness::eval_internal {
namespace {

call_outcome ok(std::string text, bool changed = false) { return {std::move(text), false, changed, false}; }
call_outcome error(std::string text) { return {std::move(text), true, false, false}; }

bool crush(const eval::client_profile& p) { return p.name == "crush"; }
bool claude(const eval::client_profile& p) { return p.name == "claude-code"; }
bool opencode(const eval::client_profile& p) { return p.name.rfind("opencode", 0) == 0; }

std::string not_found_error(const eval::client_profile& p, std::string_view old_text) {
  if (crush(p)) return "old_string not found in file. Make sure it matches exactly, including whitespace and line breaks";
  if (claude(p)) return "String to replace not found in file.\nString: " + std::string(old_text);
  if (opencode(p)) return "oldString not found in content";
  return "Failed to find expected lines in the file";
}

std::string ambiguous_error(const eval::client_profile& p) {
  if (crush(p)) return "old_string appears multiple times in the file. Please provide more context to ensure a unique match, or set replace_all to true";
  if (opencode(p)) return "Found multiple matches for oldString. Provide more surrounding lines in oldString to identify the correct match.";
  return "Found multiple matches of the string to replace. Provide more context to make it unique.";
}

std::string missing_file_error(const eval::client_profile& p, std::string_view path) {
  if (crush(p)) return "file not found: " + std::string(path);
  if (opencode(p)) return "File not found: " + std::string(path);
  return "File does not exist.";
}

std::vector<std::string> shell_words(std::string_view cmd) {
  std::vector<std::string> out;
  std::string cur;
  bool any = false;
  char quote = 0;
  for (char c : cmd) {
    if (quote) {
      if (c == quote) quote = 0;
      else cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      any = true;
    } else if (c == ' ' || c == '\t') {
      if (any || !cur.empty()) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur += c;
    }
  }
  if (any || !cur.empty()) out.push_back(cur);
  return out;
}

bool glob_at(std::string_view pat, std::string_view s) {
  if (pat.empty()) return s.empty();
  if (pat.starts_with("**/")) {
    for (std::size_t i = 0;; i = s.find('/', i) + 1) {
      if (glob_at(pat.substr(3), s.substr(i))) return true;
      if (s.find('/', i) == std::string_view::npos) return false;
    }
  }
  if (pat.front() == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (glob_at(pat.substr(1), s.substr(i))) return true;
      if (i < s.size() && s[i] == '/') return false;
    }
    return false;
  }
  if (s.empty()) return false;
  if (pat.front() == '?' || pat.front() == s.front()) return glob_at(pat.substr(1), s.substr(1));
  return false;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  while (pattern.starts_with("./")) pattern.remove_prefix(2);
  if (pattern.find('/') == std::string_view::npos) {
    const std::size_t slash = path.rfind('/');
    return glob_at(pattern, slash == std::string_view::npos ? path : path.substr(slash + 1));
  }
  return glob_at(pattern, path);
}

std::string must_read_first_error(const eval::client_profile& p, std::string_view path) {
  if (crush(p)) return "you must read the file before editing it. Use the View tool first";
  if (claude(p)) return "File has not been read yet. Read it first before writing to it.";
  if (opencode(p))
    return "You must read file " + std::string(path) + " before overwriting it. Use the Read tool first";
  return "you must read the file before editing it";
}

std::string shell_command_of(const eval::client_profile& p, const observed_call& c) {
  if (p.shell_tool.empty() || c.name != p.shell_tool) return "";
  if (!p.shell_argv) return string_arg(c.arguments, p.shell_command).value_or("");
  const auto argv = strings_arg(c.arguments, p.shell_command).value_or(std::vector<std::string>{});
  if (argv.size() == 3 && (argv[0] == "bash" || argv[0] == "sh") && argv[1].starts_with("-")) return argv[2];
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

std::string virtual_fs::resolve(std::string_view path) const {
  while (path.starts_with("./")) path.remove_prefix(2);
  if (!path.starts_with("/")) return std::string(path);
  for (const auto& [name, text] : files)
    if (path.ends_with("/" + name)) return name;
  return std::string(path.substr(1));
}

call_outcome virtual_fs::read(const eval::client_profile& p, const std::string& path) {
  const auto it = files.find(path);
  if (it == files.end()) return error(missing_file_error(p, path));
  read_.insert(path);
  return ok(eval::format_read_output(p, path, it->second));
}

call_outcome virtual_fs::edit(const eval::client_profile& p, const observed_call& c) {
  const std::string path = resolve(string_arg(c.arguments, p.edit_path).value_or(call_path(c)));
  const auto old_text = string_arg(c.arguments, p.edit_old);
  const auto new_text = string_arg(c.arguments, p.edit_new);
  if (!old_text || !new_text)
    return error("invalid arguments: " + p.edit_old + " and " + p.edit_new + " are required");
  const auto it = files.find(path);
  if (it == files.end()) return error(missing_file_error(p, path));
  if (!read_.count(path)) return error(must_read_first_error(p, path));
  const bool all = bool_arg(c.arguments, "replace_all") || bool_arg(c.arguments, "replaceAll");
  const edit_outcome out = apply_edit(it->second, *old_text, *new_text, all);
  if (out.match == edit_match::ambiguous) return error(ambiguous_error(p));
  // Only OpenCode's replacers tolerate whitespace differences.
  if (out.match == edit_match::not_found || (out.match == edit_match::fuzzy && !opencode(p)))
    return error(not_found_error(p, *old_text));
  it->second = out.text;
  call_outcome done = ok(crush(p) ? "Content replaced in file: " + path : "Edit applied successfully.", true);
  done.fuzzy = out.match == edit_match::fuzzy;
  return done;
}

call_outcome virtual_fs::patch(const eval::client_profile&, std::string_view text) {
  const parsed_patch patch = parse_patch(text);
  if (!patch.ok) return error("apply_patch verification failed: invalid patch: " + patch.error);
  std::map<std::string, std::string> next = files;
  std::string summary = "Success. Updated the following files:\n";
  bool fuzzy = false;
  for (const patch_file& f : patch.files) {
    const std::string path = resolve(f.path);
    switch (f.kind) {
      case patch_file::op::add:
        next[path] = added_content(f);
        summary += "A " + path + "\n";
        break;
      case patch_file::op::remove:
        if (!next.erase(path)) return error("apply_patch verification failed: Failed to delete file " + path);
        summary += "D " + path + "\n";
        break;
      case patch_file::op::update: {
        const auto it = next.find(path);
        if (it == next.end())
          return error("apply_patch verification failed: Failed to read file to update " + path);
        const edit_outcome out = apply_update(f, it->second);
        if (out.match != edit_match::exact && out.match != edit_match::fuzzy)
          return error("apply_patch verification failed: Failed to find expected lines in " + path);
        fuzzy = fuzzy || out.match == edit_match::fuzzy;  // Codex's seek tolerates whitespace
        std::string text_after = out.text;
        if (!f.move_to.empty()) {
          next.erase(it);
          next[resolve(f.move_to)] = std::move(text_after);
        } else {
          it->second = std::move(text_after);
        }
        summary += "M " + path + "\n";
        break;
      }
    }
  }
  files = std::move(next);
  call_outcome done = ok(summary, true);
  done.fuzzy = fuzzy;
  return done;
}

std::string virtual_fs::find(std::string_view pattern) const {
  std::string out;
  for (const auto& [name, text] : files)
    if (glob_match(pattern, name)) out += name + "\n";
  return out;
}

std::string virtual_fs::grep(std::string_view pattern) const {
  std::string out;
  for (const auto& [name, text] : files) {
    const auto lines = split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (lines[i].find(pattern) != std::string::npos)
        out += name + ":" + std::to_string(i + 1) + ":" + lines[i] + "\n";
  }
  return out;
}

// Read-only commands a model uses to look around; anything else "runs" without effect.
call_outcome virtual_fs::shell(const eval::client_profile& p, const std::string& command) {
  const auto words = shell_words(command);
  std::string output;
  bool failed = false;
  if (!words.empty() && words[0] == "cat") {
    for (std::size_t i = 1; i < words.size(); ++i) {
      const std::string path = resolve(words[i]);
      const auto it = files.find(path);
      if (it == files.end()) {
        output += "cat: " + words[i] + ": No such file or directory\n";
        failed = true;
      } else {
        output += it->second;
        read_.insert(path);
      }
    }
  } else if (!words.empty() && words[0] == "ls") {
    for (const auto& [name, text] : files) output += name + "\n";
  } else if (!words.empty() && words[0] == "find") {
    const auto at = std::find(words.begin(), words.end(), "-name");
    output = find(at != words.end() && at + 1 != words.end() ? *(at + 1) : "*");
  } else if (!words.empty() && (words[0] == "grep" || words[0] == "rg")) {
    for (std::size_t i = 1; i < words.size(); ++i)
      if (!words[i].starts_with("-")) {
        output = grep(words[i]);
        break;
      }
  }
  const std::string code = failed ? "1" : "0";
  if (p.name == "codex") return {"Exit code: " + code + "\nWall time: 0.0 seconds\nOutput:\n" + output, failed, false, false};
  return {output.empty() ? "(no output)" : output, failed, false, false};
}

call_outcome virtual_fs::run(const eval::client_profile& p, const observed_call& c) {
  if (!p.read_tool.empty() && c.name == p.read_tool)
    return read(p, resolve(string_arg(c.arguments, p.read_path).value_or(call_path(c))));
  if (!p.write_tool.empty() && c.name == p.write_tool) {
    const std::string path = resolve(string_arg(c.arguments, p.write_path).value_or(call_path(c)));
    const auto content = string_arg(c.arguments, p.write_content);
    if (path.empty() || !content) return error("invalid arguments: a path and the content are required");
    if (files.count(path) && !read_.count(path)) return error(must_read_first_error(p, path));
    files[path] = *content;
    read_.insert(path);
    return ok("File successfully written: " + path, true);
  }
  if (!p.edit_tool.empty() && c.name == p.edit_tool) return edit(p, c);
  if (!p.patch_tool.empty() && c.name == p.patch_tool)
    return patch(p, string_arg(c.arguments, p.patch_text).value_or(""));
  if (!p.shell_tool.empty() && c.name == p.shell_tool) return shell(p, shell_command_of(p, c));
  if (c.name == "glob" || c.name == "Glob") {
    const std::string found = find(string_arg(c.arguments, "pattern").value_or("*"));
    return ok(found.empty() ? "No files found" : found);
  }
  if (c.name == "grep" || c.name == "Grep") {
    const std::string found = grep(string_arg(c.arguments, "pattern").value_or(""));
    return ok(found.empty() ? "No files found" : found);
  }
  if (c.name == "ls" || c.name == "list" || c.name == "LS") return ok(find("**/*"));
  return ok("ok");
}

}  // namespace harness::eval_internal
