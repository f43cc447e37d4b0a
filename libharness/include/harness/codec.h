// codec.h: decode and encode each dialect's bodies to and from the canonical types.
//
// One codec per dialect lives inside the library; these functions dispatch to it. All functions
// are reentrant and thread-safe (no shared state). Inputs are read, never kept: results own
// their data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <harness/dialect.h>
#include <harness/request.h>
#include <harness/response.h>
#include <harness/result.h>

namespace harness {
inline namespace v0 {

/// Choices an encoder cannot take from the canonical value alone.
struct encode_options {
  /// Output limit to send when the request has none and the dialect requires one (Anthropic).
  /// 0: the codec's per-model default (a table of known model families, else 32000).
  std::int64_t default_max_tokens = 0;
  /// Ollama `options.num_ctx` to send when the request does not set one; 0: leave unset.
  std::int64_t num_ctx = 0;
};

/// Decodes a request body of dialect `d`. The body is validated in full (JSON, UTF-8, depth,
/// field types); errors carry the JSON path and status 400. Unknown fields are kept in `extra`.
result<chat_request> decode_request(dialect d, std::string_view body);

/// Encodes a canonical request for dialect `d`. Fails (errc::unsupported, 400) only when the
/// request cannot be expressed, e.g. tool-call arguments that are not a JSON object for a
/// dialect that needs an object.
result<std::string> encode_request(dialect d, const chat_request& request,
                                   const encode_options& options = {});

/// Decodes a non-streaming response body of dialect `d`. Where the dialect gives no tool-call
/// ids (Ollama), stable ids are derived from the body, so decoding the same body twice gives
/// the same ids and distinct calls get distinct ids.
result<chat_response> decode_response(dialect d, std::string_view body);

/// Encodes a canonical response as dialect `d` would answer it.
result<std::string> encode_response(dialect d, const chat_response& response);

/// What a response encoder cannot learn from the response alone.
struct response_options {
  /// Tools the client declared as freeform text tools (OpenAI Responses `custom` tools, such as
  /// Codex's `apply_patch`; see freeform_tools). Upstreams see each as a function with one string
  /// parameter `input`; dialect::responses writes their calls back as `custom_tool_call` items.
  std::vector<std::string> freeform_tools;
  /// (tool name, namespace) for tools the client declared inside a Responses `namespace` group
  /// (see tool_namespaces). Upstreams see them as plain tools; dialect::responses writes the
  /// `namespace` back on their calls, which is how the client finds the tool.
  std::vector<std::pair<std::string, std::string>> tool_namespaces;
};
result<std::string> encode_response(dialect d, const chat_response& response,
                                    const response_options& options);

/// The names of the freeform tools of a request decoded from dialect::responses (empty for
/// every other request): pass them to response_options / stream_encoder_options.
std::vector<std::string> freeform_tools(const chat_request& request);

/// (tool name, namespace name) for each tool of a request decoded from dialect::responses that
/// came inside a `namespace` group (empty for every other request): pass them to
/// response_options / stream_encoder_options.
std::vector<std::pair<std::string, std::string>> tool_namespaces(const chat_request& request);

/// The error body dialect `d` uses: OpenAI `{"error":{...}}`, Anthropic
/// `{"type":"error","error":{...}}`, Ollama `{"error":"..."}`. Never fails; always valid JSON.
std::string encode_error(dialect d, const error& err);

/// Reads an upstream error body of dialect `d` answered with `http_status`. The result carries
/// the upstream's message when one can be found (else a generic one) and the status a client
/// should see (429 and 5xx kept, 529 mapped to 503, others as given).
error decode_error(dialect d, int http_status, std::string_view body);

}  // namespace v0
}  // namespace harness
