// client_api.cpp: re-encoding the evaluator's requests for the Messages and Responses APIs.
#include "eval/client_api.h"

#include <harness/codec.h>

namespace harness::eval_internal {

dialect dialect_of(eval::client_api api) noexcept {
  switch (api) {
    case eval::client_api::chat: return dialect::openai;
    case eval::client_api::messages: return dialect::anthropic;
    case eval::client_api::responses: return dialect::responses;
  }
  return dialect::openai;
}

const char* path_of(eval::client_api api) noexcept {
  switch (api) {
    case eval::client_api::chat: return "/chat/completions";
    case eval::client_api::messages: return "/messages";
    case eval::client_api::responses: return "/responses";
  }
  return "/chat/completions";
}

result<std::string> wire_body(eval::client_api api, const std::string& chat_body) {
  if (api == eval::client_api::chat) return chat_body;
  auto req = decode_request(dialect::openai, chat_body);
  if (!req) return std::move(req).error_value();
  req->include_usage = false;  // a Chat Completions stream option; the others always report usage
  return encode_request(dialect_of(api), *req);
}

std::optional<std::string> begin_exchange(eval::exchange& ex, eval::client_api api,
                                          const std::string& chat_body, bool stream) {
  ex.request = chat_body;
  ex.stream = stream;
  ex.api = api;
  auto wire = wire_body(api, chat_body);
  if (!wire) {
    ex.transport_error = "cannot encode the request for " + std::string(eval::to_string(api)) +
                         ": " + wire.error_value().message;
    return std::nullopt;
  }
  return std::move(*wire);
}

}  // namespace harness::eval_internal
