// observe.h: what a client would make of one recorded exchange: text, tool calls, finish, and
// (for streams) whether the stream was well-formed. Internal to the evaluator.
#pragma once

#include <string>
#include <vector>

#include <harness/eval.h>
#include <harness/response.h>

namespace harness::eval_internal {

struct observed_call {
  std::string id;
  std::string name;
  std::string arguments;  ///< the JSON text as received
};

struct observed {
  bool ok = false;           ///< a 2xx answer that decoded
  std::string fail_code;     ///< when !ok: "infra.timeout", "infra.http_503", "http_400", ...
  std::string fail_reason;   ///< when !ok: one line
  std::string text;
  std::vector<observed_call> calls;
  finish_reason finish = finish_reason::none;
  harness::usage usage;
  std::vector<std::string> stream_problems;  ///< streams: structural problems found
};

observed observe(const eval::exchange& ex);

/// The last message of a Chat Completions request body as "role: text" (clipped), for reports.
std::string last_message(std::string_view request_body);

/// At most `n` bytes of `s` (cut at a UTF-8 boundary) with "..." when cut.
std::string clip(std::string_view s, std::size_t n = 600);

}  // namespace harness::eval_internal
