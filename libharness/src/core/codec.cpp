// Dispatch from the public codec API to the one codec of each dialect.
#include <harness/codec.h>
#include <harness/translate.h>

#include "codec/anthropic/anthropic.h"
#include "codec/ollama/ollama.h"
#include "codec/openai/openai.h"
#include "codec/responses/responses.h"

namespace harness {
inline namespace v0 {

#define HARNESS_DISPATCH(d, call)                         \
  switch (d) {                                            \
    case dialect::openai: return detail::openai::call;    \
    case dialect::anthropic: return detail::anthropic::call; \
    case dialect::ollama: return detail::ollama::call;    \
    case dialect::responses: return detail::responses::call; \
  }                                                       \
  return detail::openai::call

result<chat_request> decode_request(dialect d, std::string_view body) {
  HARNESS_DISPATCH(d, decode_request(body));
}

result<std::string> encode_request(dialect d, const chat_request& request,
                                   const encode_options& options) {
  HARNESS_DISPATCH(d, encode_request(request, options));
}

result<chat_response> decode_response(dialect d, std::string_view body) {
  HARNESS_DISPATCH(d, decode_response(body));
}

result<std::string> encode_response(dialect d, const chat_response& response) {
  HARNESS_DISPATCH(d, encode_response(response));
}

result<std::string> encode_response(dialect d, const chat_response& response,
                                    const response_options& options) {
  if (d == dialect::responses) return detail::responses::encode_response(response, options);
  return encode_response(d, response);
}

std::vector<std::string> freeform_tools(const chat_request& request) {
  std::vector<std::string> names;
  if (request.origin != dialect::responses) return names;
  for (const auto& t : request.tools) {
    if (detail::responses::is_freeform(t)) names.push_back(t.name);
  }
  return names;
}

std::vector<std::pair<std::string, std::string>> tool_namespaces(const chat_request& request) {
  if (request.origin != dialect::responses) return {};
  return detail::responses::tool_namespaces(request.tools);
}

std::string encode_error(dialect d, const error& err) { HARNESS_DISPATCH(d, encode_error(err)); }

error decode_error(dialect d, int http_status, std::string_view body) {
  HARNESS_DISPATCH(d, decode_error(http_status, body));
}

#undef HARNESS_DISPATCH

result<chat_request> normalize_request(dialect from, std::string_view body) {
  return decode_request(from, body);
}

result<chat_response> normalize_response(dialect from, std::string_view body) {
  return decode_response(from, body);
}

result<std::string> translate_request(dialect from, dialect to, std::string_view body,
                                      const encode_options& options) {
  auto request = decode_request(from, body);
  if (!request) return std::move(request).error_value();
  return encode_request(to, *request, options);
}

result<std::string> translate_response(dialect from, dialect to, std::string_view body) {
  auto response = decode_response(from, body);
  if (!response) return std::move(response).error_value();
  return encode_response(to, *response);
}

}  // namespace v0
}  // namespace harness
