// grade_edit.cpp: T4, fix a bug in a file the client showed in its read format. The edit is
// applied with the client's exact-match semantics; a fix that applies only when whitespace is
// ignored (OpenCode's tolerant replacers) is a warn; the fixed file must parse and be fixed.
#include <cctype>

#include "eval/args.h"
#include "eval/edits.h"
#include "eval/grading.h"
#include "eval/requests.h"

namespace harness::eval_internal {

std::string squash_spaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

namespace {

grade judge_fixed(const std::string& fixed, bool fuzzy, const std::string& how,
                  const syntax_checker& check, const std::string& excerpt) {
  if (check) {
    if (auto err = check(fixed))
      return fail("T4.syntax", "the edited file does not parse: " + *err, excerpt);
  }
  if (!eval::t4_is_fixed(fixed))
    return fail("T4.still_failing", "the edit applies but add() is still wrong", excerpt);
  if (fuzzy)
    return warn("T4.fuzzy_match",
                "the edit applies only with whitespace-tolerant matching, not as an exact match",
                excerpt);
  if (!how.empty()) return warn("T4.rewrote_file", how, excerpt);
  return pass(check ? "exact edit applied; the file parses and add() is fixed"
                    : "exact edit applied; add() is fixed (no Python to parse it)");
}

grade grade_edit_call(const client_profile& p, const observed_call& c, const syntax_checker& check) {
  const std::string excerpt = show_call(c);
  const std::string path = string_arg(c.arguments, p.edit_path).value_or(call_path(c));
  if (path.find(kT4Path) == std::string::npos)
    return fail("T4.wrong_file", "edited '" + path + "', not calc.py", excerpt);
  const auto old_text = string_arg(c.arguments, p.edit_old);
  const auto new_text = string_arg(c.arguments, p.edit_new);
  if (!old_text || !new_text)
    return fail("T4.schema", "the edit lacks '" + p.edit_old + "' or '" + p.edit_new + "'", excerpt);
  for (const std::string& line : split_lines(*old_text))
    if (has_line_number_prefix(line))
      return fail("T4.line_prefix", "the old text includes the read tool's line-number prefix",
                  excerpt);
  bool replace_all = false;
  for (const char* key : {"replace_all", "replaceAll"})
    replace_all = replace_all || bool_arg(c.arguments, key);
  const edit_outcome out = apply_edit(eval::t4_fixture(), *old_text, *new_text, replace_all);
  switch (out.match) {
    case edit_match::not_found:
      return fail("T4.not_found", "the old text does not occur in the file", excerpt);
    case edit_match::ambiguous:
      return fail("T4.not_unique", "the old text occurs more than once", excerpt);
    default: break;
  }
  return judge_fixed(out.text, out.match == edit_match::fuzzy, "", check, excerpt);
}

grade grade_patch_call(const client_profile& p, const observed_call& c, const syntax_checker& check) {
  const std::string excerpt = show_call(c);
  const parsed_patch patch = parse_patch(string_arg(c.arguments, p.patch_text).value_or(""));
  if (!patch.ok) return fail("T4.bad_patch", "the patch does not parse: " + patch.error, excerpt);
  for (const patch_file& f : patch.files) {
    if (f.kind != patch_file::op::update || f.path.find(kT4Path) == std::string::npos) continue;
    for (const std::string& l : f.lines)
      if (l.size() > 1 && l.front() != '+' && has_line_number_prefix(std::string_view(l).substr(1)))
        return fail("T4.line_prefix", "the patch's context includes line-number prefixes", excerpt);
    const edit_outcome out = apply_update(f, eval::t4_fixture());
    if (out.match == edit_match::not_found)
      return fail("T4.not_found", "the patch's old lines do not occur in the file", excerpt);
    if (out.match == edit_match::ambiguous)
      return fail("T4.not_unique", "the patch's old lines occur more than once", excerpt);
    return judge_fixed(out.text, out.match == edit_match::fuzzy, "", check, excerpt);
  }
  return fail("T4.wrong_file", "the patch does not update calc.py", excerpt);
}

}  // namespace

grade grade_t4(const client_profile& p, const exchange& ex, const syntax_checker& check) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T4");
  for (const observed_call& c : o.calls) {
    if (!p.edit_tool.empty() && c.name == p.edit_tool) return grade_edit_call(p, c, check);
    if (!p.patch_tool.empty() && c.name == p.patch_tool) return grade_patch_call(p, c, check);
    if (!p.write_tool.empty() && c.name == p.write_tool) {
      const std::string content = string_arg(c.arguments, p.write_content).value_or("");
      return judge_fixed(content, false, "rewrote the whole file instead of editing it", check,
                         show_call(c));
    }
  }
  if (o.calls.empty() && looks_like_text_call(o.text))
    return fail("T4.text_call", "the edit was printed as text; the client sees no call", show_reply(o));
  return fail("T4.no_edit", "no edit of calc.py after reading it", show_reply(o));
}

}  // namespace harness::eval_internal

namespace harness {
inline namespace v0 {
namespace eval {

std::string_view t4_fixture() {
  return "def add(a, b):\n"
         "    \"\"\"Return the sum of a and b.\"\"\"\n"
         "    return a - b\n"
         "\n"
         "\n"
         "def test_add():\n"
         "    assert add(2, 3) == 5\n";
}

bool t4_is_fixed(std::string_view fixed_text) {
  // Acceptable fixes of add()'s body (BFCL-style list of values, whitespace ignored); the test
  // function must still be there, unchanged.
  const auto lines = eval_internal::split_lines(fixed_text);
  bool fixed = false, test_kept = false;
  bool in_add = false;
  for (const std::string& line : lines) {
    const std::string s = eval_internal::squash_spaces(line);
    if (s.rfind("def", 0) == 0) in_add = s.rfind("defadd(", 0) == 0;
    if (in_add && (s == "returna+b" || s == "returnb+a" || s == "returnsum((a,b))" ||
                   s == "returnsum([a,b])"))
      fixed = true;
    if (in_add && s == "returna-b") return false;
    if (s == "assertadd(2,3)==5") test_kept = true;
  }
  return fixed && test_kept;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
