#include "eval/edits.h"

#include <cctype>

namespace harness::eval_internal {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view indent_of(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && (s[n] == ' ' || s[n] == '\t')) ++n;
  return s.substr(0, n);
}

std::string join(const std::vector<std::string>& lines, bool final_newline) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || final_newline) out += '\n';
  }
  return out;
}

// Where `needle` occurs as consecutive lines of `hay`, comparing exactly or trimmed.
std::vector<std::size_t> find_lines(const std::vector<std::string>& hay,
                                    const std::vector<std::string>& needle, bool trimmed) {
  std::vector<std::size_t> at;
  if (needle.empty() || needle.size() > hay.size()) return at;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool same = true;
    for (std::size_t j = 0; j < needle.size() && same; ++j)
      same = trimmed ? trim(hay[i + j]) == trim(needle[j]) : hay[i + j] == needle[j];
    if (same) at.push_back(i);
  }
  return at;
}

// Replaces lines [at, at+count) by `repl`; when `reindent`, lines indented like the model's
// old text (`from_indent`) get the file's indentation instead (OpenCode's tolerant replacers).
std::string splice(std::vector<std::string> lines, std::size_t at, std::size_t count,
                   const std::vector<std::string>& repl, bool reindent,
                   std::string_view from_indent, bool final_newline) {
  const std::string to_indent(indent_of(lines[at]));
  std::vector<std::string> fixed;
  for (const std::string& r : repl) {
    if (reindent && !r.empty() && r.compare(0, from_indent.size(), from_indent) == 0)
      fixed.push_back(to_indent + r.substr(from_indent.size()));
    else
      fixed.push_back(r);
  }
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at),
              lines.begin() + static_cast<std::ptrdiff_t>(at + count));
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), fixed.begin(), fixed.end());
  return join(lines, final_newline);
}

}  // namespace

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    out.emplace_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

bool has_line_number_prefix(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  const std::size_t digits = i;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  return i > digits && i < line.size() && (line[i] == '|' || line[i] == '\t' || line[i] == ':');
}

edit_outcome apply_edit(std::string_view file, std::string_view old_text, std::string_view new_text,
                        bool replace_all) {
  edit_outcome out;
  if (old_text.empty()) return out;
  std::size_t first = file.find(old_text);
  if (first != std::string_view::npos) {
    const bool again = file.find(old_text, first + 1) != std::string_view::npos;
    if (again && !replace_all) {
      out.match = edit_match::ambiguous;
      return out;
    }
    std::string text(file);
    for (std::size_t p = text.find(old_text); p != std::string::npos;
         p = replace_all ? text.find(old_text, p + new_text.size()) : std::string::npos)
      text.replace(p, old_text.size(), new_text);
    out.match = edit_match::exact;
    out.text = std::move(text);
    return out;
  }
  // OpenCode-style fallback: the same lines with their whitespace ignored.
  const auto lines = split_lines(file);
  const auto old_lines = split_lines(old_text);
  const auto at = find_lines(lines, old_lines, true);
  if (at.size() > 1) out.match = edit_match::ambiguous;
  if (at.size() != 1) return out;
  out.match = edit_match::fuzzy;
  out.text = splice(lines, at.front(), old_lines.size(), split_lines(new_text), true,
                    indent_of(old_lines.front()), !file.empty() && file.back() == '\n');
  return out;
}

