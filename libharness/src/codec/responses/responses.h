// responses.h: the OpenAI Responses codec's entry points (the only code that knows this dialect).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <harness/codec.h>

namespace harness::detail {
struct parse_context;  // json/parse_context.h
}  // namespace harness::detail

namespace harness::detail::responses {

result<chat_request> decode_request(std::string_view body);
/// decode_request reusing `pc`'s parse buffers (harness::translator).
result<chat_request> decode_request(std::string_view body, parse_context& pc);
result<std::string> encode_request(const chat_request& request, const encode_options& options);
result<chat_response> decode_response(std::string_view body);
/// decode_response reusing `pc`'s parse buffers (harness::translator).
result<chat_response> decode_response(std::string_view body, parse_context& pc);
result<std::string> encode_response(const chat_response& response);
/// `freeform`: names of the client's `custom` tools, whose calls become `custom_tool_call` items.
result<std::string> encode_response(const chat_response& response,
                                    const std::vector<std::string>& freeform);
std::string encode_error(const error& err);
/// True when `tool` was decoded from a Responses `custom` (freeform) tool.
bool is_freeform(const tool_spec& tool) noexcept;
error decode_error(int http_status, std::string_view body);

}  // namespace harness::detail::responses
