// catalogue.cpp: the implemented tests, their codes and names, and the verdict strings.
#include <harness/eval.h>

#include <cctype>

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

struct entry {
  test_id id;
  const char* code;
  const char* name;
  bool gated;
};

constexpr entry kTests[] = {
    {test_id::t1_tool_call, "T1", "tool-call structure", false},
    {test_id::t2_code, "T2", "arguments + code", true},
    {test_id::t3_continue, "T3", "multi-turn continuation", true},
    {test_id::t4_read_edit, "T4", "read + edit fix", true},
    {test_id::t5_parallel, "T5", "parallel calls", false},
    {test_id::t6_restraint, "T6", "restraint", false},
    {test_id::t7_clarify, "T7", "missing param / clarify", false},
    {test_id::t8_selection, "T8", "selection among all tools", false},
    {test_id::t11_streaming, "T11", "streaming tool calls", false},
};

const entry& find(test_id id) noexcept {
  for (const entry& e : kTests)
    if (e.id == id) return e;
  return kTests[0];
}

}  // namespace

const char* code_of(test_id id) noexcept { return find(id).code; }
const char* name_of(test_id id) noexcept { return find(id).name; }
bool gated_by_t1(test_id id) noexcept { return find(id).gated; }

const std::vector<test_id>& all_tests() {
  static const std::vector<test_id> tests = [] {
    std::vector<test_id> v;
    for (const entry& e : kTests) v.push_back(e.id);
    return v;
  }();
  return tests;
}

std::optional<test_id> parse_test_code(std::string_view code) {
  for (const entry& e : kTests) {
    std::string_view c = e.code;
    if (c.size() != code.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < c.size(); ++i)
      same = same && std::toupper(static_cast<unsigned char>(code[i])) == c[i];
    if (same) return e.id;
  }
  return std::nullopt;
}

const char* to_string(verdict v) noexcept {
  switch (v) {
    case verdict::pass: return "pass";
    case verdict::warn: return "warn";
    case verdict::fail: return "fail";
    case verdict::skipped: return "\u2014";
  }
  return "?";
}

const char* to_string(tools_via v) noexcept {
  switch (v) {
    case tools_via::unknown: return "?";
    case tools_via::native: return "native";
    case tools_via::rescued: return "rescue";
    case tools_via::emulated: return "emulate";
    case tools_via::stripped: return "strip";
    case tools_via::none: return "\u2014";
  }
  return "?";
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
