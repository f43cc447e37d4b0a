// vfs.h: a virtual project directory that runs a model's tool calls the way the profile's
// client would (read formats, exact-match edits, patch envelopes, a few read-only shell
// commands), so multi-turn tests (T9, T10) are graded on the files they leave behind.
#pragma once

#include <map>
#include <set>
#include <string>

#include <harness/eval.h>

#include "eval/observe.h"

namespace harness::eval_internal {

/// What running one call gave the model.
struct call_outcome {
  std::string text;      ///< the tool result as the client shows it
  bool error = false;    ///< the client reported a failure (not found, must read first, ...)
  bool changed = false;  ///< a file was created, changed or removed
  bool fuzzy = false;    ///< an edit applied only with whitespace ignored (OpenCode, Codex)
};

class virtual_fs {
 public:
  std::map<std::string, std::string> files;  ///< path (relative, no "./") -> content

  /// Runs `c` (a call to a tool of `p`) and returns the client's result.
  call_outcome run(const eval::client_profile& p, const observed_call& c);

  /// The stored path `path` names ("./a", "/abs/.../a" and "a" name "a").
  std::string resolve(std::string_view path) const;

 private:
  call_outcome read(const eval::client_profile& p, const std::string& path);
  call_outcome edit(const eval::client_profile& p, const observed_call& c);
  call_outcome patch(const eval::client_profile& p, std::string_view text);
  call_outcome shell(const eval::client_profile& p, const std::string& command);
  std::string find(std::string_view pattern) const;
  std::string grep(std::string_view pattern) const;

  std::set<std::string> read_;  ///< files the model has read (edit tools insist)
};

/// The client's error for an edit of a file the model has not read in this session.
std::string must_read_first_error(const eval::client_profile& p, std::string_view path);

/// The shell command of a call as one string (argv joined, a `bash -lc` wrapper dropped);
/// "" when the call is no shell call.
std::string shell_command_of(const eval::client_profile& p, const observed_call& c);

/// True when `path` matches the glob `pattern` (`*`, `?`, `**/`; no '/' in the pattern: the
/// file name is matched).
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace harness::eval_internal
