// translate.h: one call from one dialect's body to another's.
//
// All functions are pure and thread-safe. Bodies are read during the call and never kept; the
// results own their data. Errors are those of decode_request / encode_request (codec.h): the
// code, a message safe to show a client, the JSON path and the HTTP status to answer with.
// Each call sets up and frees its own parse buffers; to translate many bodies on one thread,
// harness::translator (translator.h) keeps them between calls with byte-identical results.
#pragma once

#include <cstdint>
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

/// A local estimate of a request's input tokens (about 4 bytes of text per token, counting
/// system prompts, messages, tool calls, tool results and tool definitions: all of them,
/// since clients use it to decide when to compact the conversation).
std::int64_t estimate_input_tokens(const chat_request& request);

/// Anthropic's `POST /v1/messages/count_tokens` answered locally: decodes `body` (a Messages
/// request) and returns `{"input_tokens": N}`, or the decode error.
result<std::string> count_tokens_response(std::string_view body);

}  // namespace v0
}  // namespace harness
