// The scripted "model": given a conversation and tools, what the next assistant turn holds.
#pragma once

#include <string>
#include <vector>

#include "request.h"

namespace fake {

struct Turn {
  std::string text;
  std::vector<ToolCall> calls;  ///< ids left empty
};

struct PlanOptions {
  /// qwen7b: an edit's old_string does not occur in the file (kept line numbers or whitespace).
  bool sloppy_edit = false;
  /// qwen7b-ws: an edit's old_string and new_string are re-indented with a tab, so they match
  /// the file only when whitespace is ignored (an OpenCode-style tolerant edit applies them).
  bool reindent_edit = false;
  /// qwen7b: after a tool reports an error, send the same call again unchanged (the
  /// "old_string not found" loop) instead of re-reading the file.
  bool repeat_failed_call = false;
};

/// Plans the next turn over `tools` (which may differ from req.tools, e.g. tools described in a
/// prompt). A correct agent: call the fitting tool, read before editing, stop with "Done."
/// once results are in, and do not call tools for plain questions.
Turn plan_turn(const Request &req, const std::vector<ToolDef> &tools, const PlanOptions &opt);

/// Text answer used when no tool is called (a schema sample when structured output is asked).
std::string plain_answer(const Request &req);

/// The tools the model may call under req.tool_choice ("none" offers none).
std::vector<ToolDef> callable_tools(const Request &req);

/// Enforces tool_choice "any"/"required" and a named tool on a planned turn.
Turn apply_tool_choice(const Request &req, Turn turn);

}  // namespace fake
