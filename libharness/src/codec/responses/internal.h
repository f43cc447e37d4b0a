// internal.h: helpers shared by the responses codec's translation units (private to the codec).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <harness/codec.h>
#include <harness/message.h>
#include <harness/request.h>
#include <harness/response.h>
#include <harness/result.h>

#include "json/reader.h"
#include "json/writer.h"

namespace harness::detail::responses {

// ---- reading (common.cpp) -------------------------------------------------------------------

/// The value of `key`, or false when it is absent or null (optional fields: null = absent).
bool find_field(json_object obj, std::string_view key, json_element& out) noexcept;
/// find_field, or a "missing required field" error at parent.key.
bool required_field(json_object obj, std::string_view key, const json_path& parent,
                    json_element& out, error& err);
/// The required string field `key` of `obj`.
bool required_string(json_object obj, std::string_view key, const json_path& parent,
                     std::string& out, error& err);
/// `data:<media type>[;params];base64,<data>` split; false when `url` is not such a URL.
bool parse_data_url(std::string_view url, std::string& media_type, std::string& data);
/// An unsupported-feature error (400) at `path`.
error unsupported(const json_path& path, std::string message);

// ---- freeform (custom) tools (common.cpp) ---------------------------------------------------
//
// A Responses `custom` tool takes free text, not JSON. Upstreams see it as a function with one
// string parameter `input`; the tool_spec keeps `"type":"custom"` (and `format`) in `extra` so
// this codec writes it back as it came.

/// True when `tool` was decoded from a Responses `custom` tool.
bool is_freeform(const tool_spec& tool) noexcept;
/// The `{"input": text}` arguments of a freeform call.
std::string freeform_arguments(std::string_view input);
/// The text of a freeform call's arguments: the `input` string when the arguments are
/// `{"input": "..."}`, else the arguments as they are (a model that ignored the schema).
std::string freeform_input(std::string_view arguments);

/// Item ids: `<prefix><16 hex>` from the response id and the item's position.
std::string item_id(std::string_view response_id, std::size_t index, std::string_view prefix);

// ---- input items (items_decode.cpp) ---------------------------------------------------------

/// Decodes `input` (a string or an array of items) into canonical messages appended to `out`.
bool decode_input(json_element v, const json_path& p, std::vector<message>& out, error& err);

/// Decodes one output-item-shaped array (a Response's `output`) into an assistant message.
bool decode_output_items(json_array items, const json_path& p, message& out, error& err);

// ---- output items (items_encode.cpp) --------------------------------------------------------

/// Writes the output items of an assistant message (reasoning, message, function_call,
/// custom_tool_call) as array elements; `status` is each item's status. Calls of tools in
/// `options.tool_namespaces` carry their `namespace`.
void write_output_items(json_writer& w, const message& m, std::string_view response_id,
                        const response_options& options, std::string_view status);

/// The namespace of tool `name` in `namespaces` (empty when it has none).
std::string_view namespace_of(const std::vector<std::pair<std::string, std::string>>& namespaces,
                              std::string_view name) noexcept;

/// The response id: the upstream's when it is a `resp_` id, else one derived from it.
std::string response_id(const chat_response& resp);

/// The `usage` object ({input_tokens, input_tokens_details, output_tokens, ...}).
void write_usage(json_writer& w, const usage& u);

/// The `status` and `incomplete_details.reason` for a finish reason ("" when complete).
const char* status_for(finish_reason r) noexcept;
const char* incomplete_reason(finish_reason r) noexcept;

}  // namespace harness::detail::responses
