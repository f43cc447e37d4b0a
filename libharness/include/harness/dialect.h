// dialect.h: the wire formats libharness speaks. Both functions are pure and thread-safe;
// to_string returns a static string (never null, never freed).
#pragma once

#include <optional>
#include <string_view>

namespace harness {
inline namespace v0 {

/// A wire format. Each has exactly one codec inside the library.
enum class dialect {
  openai,     ///< OpenAI Chat Completions (`/v1/chat/completions`)
  anthropic,  ///< Anthropic Messages (`/v1/messages`)
  ollama,     ///< Ollama native chat (`/api/chat`)
  responses,  ///< OpenAI Responses (`/v1/responses`, Codex); stateless: no stored responses
};

/// "openai", "anthropic", "ollama", "responses".
const char* to_string(dialect d) noexcept;
/// Parses the names above; nullopt for anything else.
std::optional<dialect> parse_dialect(std::string_view name) noexcept;

}  // namespace v0
}  // namespace harness
