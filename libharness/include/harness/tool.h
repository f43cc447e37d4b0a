// tool.h: tools offered to the model and the caller's choice among them. Regular value types
// (see message.h).
#pragma once

#include <optional>
#include <string>

#include <harness/json_fields.h>

namespace harness {
inline namespace v0 {

/// A tool definition. `parameters` is the JSON schema as raw JSON text (empty: none given).
/// `kind` is "function" for ordinary tools; anything else (an Anthropic server tool such as
/// "web_search_20250305", an OpenAI "custom" tool) is kept with its whole definition in
/// `extra` so a codec that cannot route it can say so instead of crashing.
struct tool_spec {
  std::string kind = "function";
  std::string name;
  std::string description;
  std::string parameters;
  std::optional<bool> strict;
  std::string cache_control;
  json_fields extra;
  friend bool operator==(const tool_spec&, const tool_spec&) = default;
};

/// How the model must use tools.
struct tool_choice {
  enum class mode {
    unset,     ///< the client did not say
    auto_,     ///< the model decides
    none,      ///< no tool call allowed
    required,  ///< at least one call (Anthropic "any")
    tool,      ///< this one tool (`name`)
  };
  mode kind = mode::unset;
  std::string name;
  friend bool operator==(const tool_choice&, const tool_choice&) = default;
};

}  // namespace v0
}  // namespace harness
