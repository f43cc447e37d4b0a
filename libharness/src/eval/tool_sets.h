// tool_sets.h: the embedded tool arrays of the built-in client profiles.
#pragma once

#include <string_view>

namespace harness::eval_internal {

/// The OpenAI `tools` JSON array a client sends; empty for an unknown profile name.
std::string_view tool_set_json(std::string_view profile) noexcept;

}  // namespace harness::eval_internal
