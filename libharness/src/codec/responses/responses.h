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
/// `options`: the client's `custom` tools (their calls become `custom_tool_call` items) and
/// namespaced tools (their calls carry `namespace`).
result<std::string> encode_response(const chat_response& response, const response_options& options);
/// (tool name, namespace name) of the tools that came inside a `namespace` group.
std::vector<std::pair<std::string, std::string>> tool_namespaces(const std::vector<tool_spec>& tools);
std::string encode_error(const error& err);
/// True when `tool` was decoded from a Responses `custom` (freeform) tool.
bool is_freeform(const tool_spec& tool) noexcept;
error decode_error(int http_status, std::string_view body);

}  // namespace harness::detail::responses
