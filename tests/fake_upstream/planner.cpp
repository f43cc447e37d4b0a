#include "planner.h"

#include "intent.h"
#include "tools.h"

namespace fake {
namespace {

std::string ext_of(const std::string &path) {
  std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(dot + 1);
}

std::string sample_content(const std::string &path) {
  std::string ext = ext_of(path);
  if (ext == "py") return "print(\"hello\")\n";
  if (ext == "js" || ext == "ts") return "console.log(\"hello\");\n";
  if (ext == "sh") return "#!/bin/sh\necho hello\n";
  return "hello\n";
}

ToolCall call(const ToolDef &tool, const ArgHints &hints) {
  return ToolCall{"", tool.name, build_arguments(tool, hints)};
}

/// A turn that creates `path` with whatever write-capable tool is offered.
Turn create_file(const std::vector<ToolDef> &tools, const std::string &path, const std::string &content = "") {
  ArgHints h;
  h.path = path;
  h.content = content.empty() ? sample_content(path) : content;
  h.description = "Create " + path;
  if (const ToolDef *t = find_tool(tools, ToolRole::write)) return {"", {call(*t, h)}};
  if (const ToolDef *t = find_tool(tools, ToolRole::patch)) {
    h.patch = "*** Begin Patch\n*** Add File: " + path + "\n";
    for (std::size_t pos = 0; pos < h.content.size();) {
      std::size_t nl = h.content.find('\n', pos);
      h.patch += "+" + h.content.substr(pos, nl - pos) + "\n";
      pos = nl == std::string::npos ? h.content.size() : nl + 1;
    }
    h.patch += "*** End Patch\n";
    h.content = h.patch;
    return {"", {call(*t, h)}};
  }
  if (const ToolDef *t = find_tool(tools, ToolRole::shell)) {
    h.command = "printf 'hello\\n' > " + path;
    return {"", {call(*t, h)}};
  }
  return {"", {call(tools.front(), h)}};
}

/// The line an edit changes: one with a BUG/FIXME marker, else a `return` with " - ", else the
/// first `return`, else the first non-empty line.
std::size_t target_line(const std::vector<std::string> &lines) {
  for (std::string_view marker : {"BUG", "FIXME", " - ", "return"})
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (lines[i].find(marker) != std::string::npos) return i;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!lines[i].empty()) return i;
  return 0;
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::size_t count(const std::string &hay, const std::string &needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

/// An edit call fixing the read file, or no call when the result holds no file text.
std::optional<ToolCall> edit_call(const ToolDef &edit, const ToolResult &read, const std::string &path,
                                  const std::string &request, const PlanOptions &opt) {
  bool had_prefixes = false;
  std::string file = file_text_from_read(read.content, &had_prefixes);
  std::vector<std::string> lines = split_lines(file);
  if (lines.empty()) return std::nullopt;
  std::size_t i = target_line(lines);
  std::string old_string = lines[i];
  // Grow the snippet downwards until it is unique in the file (exact-match edit tools).
  for (std::size_t j = i + 1; count(file, old_string) > 1 && j < lines.size(); ++j)
    old_string += "\n" + lines[j];
  std::string new_string = old_string;
  if (std::size_t p = new_string.find(" - "); p != std::string::npos) new_string.replace(p, 3, " + ");
  else new_string += "  # fixed";
  // "change `a` to `b`": the user said what to replace, and `a` is a line of the file.
  std::vector<std::string> spans = quoted_spans(request);
  if (spans.size() >= 2 && spans[0].find('\n') == std::string::npos && count(file, spans[0]) == 1) {
    for (std::size_t k = 0; k < lines.size(); ++k)
      if (lines[k].find(spans[0]) != std::string::npos) i = k;
    old_string = spans[0];
    new_string = spans[1];
  }
  if (opt.reindent_edit) {
    auto tabbed = [](const std::string &text) {
      std::string out;
      for (const std::string &l : split_lines(text)) {
        std::size_t n = l.find_first_not_of(" \t");
        out += (out.empty() ? "" : "\n") + (n == std::string::npos ? l : "\t" + l.substr(n));
      }
      return out;
    };
    old_string = tabbed(old_string);
    new_string = tabbed(new_string);
  }
  if (opt.sloppy_edit) {
    // Copy the line as the read tool showed it: line-number prefix included, or re-indented.
    std::string raw;
    std::size_t shown = 0;
    for (std::string_view rest = read.content; !rest.empty();) {
      std::size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      std::size_t n = line_prefix_length(line);
      if (had_prefixes && n > 0 && shown++ == i) raw = std::string(line);
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    old_string = raw.empty() ? "\t" + lines[i] + " " : raw;
    if (count(file, old_string) > 0) old_string = "    1|" + old_string;
  }
  ArgHints h;
  h.path = path;
  h.old_string = old_string;
  h.new_string = new_string;
  h.content = new_string;
  if (role_of(edit.name) == ToolRole::patch) {
    // apply_patch: an Update File hunk, one -/+ line per line of the snippet.
    auto prefixed = [](const std::string &text, char sign) {
      std::string out;
      for (const std::string &l : split_lines(text)) out += sign + l + "\n";
      return out;
    };
    h.patch = "*** Begin Patch\n*** Update File: " + path + "\n@@\n" + prefixed(old_string, '-') +
              prefixed(new_string, '+') + "*** End Patch\n";
    h.content = h.patch;
  }
  h.description = "Fix " + path;
  return call(edit, h);
}

/// The results answering the last assistant turn (one message per result in OpenAI).
std::vector<const ToolResult *> last_results(const Request &req) {
  std::vector<const ToolResult *> out;
  for (auto it = req.messages.rbegin(); it != req.messages.rend() && !it->results.empty(); ++it)
    for (const ToolResult &r : it->results) out.insert(out.begin(), &r);
  return out;
}

const ToolCall *call_by_id(const Request &req, const std::string &id) {
  for (const Message &m : req.messages)
    for (const ToolCall &c : m.calls)
      if (!id.empty() && c.id == id) return &c;
  return nullptr;
}

/// The file a call works on: its path argument, or the file a patch updates.
std::string target_of(const ToolCall &c) {
  std::string path = path_argument(c.arguments);
  if (!path.empty()) return path;
  for (const auto &[key, value] : c.arguments.members()) {
    if (!value.is_string()) continue;
    for (std::string_view tag : {"*** Update File: ", "*** Add File: "})
      if (std::size_t at = value.str().find(tag); at != std::string::npos) {
        std::size_t end = value.str().find('\n', at);
        return value.str().substr(at + tag.size(), end == std::string::npos ? end : end - at - tag.size());
      }
  }
  return "";
}

/// A tool reported an error: read the file again before anything else (or, for weak
/// profiles, send the failing call again).
std::optional<Turn> recover(const Request &req, const std::vector<ToolDef> &tools, const PlanOptions &opt) {
  for (const ToolResult *res : last_results(req)) {
    if (!looks_like_error(res->content)) continue;
    const ToolCall *failed = call_by_id(req, res->id);
    if (!failed) return std::nullopt;
    if (opt.repeat_failed_call) {
      ToolCall again = *failed;
      again.id.clear();
      return Turn{"", {again}};
    }
    ToolRole role = role_of(failed->name);
    if (role != ToolRole::edit && role != ToolRole::patch && role != ToolRole::write) return std::nullopt;
    std::string path = target_of(*failed);
    if (path.empty()) {
      auto names = file_names(req.last_user_text());
      if (names.empty()) return std::nullopt;
      path = names.front();
    }
    ArgHints h;
    h.path = path;
    h.description = "Read " + path;
    if (const ToolDef *read = find_tool(tools, ToolRole::read)) return Turn{"", {call(*read, h)}};
    h.command = "cat " + path;
    if (const ToolDef *shell = find_tool(tools, ToolRole::shell)) return Turn{"", {call(*shell, h)}};
    return std::nullopt;
  }
  return std::nullopt;
}

/// After tool results: fix the file that was read if the user asked for a fix, else finish.
Turn after_results(const Request &req, const std::vector<ToolDef> &tools, const PlanOptions &opt) {
  if (auto t = recover(req, tools, opt)) return *t;
  const ToolDef *edit = find_tool(tools, ToolRole::edit);
  if (!edit) edit = find_tool(tools, ToolRole::patch);
  // Only this request's work counts: an edit made since the user last spoke, that worked.
  std::size_t since = 0;
  for (std::size_t k = 0; k < req.messages.size(); ++k)
    if (req.messages[k].role == "user" && req.messages[k].results.empty() &&
        req.messages[k].text.find_first_not_of(" \n\t") != std::string::npos)
      since = k;
  bool edited = false;
  for (std::size_t k = since; k < req.messages.size(); ++k)
    for (const ToolCall &c : req.messages[k].calls) {
      if (role_of(c.name) != ToolRole::edit && role_of(c.name) != ToolRole::patch) continue;
      bool failed = false;
      for (std::size_t r = k + 1; r < req.messages.size(); ++r)
        for (const ToolResult &res : req.messages[r].results)
          failed = failed || (res.id == c.id && !c.id.empty() && looks_like_error(res.content));
      edited = edited || !failed;
    }
  if (edit && !edited && classify(req.last_user_text()) == Intent::edit) {
    for (const ToolResult &res : req.messages.back().results) {
      ToolRole from = role_of(res.name);
      if (from != ToolRole::read && from != ToolRole::shell && !res.name.empty()) continue;
      std::string path;
      for (const Message &m : req.messages)
        for (const ToolCall &c : m.calls)
          if (c.id == res.id && !res.id.empty()) path = path_argument(c.arguments);
      if (path.empty()) {
        auto names = file_names(req.last_user_text());
        path = names.empty() ? "hello.txt" : names.front();
      }
      if (auto c = edit_call(*edit, res, path, req.last_user_text(), opt)) return {"", {*c}};
    }
  }
  return {"Done.", {}};
}

}  // namespace

std::string plain_answer(const Request &req) {
  if (req.ends_with_tool_result()) return "Done.";
  if (!req.output_schema.is_null()) return sample_for_schema(req.output_schema).dump();
  std::string q = req.last_user_text();
  if (classify(q) == Intent::question)
    return "Here is a short answer from the fake upstream: it depends on the context.";
  return "Hello! This is the fake upstream answering.";
}

Turn plan_turn(const Request &req, const std::vector<ToolDef> &tools, const PlanOptions &opt) {
  if (tools.empty()) return {plain_answer(req), {}};
  if (req.ends_with_tool_result()) return after_results(req, tools, opt);
  std::string text = req.last_user_text();
  std::vector<std::string> files = file_names(text);
  std::string first = files.empty() ? "hello.txt" : files.front();
  ArgHints h;
  h.path = first;
  h.prompt = text.empty() ? "hello" : text;
  switch (classify(text)) {
    case Intent::question: return {plain_answer(req), {}};
    case Intent::create: return create_file(tools, first, fenced_block(text));
    case Intent::read:
    case Intent::edit: {
      // Read before editing; one call per named file (parallel reads).
      const ToolDef *read = find_tool(tools, ToolRole::read);
      if (read && !files.empty()) {
        Turn t;
        for (const std::string &f : files) {
          h.path = f;
          h.description = "Read " + f;
          t.calls.push_back(call(*read, h));
        }
        return t;
      }
      const ToolDef *shell = find_tool(tools, ToolRole::shell);
      if (!read && shell && !files.empty()) {
        h.command = "cat";
        for (const std::string &f : files) h.command += " " + f;
        h.description = "Show " + first;
        return {"", {call(*shell, h)}};
      }
      if (!read && !shell) return create_file(tools, first);
      [[fallthrough]];  // nothing named: discover first
    }
    case Intent::find: {
      std::string pattern = glob_word(text);
      h.pattern = pattern.empty() ? "**/*" : pattern;
      if (const ToolDef *t = find_tool(tools, ToolRole::glob)) return {"", {call(*t, h)}};
      if (const ToolDef *t = find_tool(tools, ToolRole::list)) return {"", {call(*t, h)}};
      h.command = "find . -name '" + h.pattern + "'";
      h.description = "Find files";
      if (const ToolDef *t = find_tool(tools, ToolRole::shell)) return {"", {call(*t, h)}};
      return create_file(tools, first);
    }
    case Intent::search: {
      std::string q = quoted_span(text);
      h.pattern = q.empty() ? "TODO" : q;
      if (const ToolDef *t = find_tool(tools, ToolRole::grep)) return {"", {call(*t, h)}};
      h.command = "grep -rn '" + h.pattern + "' .";
      h.description = "Search files";
      if (const ToolDef *t = find_tool(tools, ToolRole::shell)) return {"", {call(*t, h)}};
      return create_file(tools, first);
    }
    case Intent::run: {
      std::string q = quoted_span(text);
      h.command = q.empty() ? "ls" : q;
      h.description = "Run " + h.command;
      if (const ToolDef *t = find_tool(tools, ToolRole::shell)) return {"", {call(*t, h)}};
      return create_file(tools, first);
    }
  }
  return create_file(tools, first);
}

std::vector<ToolDef> callable_tools(const Request &req) {
  if (req.tool_choice.mode == ToolChoice::Mode::none) return {};
  return req.tools;
}

Turn apply_tool_choice(const Request &req, Turn turn) {
  const ToolChoice &choice = req.tool_choice;
  if (req.tools.empty() || choice.mode == ToolChoice::Mode::automatic || choice.mode == ToolChoice::Mode::none)
    return turn;
  const ToolDef *tool = &req.tools.front();
  if (choice.mode == ToolChoice::Mode::named) {
    for (const ToolDef &t : req.tools)
      if (t.name == choice.name) tool = &t;
    bool only_named = !turn.calls.empty();
    for (const ToolCall &c : turn.calls) only_named = only_named && c.name == tool->name;
    if (only_named) return turn;
  } else if (!turn.calls.empty()) {
    return turn;
  }
  std::vector<std::string> files = file_names(req.last_user_text());
  ArgHints h;
  if (!files.empty()) h.path = files.front();
  h.content = sample_content(h.path);
  return {"", {call(*tool, h)}};
}

}  // namespace fake
