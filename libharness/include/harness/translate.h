// translate.h: one call from one dialect's body to another's.
#pragma once

#include <string>
#include <string_view>

#include <harness/codec.h>

namespace harness {
inline namespace v0 {

/// Same as decode_request: any dialect's request body to canonical form.
result<chat_request> normalize_request(dialect from, std::string_view body);
/// Same as decode_response: any dialect's response body to canonical form.
result<chat_response> normalize_response(dialect from, std::string_view body);

/// Decodes a request of dialect `from` and encodes it for dialect `to`.
/// Example:
///   auto out = harness::translate_request(harness::dialect::openai,
///                                         harness::dialect::anthropic, body);
///   if (!out) std::puts(out.error_value().describe().c_str());
result<std::string> translate_request(dialect from, dialect to, std::string_view body,
                                      const encode_options& options = {});

/// Decodes a response of dialect `from` and encodes it as dialect `to` would answer.
result<std::string> translate_response(dialect from, dialect to, std::string_view body);

}  // namespace v0
}  // namespace harness
