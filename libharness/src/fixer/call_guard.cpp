// The native-call guard over a whole response, and the per-call decision it shares with the
// streaming guard (stream_guard.cpp).
#include <algorithm>

#include <harness/fixer.h>
#include <harness/repair.h>

#include "fixer/call_checks.h"

namespace harness::detail {
namespace {

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// Strict JSON whose top level is an object: what a client can hand to a tool as it is.
bool complete_object(std::string_view text, simdjson::dom::parser& parser) {
  simdjson::dom::object obj;
  return parser.parse(text.data(), text.size()).get_object().get(obj) == simdjson::SUCCESS;
}

}  // namespace

offered_names::offered_names(const std::vector<tool_spec>& tools) {
  names_.reserve(tools.size());
  for (const auto& t : tools) names_.push_back(t.name);
}

bool offered_names::accepts(std::string_view name) const noexcept {
  return names_.empty() || std::find(names_.begin(), names_.end(), name) != names_.end();
}

call_verdict judge_call(const offered_names& offered, std::string_view name,
                        std::string& arguments, bool cut_by_limit,
                        simdjson::dom::parser& parser) {
  if (!offered.accepts(name)) return call_verdict::unknown_tool;
  if (complete_object(arguments, parser)) return call_verdict::pass;
  // Empty arguments at the limit are the classic cut call (LiteLLM #15322: empty input at
  // exactly max_tokens); elsewhere they are a call without parameters.
  if (cut_by_limit) return call_verdict::truncated;
  if (blank(arguments)) return call_verdict::pass;
  auto fixed = repair_arguments(arguments);
  if (!fixed) return call_verdict::unrepairable;
  arguments = std::move(*fixed);
  return call_verdict::repaired;
}

}  // namespace harness::detail

namespace harness {
inline namespace v0 {

guard_report guard_calls(chat_response& response, const std::vector<tool_spec>& offered) {
  guard_report report;
  const detail::offered_names names(offered);
  simdjson::dom::parser parser;
  const bool at_limit = response.finish == finish_reason::length;
  auto& content = response.message.content;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < content.size(); ++i) {
    auto* call = std::get_if<tool_call_block>(&content[i]);
    bool keep = true;
    if (call != nullptr) {
      const bool last = i + 1 == content.size();
      // An Anthropic reply carries the parsed part of a cut input as an object: it looks whole.
      const bool cut_whole = last && at_limit && response.origin == dialect::anthropic;
      const detail::call_verdict verdict =
          cut_whole && names.accepts(call->name)
              ? detail::call_verdict::truncated
              : detail::judge_call(names, call->name, call->arguments, last && at_limit, parser);
      switch (verdict) {
        case detail::call_verdict::unknown_tool:
          ++report.unknown_tools_dropped;
          keep = false;
          break;
        case detail::call_verdict::truncated:
          ++report.truncated_calls_refused;
          keep = false;
          break;
        case detail::call_verdict::repaired:
          ++report.args_repaired;
          ++report.calls_passed;
          break;
        case detail::call_verdict::pass:
        case detail::call_verdict::unrepairable:
          ++report.calls_passed;
          break;
      }
    }
    if (keep) {
      if (kept != i) content[kept] = std::move(content[i]);
      ++kept;
    }
  }
  if (kept == content.size()) return report;
  content.erase(content.begin() + static_cast<std::ptrdiff_t>(kept), content.end());
  if (report.calls_passed == 0) {
    // No call left: the client gets a plain text turn ("" rather than OpenAI's null content).
    response.message.content_null = false;
    if (response.finish == finish_reason::tool_calls) response.finish = finish_reason::stop;
  }
  return report;
}

}  // namespace v0
}  // namespace harness
