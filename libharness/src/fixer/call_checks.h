// call_checks.h: the per-call decision shared by guard_calls and stream_guard (internal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include <harness/tool.h>

namespace harness::detail {

/// What becomes of one native tool call.
enum class call_verdict {
  pass,          ///< arguments are a complete JSON object (or empty): unchanged
  repaired,      ///< arguments were rewritten by repair_arguments
  unrepairable,  ///< arguments are broken beyond repair: passed as they came
  unknown_tool,  ///< the client did not offer this tool: drop
  truncated,     ///< cut off by the output limit: drop
};

/// The names a client offered; empty: any name is accepted (no tools were offered).
class offered_names {
 public:
  explicit offered_names(const std::vector<tool_spec>& tools);
  bool accepts(std::string_view name) const noexcept;

 private:
  std::vector<std::string> names_;
};

/// Judges one finished call. `cut_by_limit`: it is the reply's last block and the reply ended
/// at the output limit. On `repaired`, `arguments` holds the repaired object. `parser` is
/// reused between calls (its buffers are kept).
call_verdict judge_call(const offered_names& offered, std::string_view name,
                        std::string& arguments, bool cut_by_limit,
                        simdjson::dom::parser& parser);

}  // namespace harness::detail
