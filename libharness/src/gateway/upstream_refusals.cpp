#include "gateway/upstream_refusals.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "core/ascii.h"

namespace harness::detail {
namespace {

bool contains_any(std::string_view message, std::initializer_list<std::string_view> needles) {
  std::string lower(message);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return ascii_lower(c); });
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) {
    return lower.find(n) != std::string::npos;
  });
}

}  // namespace

bool says_no_tools(std::string_view message) {
  return contains_any(message, {"does not support tools", "does not support tool use",
                                "does not support tool calling",
                                "does not support function calling",
                                "tools is not supported", "tool use is not supported",
                                "tool calling is not supported",
                                "function calling is not supported",
                                "function calling not support",
                                "support tool use",  // OpenRouter: no endpoints found that ...
                                "enable-auto-tool-choice", "tools param requires --jinja"});
}

bool says_no_thinking(std::string_view message) {
  return contains_any(message, {"does not support thinking", "thinking is not supported",
                                "does not support reasoning", "reasoning is not supported"});
}

}  // namespace harness::detail
