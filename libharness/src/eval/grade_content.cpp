// grade_content.cpp: T12 (each client's exact parameter names), T13 (a large file with hostile
// characters arrives byte for byte) and T14 (a fix through a patch envelope).
#include <algorithm>

#include "eval/args.h"
#include "eval/edits.h"
#include "eval/grading.h"
#include "eval/requests.h"
#include "eval/scenarios.h"

namespace harness::eval_internal {
namespace {

// JSON string escapes undone once: what a double-escaped value looked like before.
std::string unescape_once(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string first_line_difference(std::string_view want, std::string_view got) {
  const auto a = split_lines(want), b = split_lines(got);
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "(end)", y = i < b.size() ? b[i] : "(end)";
    if (x != y) return "line " + std::to_string(i + 1) + ": expected '" + clip(x, 80) + "', got '" + clip(y, 80) + "'";
  }
  return want.size() == got.size() ? "" : "the final newline differs";
}

// The names problem of one call against its tool's schema, "" when the names are exact.
std::string names_problem(const client_profile& p, const observed_call& c) {
  const tool_spec* t = find_tool(p, c.name);
  if (!t) return "'" + c.name + "' is not one of " + p.name + "'s tools";
  const schema_check sc = check_arguments(c.arguments, t->parameters);
  if (!sc.object) return c.name + "'s arguments are not a JSON object";
  const auto props = schema_properties(t->parameters);
  std::string out;
  for (const std::string& k : arg_keys(c.arguments))
    if (std::find(props.begin(), props.end(), k) == props.end())
      out += (out.empty() ? "" : "; ") + std::string("'") + k + "' is no parameter of " + p.name + "'s " + c.name;
  for (const std::string& e : sc.errors)
    if (e.find("missing") != std::string::npos) out += (out.empty() ? "" : "; ") + e;
  return out;
}

}  // namespace

grade grade_t12(const std::vector<exchange>& exchanges) {
  const auto& names = t12_profiles();
  if (exchanges.size() < names.size())
    return fail("T12.incomplete", "expected one exchange per profile (crush, opencode, opencode-v2)");
  std::string used, repaired;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto prof = eval::builtin_profile(names[i]);
    if (!prof) return fail("eval.profile", prof.error_value().message);
    const observed o = observe(exchanges[i]);
    if (!o.ok) return not_answered(o, exchanges[i], "T12");
    if (o.calls.empty()) return no_call(o, "T12");
    for (const observed_call& c : o.calls)
      if (const std::string problem = names_problem(*prof, c); !problem.empty())
        return fail("T12.wrong_names", names[i] + ": " + problem, show_call(c));
    if (exchanges[i].args_repaired > 0) repaired += (repaired.empty() ? "" : ", ") + names[i];
    used += (used.empty() ? "" : ", ") + names[i] + " " + o.calls.front().name + "(" +
            [&] {
              std::string keys;
              for (const std::string& k : arg_keys(o.calls.front().arguments)) keys += (keys.empty() ? "" : ",") + k;
              return keys;
            }() + ")";
  }
  if (!repaired.empty())
    return warn("T12.repaired", "the names reached the client right only after the proxy repaired the arguments (" +
                                    repaired + ")", used);
  return pass("exact parameter names on every profile: " + used);
}

grade grade_t13(const client_profile& p, const exchange& ex) {
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T13");
  if (o.finish == finish_reason::length)
    return fail("T13.truncated", "the reply was cut off by the output limit (finish_reason length)", show_reply(o));
  const observed_call* call = nullptr;
  for (const observed_call& c : o.calls)
    if ((!p.write_tool.empty() && c.name == p.write_tool) || (!p.patch_tool.empty() && c.name == p.patch_tool)) {
      call = &c;
      break;
    }
  if (!call) {
    if (o.calls.empty()) return no_call(o, "T13");
    return fail("T13.wrong_tool", "wrote the file with '" + o.calls.front().name + "'", show_reply(o));
  }
  if (!check_arguments(call->arguments, "").parsed)
    return fail("T13.bad_json", "the arguments are not valid JSON", show_call(*call));
  std::string content;
  if (call->name == p.write_tool) {
    content = string_arg(call->arguments, p.write_content).value_or("");
  } else {
    const parsed_patch patch = parse_patch(string_arg(call->arguments, p.patch_text).value_or(""));
    if (!patch.ok) return fail("T13.bad_patch", "the patch does not parse: " + patch.error, show_call(*call));
    const auto f = std::find_if(patch.files.begin(), patch.files.end(),
                                [](const patch_file& x) { return x.kind == patch_file::op::add; });
    if (f == patch.files.end()) return fail("T13.bad_patch", "the patch adds no file", show_call(*call));
    content = added_content(*f);
  }
  const std::string& want = t13_content();
  if (content == want) return pass("240 lines arrived byte for byte (" + std::to_string(want.size()) + " bytes)");
  if (unescape_once(content) == want)
    return fail("T13.double_escaped", "the content was JSON-escaped twice (\\\" and \\\\ reach the file)",
                first_line_difference(want, content));
  if (!content.empty() && want.starts_with(content))
    return fail("T13.truncated", "the content stops after " + std::to_string(split_lines(content).size()) + " of 240 lines");
  return fail("T13.content_differs", "the written content differs: " + first_line_difference(want, content));
}

grade grade_t14(const client_profile& profile, const exchange& ex, const syntax_checker& check) {
  const client_profile p = t14_profile(profile);
  const observed o = observe(ex);
  if (!o.ok) return not_answered(o, ex, "T14");
  const auto call = std::find_if(o.calls.begin(), o.calls.end(),
                                 [&](const observed_call& c) { return c.name == p.patch_tool; });
  if (call == o.calls.end()) {
    if (o.calls.empty()) return no_call(o, "T14");
    return fail("T14.no_patch", "called '" + o.calls.front().name + "' instead of " + p.patch_tool, show_reply(o));
  }
  const std::string excerpt = show_call(*call);
  const parsed_patch patch = parse_patch(string_arg(call->arguments, p.patch_text).value_or(""));
  if (!patch.ok) return fail("T14.bad_envelope", "the envelope does not parse: " + patch.error, excerpt);
  for (const patch_file& f : patch.files) {
    if (f.kind != patch_file::op::update || f.path.find(kT4Path) == std::string::npos) continue;
    for (const std::string& l : f.lines)
      if (l.size() > 1 && l.front() != '+' && has_line_number_prefix(std::string_view(l).substr(1)))
        return fail("T14.line_prefix", "the patch's context includes line-number prefixes", excerpt);
    const edit_outcome out = apply_update(f, eval::t4_fixture());
    if (out.match == edit_match::not_found)
      return fail("T14.not_found", "the patch's old lines do not occur in calc.py", excerpt);
    if (out.match == edit_match::ambiguous)
      return fail("T14.not_unique", "the patch's old lines occur more than once", excerpt);
    if (check)
      if (auto err = check(out.text)) return fail("T14.syntax", "the patched file does not parse: " + *err, excerpt);
    if (!eval::t4_is_fixed(out.text)) return fail("T14.still_failing", "the patch applies but add() is still wrong", excerpt);
    if (out.match == edit_match::fuzzy)
      return warn("T14.fuzzy_match", "the patch applies only with whitespace ignored", excerpt);
    return pass("the envelope parses and applies exactly; add() is fixed");
  }
  return fail("T14.wrong_file", "the patch does not update calc.py", excerpt);
}

}  // namespace harness::eval_internal
