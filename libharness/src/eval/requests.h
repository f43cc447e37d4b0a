// requests.h: the requests each test sends (OpenAI Chat Completions bodies), built from the
// client profile so the model sees exactly the tools and tool outputs that client produces.
#pragma once

#include <string>
#include <vector>

#include <harness/eval.h>
#include <harness/request.h>

#include "eval/observe.h"

namespace harness::eval_internal {

/// The prompts (kept here so grader tests and the runner agree).
inline constexpr const char* kT1Prompt = "Create a file hello.py that prints hello.";
inline constexpr const char* kT4Prompt =
    "The test in calc.py fails: add(2, 3) returns -1 instead of 5. Fix the bug in calc.py.";
inline constexpr const char* kT5Prompt = "Read a.py and b.py and tell me what each one does.";
inline constexpr const char* kT6Prompt = "What does a Python decorator do? Answer in two sentences.";
inline constexpr const char* kT7Prompt = "Enable debug logging in the config file.";
inline constexpr const char* kT8Prompt = "Find all *.toml files in this project.";

inline constexpr const char* kSystemPrompt =
    "You are a coding agent working in the user's project directory. Use the tools you are "
    "given to read and change files; answer questions directly.";

/// Building blocks of requests (Chat Completions form).
message text_message(role r, std::string text);
/// System prompt, the user's `prompt` (when not null), the profile's tools, temperature 0.
chat_request base_request(const eval::client_profile& p, const std::string& model, const char* prompt);
message tool_result_message(const std::string& id, const std::string& name, std::string text);
message assistant_calls(const std::vector<observed_call>& calls, std::string text = {});
/// The request as a Chat Completions body ("" if it cannot be encoded).
std::string encode_chat(const chat_request& req);

/// A single-turn request with `prompt` and the profile's tools.
std::string first_turn(const eval::client_profile& p, const std::string& model, const char* prompt,
                       bool stream);

/// T3: T1's conversation continued with a tool result for each of T1's calls.
std::string t3_continuation(const eval::client_profile& p, const std::string& model,
                            const std::vector<observed_call>& t1_calls);

/// T4: the user's bug report, the client's read call and its result in the client's format.
std::string t4_after_read(const eval::client_profile& p, const std::string& model);

/// The path T4 reads and edits.
inline constexpr const char* kT4Path = "calc.py";

}  // namespace harness::eval_internal
