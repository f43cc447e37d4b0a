// request.h: the canonical chat request. A regular value type (see message.h for the
// ownership and thread-safety rules). Build one by hand or get one from decode_request().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <harness/dialect.h>
#include <harness/json_fields.h>
#include <harness/message.h>
#include <harness/tool.h>

namespace harness {
inline namespace v0 {

/// Reasoning / extended thinking asked for by the client.
/// OpenAI says `reasoning_effort`; Anthropic says `thinking` (enabled + budget, adaptive,
/// disabled) with `output_config.effort`; Ollama says `think` (bool or level).
struct reasoning_config {
  enum class mode { unset, enabled, disabled, adaptive };
  mode kind = mode::unset;
  std::string effort;                    ///< "minimal", "low", "medium", "high", ...; empty: unset
  std::optional<std::int64_t> budget_tokens;
  friend bool operator==(const reasoning_config&, const reasoning_config&) = default;
};

/// Sampling parameters; unset ones are not sent upstream.
struct sampling {
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> top_k;
  std::optional<std::int64_t> seed;
  std::optional<double> frequency_penalty;
  std::optional<double> presence_penalty;
  friend bool operator==(const sampling&, const sampling&) = default;
};

/// A chat request in canonical form.
///
/// System prompts stay in `messages` (role system/developer) in their original positions; a
/// dialect with a separate system field (Anthropic) hoists them, in order, when encoding.
struct chat_request {
  std::string model;
  std::vector<message> messages;
  std::vector<tool_spec> tools;
  harness::tool_choice tool_choice;
  std::optional<bool> parallel_tool_calls;

  std::optional<std::int64_t> max_tokens;  ///< output limit
  /// The client named the limit `max_completion_tokens` (OpenAI's newer key); kept so an
  /// OpenAI-to-OpenAI pass-through writes the key the client used.
  bool max_tokens_as_completion = false;
  std::vector<std::string> stop;
  /// The client sent `stop` as one string rather than a list.
  bool stop_as_string = false;

  harness::sampling sampling;
  reasoning_config reasoning;

  bool stream = false;
  bool include_usage = false;  ///< OpenAI `stream_options.include_usage`

  std::string response_format;  ///< OpenAI `response_format` as raw JSON; empty: none
  std::string user;             ///< end-user id (OpenAI `user`, Anthropic `metadata.user_id`)

  json_fields extra;  ///< top-level fields no codec models, raw, in the client's order
  /// The dialect the request was decoded from. Every `extra` in the request (top level,
  /// messages, tools) is written back only when encoding to this same dialect: another
  /// dialect's unknown fields would be rejected by strict backends (translation.md A.8.10).
  dialect origin = dialect::openai;
  friend bool operator==(const chat_request&, const chat_request&) = default;
};

}  // namespace v0
}  // namespace harness
