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
  long long input_tokens = 1;
  long long output_tokens = 1;
};

/// The behaviour profile chosen by the model name answers the request (or refuses it).
std::variant<Reply, Failure> answer(const Request &req);

/// Rough token count of a text (chars / 4, at least 1).
long long estimate_tokens(std::size_t chars);

}  // namespace fake
