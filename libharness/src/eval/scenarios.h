// scenarios.h: the fixtures of T9, T10, T12, T13 and T14 (files, scripted turns, expected
// results), shared by the runner that sends them and the graders that replay them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <harness/eval.h>

#include "eval/session.h"

namespace harness::eval_internal {

// T9: nine user turns on a small project; the write tools are withheld in turns 1-4 (BFCL
// miss_func) and offered again from turn 5, which says so.
virtual_fs t9_files();
std::vector<user_turn> t9_turns();
/// The directory a correct agent leaves behind.
std::map<std::string, std::string> t9_goal();
session t9_session(const eval::client_profile& p, const std::string& model);

// T10: the model's blind edit of calc.py was refused by the client (edit tools: "must read the
// file first"; patch tools: the patch's lines are not in the file); the session goes on from
// that error result.
observed_call t10_failed_call(const eval::client_profile& p);
session t10_session(const eval::client_profile& p, const std::string& model);
inline constexpr int kT10MaxSteps = 8;

// T12: the same edit on the three profiles whose parameter names differ.
const std::vector<std::string>& t12_profiles();

// T13: a 240-line file with quotes, backslashes, tabs and unicode, given in a fenced block.
const std::string& t13_content();
inline constexpr const char* kT13Path = "escapes.py";
std::string t13_prompt();

// T14: the profile's own patch tool, or (no patch tool) OpenCode 1.x's gpt-* tool set, where
// `apply_patch` replaces `edit` and `write`.
eval::client_profile t14_profile(const eval::client_profile& p);

}  // namespace harness::eval_internal
