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

// Gating (docs/evaluator.md C.7): when T1 fails, T2-T14 are not run for that repeat and score 0
// (fixed denominator); only T11, which streams, is independent of T1.
constexpr entry kTests[] = {
    {test_id::t1_tool_call, "T1", "tool-call structure", false},
    {test_id::t2_code, "T2", "arguments + code", true},
    {test_id::t3_continue, "T3", "multi-turn continuation", true},
    {test_id::t4_read_edit, "T4", "read + edit fix", true},
    {test_id::t5_parallel, "T5", "parallel calls", true},
    {test_id::t6_restraint, "T6", "restraint", true},
    {test_id::t7_clarify, "T7", "missing param / clarify", true},
    {test_id::t8_selection, "T8", "selection among all tools", true},
    {test_id::t9_long_session, "T9", "long multi-turn, state-graded", true},
    {test_id::t10_recovery, "T10", "error recovery", true},
    {test_id::t11_streaming, "T11", "streaming tool calls", false},
    {test_id::t12_param_names, "T12", "parameter-name dialect", true},
    {test_id::t13_large_content, "T13", "large / escaped content", true},
    {test_id::t14_patch, "T14", "patch format", true},
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

const char* to_string(client_api api) noexcept {
  switch (api) {
    case client_api::chat: return "chat";
    case client_api::messages: return "messages";
    case client_api::responses: return "responses";
  }
  return "?";
}

std::optional<client_api> parse_client_api(std::string_view name) {
  for (client_api a : {client_api::chat, client_api::messages, client_api::responses})
    if (name == to_string(a)) return a;
  return std::nullopt;
}

client_api default_client_api(std::string_view profile_name) noexcept {
  if (profile_name == "claude-code") return client_api::messages;
  if (profile_name == "codex") return client_api::responses;
  return client_api::chat;
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