parsed_patch parse_patch(std::string_view text) {
  parsed_patch p;
  auto lines = split_lines(text);
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  if (lines.empty() || trim(lines.front()) != "*** Begin Patch") {
    p.error = "does not start with '*** Begin Patch'";
    return p;
  }
  if (trim(lines.back()) != "*** End Patch") {
    p.error = "does not end with '*** End Patch'";
    return p;
  }
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    const std::string& l = lines[i];
    auto header = [&](std::string_view tag, patch_file::op kind) {
      if (l.compare(0, tag.size(), tag) != 0) return false;
      p.files.push_back({kind, std::string(trim(std::string_view(l).substr(tag.size()))), {}, {}});
      return true;
    };
    if (header("*** Add File: ", patch_file::op::add) ||
        header("*** Update File: ", patch_file::op::update) ||
        header("*** Delete File: ", patch_file::op::remove))
      continue;
    if (p.files.empty()) {
      p.error = "line " + std::to_string(i + 1) + " is outside any file operation";
      return p;
    }
    constexpr std::string_view kMove = "*** Move to: ";
    if (l.compare(0, kMove.size(), kMove) == 0 && p.files.back().kind == patch_file::op::update &&
        p.files.back().lines.empty() && p.files.back().move_to.empty()) {
      p.files.back().move_to = std::string(trim(std::string_view(l).substr(kMove.size())));
      continue;
    }
    if (l == "*** End of File" || l.compare(0, 2, "@@") == 0) {
      p.files.back().lines.push_back(l);
      continue;
    }
    const char sign = l.empty() ? ' ' : l.front();
    const bool add = p.files.back().kind == patch_file::op::add;
    if ((add && sign != '+') || (!add && sign != ' ' && sign != '+' && sign != '-')) {
      p.error = "line " + std::to_string(i + 1) + " has no ' ', '+' or '-' prefix";
      return p;
    }
    p.files.back().lines.push_back(l.empty() ? " " : l);
  }
  if (p.files.empty()) {
    p.error = "no file operation";
    return p;
  }
  for (const patch_file& f : p.files) {
    if (f.path.empty()) {
      p.error = "a file operation names no file";
      return p;
    }
    if (f.kind == patch_file::op::add && f.lines.empty()) {
      p.error = "'*** Add File: " + f.path + "' has no '+' line";
      return p;
    }
    if (f.kind == patch_file::op::remove && !f.lines.empty()) {
      p.error = "'*** Delete File: " + f.path + "' has body lines";
      return p;
    }
  }
  p.ok = true;
  return p;
}

std::string added_content(const patch_file& f) {
  std::string out;
  for (const std::string& l : f.lines)
    if (!l.empty() && l.front() == '+') out += l.substr(1) + "\n";
  return out;
}

edit_outcome apply_update(const patch_file& f, std::string_view file) {
  edit_outcome out;
  std::vector<std::string> lines = split_lines(file);
  const bool final_newline = !file.empty() && file.back() == '\n';
  bool fuzzy = false;
  // Hunks are separated by "@@" lines; each replaces its ' '/'-' lines by its ' '/'+' lines.
  std::vector<std::vector<std::string>> hunks(1);
  for (const std::string& l : f.lines) {
    if (l.compare(0, 2, "@@") == 0 || l == "*** End of File") {
      if (!hunks.back().empty()) hunks.emplace_back();
      continue;
    }
    hunks.back().push_back(l);
  }
  for (const auto& h : hunks) {
    if (h.empty()) continue;
    std::vector<std::string> before, after;
    for (const std::string& l : h) {
      if (l.front() != '+') before.push_back(l.substr(1));
      if (l.front() != '-') after.push_back(l.substr(1));
    }
    auto at = find_lines(lines, before, false);
    std::string_view from_indent;
    if (at.empty()) {
      at = find_lines(lines, before, true);
      fuzzy = true;
      if (!before.empty()) from_indent = indent_of(before.front());
    }
    if (at.size() != 1) {
      out.match = at.empty() ? edit_match::not_found : edit_match::ambiguous;
      return out;
    }
    const std::string joined =
        splice(lines, at.front(), before.size(), after, fuzzy, from_indent, final_newline);
    lines = split_lines(joined);
  }
  out.match = fuzzy ? edit_match::fuzzy : edit_match::exact;
  out.text = join(lines, final_newline);
  return out;
}

}  // namespace harness::eval_internal
