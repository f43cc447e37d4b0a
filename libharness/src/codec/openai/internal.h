// internal.h: helpers shared by the openai codec's translation units (private to the codec).
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <harness/message.h>
#include <harness/request.h>
#include <harness/result.h>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail::openai {

// ---- decoding (message_decode.cpp) ----------------------------------------------------------

/// What one body's messages share while they are decoded.
struct decode_state {
  std::string_view body;      ///< seed of synthesized ids (stable for the same body)
  std::size_t next_call = 0;  ///< position of the next tool call in the body
  bool response = false;      ///< a response message: role forced to assistant, ids optional
  /// id -> name of every call decoded so far (last wins), so tool results know their tool's name.
  /// Views into the parsed document (alive for the whole decode) or into `owned`.
  std::unordered_map<std::string_view, std::string_view> call_names;
  /// Synthesized ids (and their names) that call_names points at (a list never moves them, and
  /// an empty one allocates nothing).
  std::list<std::string> owned;
  /// name -> synthesized id of the latest legacy `function_call`, for the `function` message
  /// that answers it (the legacy protocol has no ids).
  std::unordered_map<std::string, std::string> legacy_calls;
};

/// Decodes one Chat Completions message into `out`.
bool decode_message(json_element e, const json_path& path, decode_state& st, message& out,
                    error& err);

/// The value of `key`, or false when it is absent or null (optional fields: null = absent).
bool find_field(json_object obj, std::string_view key, json_element& out) noexcept;
/// find_field, or a "missing required field" error at parent.key.
bool required_field(json_object obj, std::string_view key, const json_path& parent,
                    json_element& out, error& err);

// ---- content parts (parts_decode.cpp) -------------------------------------------------------

/// An array of content parts appended to `out` as text / image blocks. Audio, file_id and
/// unknown part types are refused with their path (never dropped silently).
bool decode_parts(json_element e, const json_path& p, std::vector<content_block>& out,
                  error& err);

/// `cache_control` (an OpenAI extension of LiteLLM, Cursor, OpenRouter; translation.md A.1):
/// an object, kept as raw JSON.
bool read_cache_control(json_element v, const json_path& p, std::string& out, error& err);

/// `data:<media type>[;params];base64,<data>` split into its media type and base64 data.
/// False when `url` is not a base64 data URL.
bool parse_data_url(std::string_view url, std::string& media_type, std::string& data);

// ---- encoding (message_encode.cpp) ----------------------------------------------------------

/// Writes the `messages` array (translation.md A.2: developer, reasoning, tool results, images
/// of tool results moved to a following user message). `same` = the request came from openai,
/// so `extra`, `cache_control` and the client's content shapes are written back.
void write_messages(json_writer& w, const chat_request& req, bool same);

/// Writes an image_block as an `image_url` part (or a `file` part for a PDF or other document
/// sent inline) without closing anything around it.
void write_media_part(json_writer& w, const image_block& img, bool with_cache);

/// Text of the non-redacted reasoning blocks, joined; `any` tells whether there was one.
std::string joined_reasoning(const message& m, bool& any);

/// Writes `tool_calls` entries ({id, type:"function", function:{name, arguments}}).
void write_tool_calls(json_writer& w, const std::vector<const tool_call_block*>& calls);
/// Writes one `tool_calls` entry.
void write_tool_call(json_writer& w, const tool_call_block& c);

/// Bytes of text a request or message will take, to reserve the output buffer once.
std::size_t estimated_size(const message& m) noexcept;

}  // namespace harness::detail::openai
