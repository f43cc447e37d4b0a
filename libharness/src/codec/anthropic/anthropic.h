// anthropic.h: the anthropic codec's internal entry points (the only code that knows this dialect).
#pragma once

#include <string>
#include <string_view>

#include <harness/codec.h>

namespace harness::detail {
struct parse_context;  // json/parse_context.h
}  // namespace harness::detail

namespace harness::detail::anthropic {

result<chat_request> decode_request(std::string_view body);
/// decode_request reusing `pc`'s parse buffers (harness::translator).
result<chat_request> decode_request(std::string_view body, parse_context& pc);
result<std::string> encode_request(const chat_request& request, const encode_options& options);
/// encode_request using `pc`'s parser as scratch (tool-call arguments, response_format).
result<std::string> encode_request(const chat_request& request, const encode_options& options,
                                   parse_context& pc);
result<chat_response> decode_response(std::string_view body);
/// decode_response reusing `pc`'s parse buffers (harness::translator).
result<chat_response> decode_response(std::string_view body, parse_context& pc);
result<std::string> encode_response(const chat_response& response);
/// encode_response using `pc`'s parser as scratch (tool-call arguments).
result<std::string> encode_response(const chat_response& response, parse_context& pc);
std::string encode_error(const error& err);
error decode_error(int http_status, std::string_view body);

/// The dialect's name for a finish reason, and back (unknown names map to finish_reason::stop).
const char* finish_reason_name(finish_reason reason) noexcept;
finish_reason parse_finish_reason(std::string_view name) noexcept;

}  // namespace harness::detail::anthropic
