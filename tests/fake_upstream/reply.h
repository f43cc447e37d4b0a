// What the scripted model "says", before a dialect writer puts it on the wire.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "request.h"

namespace fake {

enum class Stop { end, tool_use, max_tokens, load };

struct Reply {
  std::string thinking;
  std::string text;
  std::vector<ToolCall> calls;  ///< arguments are JSON objects; ids are filled by the writer
  Stop stop = Stop::end;
  /// When set, the exact argument text of the last call on the wire (a call cut mid-way);
  /// `calls.back().arguments` then holds the part of it a server could parse.
  std::string cut_arguments;
  long long input_tokens = 1;
  long long output_tokens = 1;
};

/// The argument text of call `k` of `r` as the wire carries it.
inline std::string arguments_text(const Reply &r, std::size_t k) {
  if (k + 1 == r.calls.size() && !r.cut_arguments.empty()) return r.cut_arguments;
  return r.calls[k].arguments.dump();
}

/// The behaviour profile chosen by the model name answers the request (or refuses it).
std::variant<Reply, Failure> answer(const Request &req);

/// Rough token count of a text (chars / 4, at least 1).
long long estimate_tokens(std::size_t chars);

}  // namespace fake
