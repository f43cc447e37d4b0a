#include "model_spec.h"

#include <utility>

namespace fake {

ModelSpec parse_model(std::string_view model) {
  ModelSpec spec;
  if (std::size_t at = model.find("@paced"); at != std::string_view::npos) {
    std::string_view digits = model.substr(at + 6);
    long ms = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') break;
      ms = ms * 10 + (c - '0');
      if (ms > 10000) break;
    }
    spec.pace = std::chrono::milliseconds(ms > 0 ? ms : 5);
    model = model.substr(0, at);
  }
  static constexpr std::pair<std::string_view, Profile> kProfiles[] = {
      {"frontier", Profile::frontier}, {"qwen32b-text", Profile::qwen32b_text},
      {"qwen7b", Profile::qwen7b},     {"qwen7b-ws", Profile::qwen7b_ws},
      {"chatonly", Profile::chatonly}, {"liar", Profile::chatonly},
      {"echo", Profile::echo},
  };
  for (const auto &[prefix, profile] : kProfiles)
    if (model.starts_with(prefix)) spec.profile = profile;
  static constexpr std::pair<std::string_view, Fault> kFaults[] = {
      {"fault-500", Fault::http_500},       {"fault-429", Fault::http_429},
      {"fault-slow", Fault::slow},          {"fault-stall", Fault::stall},
      {"fault-reset", Fault::reset},        {"fault-garbage", Fault::garbage},
      {"fault-error-event", Fault::error_event}, {"fault-200-error", Fault::ok_error},
      {"fault-huge", Fault::huge},          {"fault-flaky", Fault::flaky},
      {"missing", Fault::missing},
  };
  for (const auto &[prefix, fault] : kFaults)
    if (model.starts_with(prefix)) spec.fault = fault;
  return spec;
}

}  // namespace fake
