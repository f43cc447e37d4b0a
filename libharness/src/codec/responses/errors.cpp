// errors.cpp: Responses errors use OpenAI's shape, {"error":{"message","type","param","code"}}.
#include "codec/openai/openai.h"
#include "codec/responses/responses.h"

namespace harness::detail::responses {

std::string encode_error(const error& err) { return openai::encode_error(err); }

error decode_error(int http_status, std::string_view body) {
  return openai::decode_error(http_status, body);
}

}  // namespace harness::detail::responses
