// response.h: the canonical (non-streaming) chat response. A regular value type (see
// message.h for the ownership and thread-safety rules).
#pragma once

#include <cstdint>
#include <string>

#include <harness/dialect.h>
#include <harness/json_fields.h>
#include <harness/message.h>

namespace harness {
inline namespace v0 {

/// Why generation ended, the union of what the dialects can say.
enum class finish_reason {
  none,            ///< not said (yet)
  stop,            ///< natural end (OpenAI "stop", Anthropic "end_turn", Ollama "stop")
  stop_sequence,   ///< a stop sequence matched (Anthropic "stop_sequence"; OpenAI says "stop")
  length,          ///< output limit (or context window) reached
  tool_calls,      ///< the turn ends with tool use
  content_filter,  ///< refused / filtered
  pause,           ///< Anthropic "pause_turn" (server-tool loop paused)
  error,           ///< the upstream failed mid-generation
};

/// "none", "stop", "stop_sequence", ...
const char* to_string(finish_reason r) noexcept;

/// Token usage. `input_tokens` excludes cached tokens (Anthropic semantics); OpenAI's
/// `prompt_tokens` = input_tokens + cache_read_tokens + cache_write_tokens.
struct usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cache_read_tokens = 0;
  std::int64_t cache_write_tokens = 0;
  std::int64_t reasoning_tokens = 0;
  bool present = false;  ///< the upstream reported usage at all
  friend bool operator==(const usage&, const usage&) = default;

  std::int64_t prompt_tokens() const noexcept {
    return input_tokens + cache_read_tokens + cache_write_tokens;
  }
};

/// A complete assistant turn.
struct chat_response {
  std::string id;
  std::string model;
  std::int64_t created = 0;         ///< unix seconds; 0: unknown
  harness::message message{harness::role::assistant, {}, {}, false, false, {}};
  harness::finish_reason finish = harness::finish_reason::none;
  std::string stop_sequence;        ///< which stop sequence fired, when known
  harness::usage usage;
  json_fields extra;                ///< top-level fields no codec models, raw
  dialect origin = dialect::openai;  ///< decoded from; `extra` is written only to this dialect
  friend bool operator==(const chat_response&, const chat_response&) = default;
};

}  // namespace v0
}  // namespace harness
