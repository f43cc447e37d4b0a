// grade_common.cpp: helpers of every grader, and grade_test's dispatch.
#include "eval/args.h"
#include "eval/grading.h"

namespace harness::eval_internal {

grade pass(std::string reason) { return {verdict::pass, "", std::move(reason), ""}; }
grade warn(std::string code, std::string reason, std::string excerpt) {
  return {verdict::warn, std::move(code), std::move(reason), std::move(excerpt)};
}
grade fail(std::string code, std::string reason, std::string excerpt) {
  return {verdict::fail, std::move(code), std::move(reason), std::move(excerpt)};
}

grade not_answered(const observed& o, const exchange& ex, const char* test_code) {
  std::string code = o.fail_code;
  // A 4xx is the model's (or its server's) answer to this request, not an infrastructure fault.
  if (code.rfind("http_", 0) == 0) code = std::string(test_code) + ".rejected_" + code.substr(5);
  return fail(code, o.fail_reason, "reply: " + clip(ex.reply, 400));
}

grade no_call(const observed& o, const char* test) {
  if (looks_like_text_call(o.text))
    return fail(std::string(test) + ".text_call",
                "the call was printed as text; the client sees no tool call", show_reply(o));
  return fail(std::string(test) + ".no_call", "no tool call", show_reply(o));
}

std::string show_call(const observed_call& c) { return clip(c.name + "(" + c.arguments + ")", 300); }

std::string show_reply(const observed& o) {
  if (o.calls.empty()) return "text: " + clip(o.text, 300);
  std::string out;
  for (const auto& c : o.calls) out += (out.empty() ? "" : "; ") + show_call(c);
  return "calls: " + out;
}

bool looks_like_text_call(std::string_view text) {
  const bool envelope = text.find("\"name\"") != std::string_view::npos &&
                        (text.find("\"arguments\"") != std::string_view::npos ||
                         text.find("\"parameters\"") != std::string_view::npos);
  return envelope || text.find("<tool_call>") != std::string_view::npos ||
         text.find("<function=") != std::string_view::npos ||
         text.find("[TOOL_CALLS]") != std::string_view::npos;
}

const tool_spec* find_tool(const client_profile& p, std::string_view name) {
  for (const tool_spec& t : p.tools)
    if (t.name == name) return &t;
  return nullptr;
}

std::string call_path(const observed_call& c) {
  for (const char* key : {"file_path", "filePath", "path"})
    if (auto v = string_arg(c.arguments, key)) return *v;
  return "";
}

}  // namespace harness::eval_internal

namespace harness {
inline namespace v0 {
namespace eval {

grade grade_test(test_id id, const client_profile& profile, const std::vector<exchange>& exchanges,
                 const syntax_checker& check_python) {
  using namespace eval_internal;
  if (exchanges.empty()) return fail("eval.no_exchange", "the test sent nothing");
  const exchange& last = exchanges.back();
  switch (id) {
    case test_id::t1_tool_call: return grade_t1(profile, last);
    case test_id::t2_code: return grade_t2(profile, exchanges.front(), check_python);
    case test_id::t3_continue: return grade_t3(profile, last);
    case test_id::t4_read_edit: return grade_t4(profile, last, check_python);
    case test_id::t5_parallel: return grade_t5(profile, last);
    case test_id::t6_restraint: return grade_t6(profile, last);
    case test_id::t7_clarify: return grade_t7(profile, last);
    case test_id::t8_selection: return grade_t8(profile, last);
    case test_id::t9_long_session: return grade_t9(profile, exchanges);
    case test_id::t10_recovery: return grade_t10(profile, exchanges);
    case test_id::t11_streaming: return grade_t11(profile, last);
    case test_id::t12_param_names: return grade_t12(exchanges);
    case test_id::t13_large_content: return grade_t13(profile, last);
    case test_id::t14_patch: return grade_t14(profile, last, check_python);
  }
  return fail("eval.unknown_test", "unknown test");
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
