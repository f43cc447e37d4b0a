// upstream_refusals.h: recognises the errors by which a backend says a model cannot take
// tools or thinking (the wordings of real hosts), so the gateway can learn and retry.
#pragma once

#include <string_view>

namespace harness::detail {

/// Ollama "... does not support tools", OpenAI "tools is not supported in this model", vLLM
/// "\"auto\" tool choice requires --enable-auto-tool-choice ...", OpenRouter "No endpoints
/// found that support tool use", llama.cpp "tools param requires --jinja flag", ...
bool says_no_tools(std::string_view message);

/// Ollama "\"model\" does not support thinking", and the like.
bool says_no_thinking(std::string_view message);

}  // namespace harness::detail
