// edits.h: applying a model's edit the way the client would: exact-match string replacement
// (Crush, Claude Code, OpenCode's first strategy) and the `*** Begin Patch` envelope (Codex
// apply_patch, OpenCode patch). A whitespace-tolerant fallback tells "applies only fuzzily".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace harness::eval_internal {

enum class edit_match {
  exact,      ///< old text found exactly (once, or replace_all)
  fuzzy,      ///< found only line by line with leading/trailing whitespace ignored
  not_found,
  ambiguous,  ///< found more than once without replace_all
};

struct edit_outcome {
  edit_match match = edit_match::not_found;
  std::string text;  ///< the file after the edit (exact or fuzzy)
};

/// Replaces `old_text` by `new_text` in `file`.
edit_outcome apply_edit(std::string_view file, std::string_view old_text, std::string_view new_text,
                        bool replace_all);

/// One file operation of a patch envelope.
struct patch_file {
  enum class op { add, update, remove } kind = op::update;
  std::string path;
  std::string move_to;             ///< Update File with "*** Move to: NEW" (a rename)
  std::vector<std::string> lines;  ///< body lines, with their ' ', '+', '-' or "@@" prefix
};

struct parsed_patch {
  bool ok = false;
  std::string error;  ///< why it does not parse
  std::vector<patch_file> files;
};

/// Parses `*** Begin Patch` ... `*** End Patch` (Codex's apply_patch Lark grammar: Add File
/// needs at least one '+' line; Update File may carry `*** Move to:` and `*** End of File`).
parsed_patch parse_patch(std::string_view text);

/// The content an Add File operation creates.
std::string added_content(const patch_file& f);

/// Applies an Update File operation's hunks to `file`.
edit_outcome apply_update(const patch_file& f, std::string_view file);

/// Lines of `text` without their '\n'.
std::vector<std::string> split_lines(std::string_view text);

/// True when `line` starts with a read tool's line-number prefix ("     3|", "3: ", "  3\t").
bool has_line_number_prefix(std::string_view line);

}  // namespace harness::eval_internal
