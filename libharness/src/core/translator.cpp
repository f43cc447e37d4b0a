// translator: translate.h's operations over one caller-owned parse_context.
#include <harness/translator.h>

#include "codec/anthropic/anthropic.h"
#include "codec/ollama/ollama.h"
#include "codec/openai/openai.h"
#include "codec/responses/responses.h"
#include "json/parse_context.h"

namespace harness {
inline namespace v0 {

struct translator::buffers {
  detail::parse_context ctx;
};

translator::translator() = default;
translator::~translator() = default;
translator::translator(translator&&) noexcept = default;
translator& translator::operator=(translator&&) noexcept = default;

translator::buffers& translator::get() {
  if (!buffers_) buffers_ = std::make_unique<buffers>();  // first use, or after a move
  return *buffers_;
}

void translator::release_buffers() noexcept { buffers_.reset(); }

#define HARNESS_DISPATCH_CTX(d, call)                            \
  switch (d) {                                                   \
    case dialect::openai: return detail::openai::call;           \
    case dialect::anthropic: return detail::anthropic::call;     \
    case dialect::ollama: return detail::ollama::call;           \
    case dialect::responses: return detail::responses::call;     \
  }                                                              \
  return detail::openai::call

result<chat_request> translator::normalize_request(dialect from, std::string_view body) {
  detail::parse_context& ctx = get().ctx;
  HARNESS_DISPATCH_CTX(from, decode_request(body, ctx));
}

result<chat_response> translator::normalize_response(dialect from, std::string_view body) {
  detail::parse_context& ctx = get().ctx;
  HARNESS_DISPATCH_CTX(from, decode_response(body, ctx));
}

#undef HARNESS_DISPATCH_CTX

// Only the Anthropic encoders parse (tool-call arguments into `input` objects); the others
// take the public path.
result<std::string> translator::encode_request(dialect to, const chat_request& request,
                                               const encode_options& options) {
  if (to == dialect::anthropic) return detail::anthropic::encode_request(request, options, get().ctx);
  return harness::encode_request(to, request, options);
}

result<std::string> translator::encode_response(dialect to, const chat_response& response) {
  if (to == dialect::anthropic) return detail::anthropic::encode_response(response, get().ctx);
  return harness::encode_response(to, response);
}

result<std::string> translator::translate_request(dialect from, dialect to, std::string_view body,
                                                  const encode_options& options) {
  auto request = normalize_request(from, body);
  if (!request) return std::move(request).error_value();
  return encode_request(to, *request, options);
}

result<std::string> translator::translate_response(dialect from, dialect to,
                                                   std::string_view body) {
  auto response = normalize_response(from, body);
  if (!response) return std::move(response).error_value();
  return encode_response(to, *response);
}

}  // namespace v0
}  // namespace harness
