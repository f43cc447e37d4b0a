// client_api.h: speaking to the proxy as a Chat Completions, Messages or Responses client. The
// evaluator builds every request as Chat Completions; the endpoint re-encodes it with the
// library's codecs for the chosen API, and observe() reads the reply in that API.
#pragma once

#include <optional>
#include <string>

#include <harness/dialect.h>
#include <harness/eval.h>

namespace harness::eval_internal {

dialect dialect_of(eval::client_api api) noexcept;
/// The proxy path under the base URL's /v1: "/chat/completions", "/messages", "/responses".
const char* path_of(eval::client_api api) noexcept;
/// `chat_body` re-encoded for `api`; an error when it cannot be expressed there.
result<std::string> wire_body(eval::client_api api, const std::string& chat_body);
/// The exchange an endpoint starts for `chat_body`, and its wire body in `api`; when the body
/// cannot be expressed in `api`, nullopt and `ex.transport_error` says why.
std::optional<std::string> begin_exchange(eval::exchange& ex, eval::client_api api,
                                          const std::string& chat_body, bool stream);

}  // namespace harness::eval_internal
