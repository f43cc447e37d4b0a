// internal.h: helpers shared by the anthropic codec's translation units (private to the codec).
#pragma once

#include <harness/message.h>
#include <harness/request.h>
#include <harness/result.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail::anthropic {

/// Blocks of Anthropic server tools (server_tool_use, web_search_tool_result, mcp_tool_use,
/// container_upload, ...). The canonical model cannot hold them and only Anthropic can run
/// them, so decoders skip them (Claude Code replays them in history; a 400 would lose the
/// turn, translation.md E). Everything else unknown is an error.
bool is_server_block(std::string_view type) noexcept;

/// True for media types Anthropic carries in a `document` block rather than an `image`.
bool is_document_media(std::string_view media_type) noexcept;

/// The value of `key` in `obj`, or false when absent or null (optional fields: null = absent).
bool find_field(json_object obj, std::string_view key, json_element& out) noexcept;

/// Reads an optional `cache_control` (object; null = none) as raw JSON.
bool read_cache_control(json_object obj, const json_path& block_path, std::string& out, error& err);

// Content blocks shared by requests and responses. `p` is the block's path.
bool decode_text(json_object obj, const json_path& p, text_block& out, error& err);
bool decode_thinking(json_object obj, const json_path& p, reasoning_block& out, error& err);
bool decode_redacted(json_object obj, const json_path& p, reasoning_block& out, error& err);
bool decode_tool_use(json_object obj, const json_path& p, tool_call_block& out, error& err);
/// `image` or `document` (base64 or url sources; a url document keeps media_type
/// application/pdf so it is written back as a document).
bool decode_media(json_object obj, const json_path& p, bool document, image_block& out, error& err);

/// Writes an image_block as an Anthropic `image` or (PDF) `document` block.
void write_media(json_writer& w, const image_block& img);
/// Writes a thinking / redacted_thinking block; `signature` is always present.
void write_reasoning(json_writer& w, const reasoning_block& r);

/// `known` (a complete JSON object text) with the members of `rest` (a raw JSON object kept in
/// `extra`, or nullptr) appended: how fields split between the canonical model and `extra`
/// (metadata, thinking, output_config, usage) are joined again.
std::string merge_object(std::string known, const std::string* rest);

/// A JSON object text holding every member of `obj` except those `skip` says to leave out.
template <class Skip>
std::string object_without(json_object obj, Skip skip) {
  std::string out;
  json_writer w(out);
  w.start_object();
  for (auto field : obj) {
    if (skip(field.key, field.value)) continue;
    append_raw_json(w.key(field.key).raw_target(), field.value);
  }
  w.end_object();
  return out;
}

}  // namespace harness::detail::anthropic

namespace harness::detail::anthropic {

/// Writes the `system` member (when there is any system text) and the `messages` member of
/// `req` (translation.md A.1 and A.8). Fails only when a tool call's arguments are not an
/// object. `scratch` is reused for parsing arguments.
result<void> write_conversation(json_writer& w, const chat_request& req,
                                simdjson::dom::parser& scratch);

/// Whether the conversation holds tool calls or results, and the distinct names called, in
/// order (A.8.4: Anthropic refuses tool history without `tools`).
bool has_tool_history(const chat_request& req, std::vector<std::string>& called_names);

}  // namespace harness::detail::anthropic
