// Tool emulation as a chat-only model sees it: tools described in the system prompt, calls
// answered as a JSON envelope in plain text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "request.h"

namespace fake {

/// The tools a system prompt describes, when it also asks for a JSON call envelope
/// (mentions "arguments" and JSON). std::nullopt when the prompt is not a tool-emulation prompt.
std::optional<std::vector<ToolDef>> emulated_tools(const Request &req);

/// The conversation already holds an emulated call (an assistant text with a JSON envelope).
bool has_emulated_call(const Request &req);

/// `{"name": "...", "arguments": {...}}`, printed the way models print it.
std::string envelope_text(const ToolCall &call);

}  // namespace fake
