// How the server answers one request: status, headers, body pieces and timing faults.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "request.h"

namespace fake {

struct Plan {
  static constexpr std::size_t never = static_cast<std::size_t>(-1);

  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> pieces;  ///< joined into one body unless `chunked`
  bool chunked = false;             ///< written piece by piece (streams, mid-body faults)
  std::chrono::milliseconds head_delay{0};
  std::chrono::milliseconds pace{0};  ///< sleep between pieces
  std::size_t stall_after = never;    ///< after this many pieces, go silent for `stall_for`
  std::chrono::milliseconds stall_for{0};
  std::size_t reset_after = never;  ///< after this many pieces, reset the connection
};

/// Per-process memory of faults that depend on earlier requests (fault-flaky).
class FaultState {
public:
  /// How many requests with exactly this model name came before this one.
  int count(const std::string &model);

private:
  std::mutex mu_;
  std::map<std::string, int> seen_;
};

/// What was read from the request, for the request log.
struct Received {
  std::string model;
  bool parsed = false;
  bool tools = false;
  bool stream = false;
  std::size_t messages = 0;
};

/// The whole answer to a chat request in one dialect: parse, faults, validation, profile,
/// writer.
Plan respond(Dialect dialect, std::string_view body, FaultState &state, Received &received);

}  // namespace fake
