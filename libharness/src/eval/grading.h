// grading.h: the per-test graders behind eval::grade_test, and what they share.
#pragma once

#include <string>
#include <vector>

#include <harness/eval.h>

#include "eval/observe.h"

namespace harness::eval_internal {

using eval::client_profile;
using eval::exchange;
using eval::grade;
using eval::syntax_checker;
using eval::verdict;

grade pass(std::string reason);
grade warn(std::string code, std::string reason, std::string excerpt = {});
grade fail(std::string code, std::string reason, std::string excerpt = {});

/// A failed exchange as a grade (infra.* or http_NNN), with the reply excerpt.
grade not_answered(const observed& o, const exchange& ex, const char* test_code);

/// No call in the reply: "<test>.text_call" when one was printed as text, else "<test>.no_call".
grade no_call(const observed& o, const char* test_code);

/// "name(args)" of a call, clipped.
std::string show_call(const observed_call& c);
/// The calls of a reply as "name(args); ..." or its text when there is none.
std::string show_reply(const observed& o);

/// True when `text` holds what looks like a tool call printed as text (JSON envelope, tags).
bool looks_like_text_call(std::string_view text);

/// The tool spec called `name` in the profile, or nullptr.
const tool_spec* find_tool(const client_profile& p, std::string_view name);

/// The path a call acts on (the profile's path parameter, or any of file_path/filePath/path).
std::string call_path(const observed_call& c);

/// `s` without any whitespace (for comparing code lines).
std::string squash_spaces(std::string_view s);

grade grade_t1(const client_profile& p, const exchange& ex);
grade grade_t2(const client_profile& p, const exchange& t1, const syntax_checker& check);
grade grade_t3(const client_profile& p, const exchange& ex);
grade grade_t4(const client_profile& p, const exchange& ex, const syntax_checker& check);
grade grade_t5(const client_profile& p, const exchange& ex);
grade grade_t6(const client_profile& p, const exchange& ex);
grade grade_t7(const client_profile& p, const exchange& ex);
grade grade_t8(const client_profile& p, const exchange& ex);
grade grade_t11(const client_profile& p, const exchange& ex);
grade grade_t9(const client_profile& p, const std::vector<exchange>& exchanges);
grade grade_t10(const client_profile& p, const std::vector<exchange>& exchanges);
grade grade_t12(const std::vector<exchange>& exchanges);
grade grade_t13(const client_profile& p, const exchange& ex);
grade grade_t14(const client_profile& p, const exchange& ex, const syntax_checker& check);

}  // namespace harness::eval_internal
