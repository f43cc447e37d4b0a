// Behaviour is chosen by the request's model name: a profile or fault prefix, plus "@paced".
#pragma once

#include <chrono>
#include <string_view>

namespace fake {

enum class Profile { frontier, qwen32b_text, qwen7b, qwen7b_ws, chatonly, echo };

enum class Fault {
  none, http_500, http_429, slow, stall, reset, garbage, error_event, ok_error, huge, flaky, missing
};

struct ModelSpec {
  Profile profile = Profile::frontier;
  Fault fault = Fault::none;
  std::chrono::milliseconds pace{0};  ///< sleep between stream events ("@paced" = 5 ms, "@paced20")
};

ModelSpec parse_model(std::string_view model);

}  // namespace fake
