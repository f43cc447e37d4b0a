// message.h: the canonical conversation: messages made of ordered content blocks.
//
// Every dialect decodes into these types and encodes from them; no dialect-specific field lives
// here except as raw JSON in `extra`. All types are regular values that own their data.
// Thread-safety: as for std::string: concurrent reads of one value are safe; a write needs
// exclusive access. Pointers returned by accessors stay valid while the value is unchanged.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <harness/json_fields.h>

namespace harness {
inline namespace v0 {

/// Who speaks. `developer` is OpenAI's newer name for a system message; codecs that have no such
/// role treat it as `system`.
enum class role { system, developer, user, assistant, tool };

/// "system", "developer", "user", "assistant", "tool".
const char* to_string(role r) noexcept;

/// Plain text. `cache_control` is Anthropic's prompt-cache marker as raw JSON (empty: none).
struct text_block {
  std::string text;
  std::string cache_control;
  friend bool operator==(const text_block&, const text_block&) = default;
};

/// An image (or a document such as a PDF, told apart by `media_type`).
/// Either `url` is set (an http(s) URL), or `data` holds base64 with its `media_type`.
struct image_block {
  std::string url;          ///< http(s) URL; empty when the bytes are inline
  std::string media_type;   ///< "image/png", "application/pdf", ...; set when `data` is
  std::string data;         ///< base64, without any `data:` prefix
  std::string detail;       ///< OpenAI's "low" / "high" / "auto"; empty when not sent
  std::string cache_control;
  friend bool operator==(const image_block&, const image_block&) = default;
};

/// A call the assistant makes. `arguments` is the exact JSON text the model produced (OpenAI's
/// `function.arguments`); it is normally an object but may be anything a model printed, even
/// invalid JSON: codecs that need an object parse (and, if needed, repair) it.
struct tool_call_block {
  std::string id;
  std::string name;
  std::string arguments;
  std::string cache_control;
  friend bool operator==(const tool_call_block&, const tool_call_block&) = default;
};

/// One part of a tool result: text or an image.
using tool_result_part = std::variant<text_block, image_block>;

/// The result of a call, linked to it by `tool_call_id`. `name` is the called tool's name when
/// known (Ollama needs it as `tool_name`). `parts_form` records that the client sent the content
/// as a list of parts rather than one string, so the same shape can be written back.
struct tool_result_block {
  std::string tool_call_id;
  std::string name;
  std::vector<tool_result_part> content;
  bool is_error = false;
  bool parts_form = false;
  std::string cache_control;
  friend bool operator==(const tool_result_block&, const tool_result_block&) = default;

  /// All text parts joined with no separator.
  std::string joined_text() const;
};

/// Model reasoning ("thinking"). `signature` must round-trip to Anthropic unchanged.
/// A redacted block carries only opaque `redacted_data`.
struct reasoning_block {
  std::string text;
  std::string signature;
  bool redacted = false;
  std::string redacted_data;
  friend bool operator==(const reasoning_block&, const reasoning_block&) = default;
};

using content_block =
    std::variant<text_block, image_block, tool_call_block, tool_result_block, reasoning_block>;

/// One message. For role `tool`, `content` holds exactly one tool_result_block.
struct message {
  harness::role role = harness::role::user;
  std::vector<content_block> content;
  std::string name;          ///< OpenAI's optional participant name
  /// How the client wrote `content`: as one string (false) or as a list of parts (true).
  bool parts_form = false;
  /// The client sent `"content": null` (OpenAI assistant tool-call turns).
  bool content_null = false;
  json_fields extra;         ///< message fields no codec models, raw
  friend bool operator==(const message&, const message&) = default;

  /// All text blocks joined with no separator.
  std::string joined_text() const;
  /// All text blocks joined with `separator` between two blocks (a dialect whose content is one
  /// string gets a client's separate system or user blocks as "a\nb", not "ab").
  std::string joined_text(std::string_view separator) const;
  /// Pointers to the tool calls, in order (valid while the message lives unchanged).
  std::vector<const tool_call_block*> tool_calls() const;
};

}  // namespace v0
}  // namespace harness
