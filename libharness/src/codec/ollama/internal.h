// internal.h: helpers shared by the files of the ollama codec (request and response bodies carry
// the same message shape, translation.md B.2/B.4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <harness/message.h>
#include <harness/result.h>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail::ollama {

/// Ollama images are raw base64 without a type: guess it from the first bytes of the encoding
/// (PNG, JPEG, GIF, WebP), else application/octet-stream.
std::string_view sniff_media_type(std::string_view base64) noexcept;

/// RFC 3339 timestamp (Go's time.Time JSON form, fraction and offset optional) -> unix seconds.
/// False when the text is not such a timestamp.
bool parse_rfc3339(std::string_view text, std::int64_t& out) noexcept;
/// Unix seconds -> "YYYY-MM-DDTHH:MM:SSZ" (UTC); 0 and negatives give the epoch.
std::string format_rfc3339(std::int64_t unix_seconds);

/// Ids for tool calls that came without one (Ollama < 0.12.10, translation.md B.3). Gives
/// exactly synthesize_call_id(body, position) but hashes the body only once, so a large body
/// with many id-less calls stays linear.
class call_id_source {
 public:
  explicit call_id_source(std::string_view body) : body_(body) {}
  std::string make(std::size_t position, std::string_view prefix = "call_");

 private:
  std::string_view body_;
  std::uint64_t body_hash_ = 0;
  bool hashed_ = false;
};

/// The content-bearing fields of one Ollama message, read before they become ordered blocks.
struct message_parts {
  std::string content;
  std::string thinking;
  std::vector<image_block> images;
  std::vector<tool_call_block> calls;
};

/// `images`: an array of raw base64 strings (null: none).
bool read_images(json_element value, const json_path& path, std::vector<image_block>& out,
                 error& err);
/// `tool_calls`: [{id?, function:{index?, name, arguments: object}}] (null: none). Arguments are
/// kept as compact JSON text; a missing id is synthesised from the call's `position` in the body,
/// which is advanced once per call.
bool read_tool_calls(json_element value, const json_path& path, call_id_source& ids,
                     std::size_t& position, std::vector<tool_call_block>& out, error& err);
/// Appends the parts to `m` in canonical order: reasoning, text, images, tool calls. An empty
/// text is kept only when the message would otherwise be empty.
void append_parts(message_parts&& parts, message& m);

/// Writes the body of an assistant-shaped message: `content` (always, a string), `thinking`,
/// `images` and `tool_calls` (arguments as objects). `at` is the canonical message's path, used
/// in errc::unsupported errors (URL images, non-object arguments).
result<void> write_message_parts(json_writer& w, const message& m, simdjson::dom::parser& parser,
                                 const json_path& at);
/// The keys write_message_parts (plus "role") writes for `m`: an extra field of the same name
/// is not repeated, any other one is written back.
std::vector<std::string_view> written_keys(const message& m);
/// The raw base64 to put in `images` for `img`, or an errc::unsupported error at `at`:
/// Ollama does not fetch URLs and takes only images.
result<std::string_view> image_data(const image_block& img, const json_path& at);

/// Text of all non-redacted reasoning blocks (Ollama `thinking` has no signature).
std::string joined_reasoning(const message& m);

/// Writes the members of the raw JSON object `raw_object` except those named in `skip`
/// (extra fields merged into an object the encoder also fills). Non-objects write nothing.
void write_object_members(json_writer& w, simdjson::dom::parser& parser,
                          std::string_view raw_object, const std::vector<std::string_view>& skip);

/// Whether `key` is one of `keys`.
bool is_one_of(std::string_view key, const std::vector<std::string_view>& keys) noexcept;

/// The encoder's error for a writer that refused a value (invalid UTF-8, NaN).
error unwritable(std::string_view what);

}  // namespace harness::detail::ollama
