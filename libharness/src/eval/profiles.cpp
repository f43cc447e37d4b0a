// profiles.cpp: the built-in client profiles: each client's real tool array and which tool
// plays which role, with the parameter names that client uses (docs/evaluator.md A, B).
#include <harness/codec.h>
#include <harness/eval.h>

#include <cstdio>

#include "eval/tool_sets.h"

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

std::string fnv1a_hex(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Roles per client, with that client's exact parameter names.
void assign_roles(client_profile& p) {
  if (p.name == "crush") {
    p.reads = read_format::crush;
    p.read_tool = "view", p.read_path = "file_path";
    p.write_tool = "write", p.write_path = "file_path", p.write_content = "content";
    p.edit_tool = "edit", p.edit_path = "file_path", p.edit_old = "old_string", p.edit_new = "new_string";
    p.shell_tool = "bash", p.shell_command = "command";
  } else if (p.name == "opencode" || p.name == "opencode-v2") {
    const bool v2 = p.name == "opencode-v2";
    const char* path = v2 ? "path" : "filePath";
    p.reads = read_format::opencode;
    p.read_tool = "read", p.read_path = path;
    p.write_tool = "write", p.write_path = path, p.write_content = "content";
    p.edit_tool = "edit", p.edit_path = path, p.edit_old = "oldString", p.edit_new = "newString";
    p.shell_tool = v2 ? "shell" : "bash", p.shell_command = "command";
    if (v2) p.patch_tool = "patch", p.patch_text = "patchText";
  } else if (p.name == "claude-code") {
    p.reads = read_format::cat_n;
    p.read_tool = "Read", p.read_path = "file_path";
    p.write_tool = "Write", p.write_path = "file_path", p.write_content = "content";
    p.edit_tool = "Edit", p.edit_path = "file_path", p.edit_old = "old_string", p.edit_new = "new_string";
    p.shell_tool = "Bash", p.shell_command = "command";
  } else if (p.name == "codex") {
    p.reads = read_format::shell_plain;
    p.patch_tool = "apply_patch", p.patch_text = "input";
    p.shell_tool = "shell", p.shell_command = "command", p.shell_argv = true;
  }
}

}  // namespace

const std::vector<std::string>& profile_names() {
  static const std::vector<std::string> names{"crush", "opencode", "opencode-v2", "claude-code",
                                              "codex"};
  return names;
}

result<client_profile> builtin_profile(std::string_view name) {
  const std::string_view tools = eval_internal::tool_set_json(name);
  if (tools.empty()) {
    std::string known;
    for (const auto& n : profile_names()) known += (known.empty() ? "" : ", ") + n;
    return make_error(errc::invalid_request,
                      "unknown profile '" + std::string(name) + "'; known: " + known);
  }
  // The codec reads the array exactly as it would read it from a client.
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":)";
  body.append(tools).append("}");
  auto decoded = decode_request(dialect::openai, body);
  if (!decoded) return std::move(decoded).error_value();
  client_profile p;
  p.name = std::string(name);
  p.tools = std::move(decoded->tools);
  p.tools_hash = fnv1a_hex(tools);
  assign_roles(p);
  return p;
}

std::string format_read_output(const client_profile& profile, std::string_view path,
                               std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::string out;
  char num[32];
  switch (profile.reads) {
    case read_format::crush:  // view.go: "<file>\n" + "%6d|%s" lines + "\n</file>\n"
      out = "<file>\n";
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::snprintf(num, sizeof num, "%6zu|", i + 1);
        out.append(num).append(lines[i]).append("\n");
      }
      out += "</file>\n";
      break;
    case read_format::opencode:  // read.ts: <path>, <type>, <content> with "N: " lines
      out = "<path>" + std::string(path) + "</path>\n<type>file</type>\n<content>\n";
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::snprintf(num, sizeof num, "%zu: ", i + 1);
        out.append(num).append(lines[i]).append("\n");
      }
      std::snprintf(num, sizeof num, "%zu", lines.size());
      out += "\n(End of file - total " + std::string(num) + " lines)\n</content>";
      break;
    case read_format::cat_n:  // Claude Code's Read: cat -n
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::snprintf(num, sizeof num, "%6zu\t", i + 1);
        out.append(num).append(lines[i]).append("\n");
      }
      break;
    case read_format::shell_plain:  // Codex shell output
      out = "Exit code: 0\nWall time: 0.0 seconds\nOutput:\n" + std::string(text);
      break;
  }
  return out;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
