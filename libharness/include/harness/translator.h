// translator.h: translate.h's operations with parse buffers kept between calls.
//
// Each free function in translate.h sets up fresh parse buffers (simdjson's DOM parser: about
// 57 KB for a small body, about 15x the body for a large one) and frees them on return. A
// translator owns those buffers and reuses them, so a caller translating many bodies (a server
// worker, a batch tool) pays for them once, like simdjson's own `dom::parser`.
//
// - Results are byte-identical to the free functions, whatever was translated before and
//   whether earlier calls failed: no state but buffer capacity carries over between calls.
// - Not thread-safe: use one translator per thread. Movable, not copyable; a moved-from
//   translator is still usable (it starts again with empty buffers).
// - Buffers only grow: after a 5 MB body it holds about 80 MB until release_buffers() or
//   destruction.
// Example:
//   harness::translator t;
//   for (const std::string& body : bodies) {
//     auto out = t.translate_request(harness::dialect::openai, harness::dialect::anthropic, body);
//     if (!out) std::puts(out.error_value().describe().c_str());
//   }
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <harness/codec.h>

namespace harness {
inline namespace v0 {

class translator {
 public:
  translator();
  ~translator();
  translator(translator&&) noexcept;
  translator& operator=(translator&&) noexcept;
  translator(const translator&) = delete;
  translator& operator=(const translator&) = delete;

  /// Same as harness::normalize_request / decode_request.
  result<chat_request> normalize_request(dialect from, std::string_view body);
  /// Same as harness::normalize_response / decode_response.
  result<chat_response> normalize_response(dialect from, std::string_view body);
  /// Same as harness::translate_request.
  result<std::string> translate_request(dialect from, dialect to, std::string_view body,
                                        const encode_options& options = {});
  /// Same as harness::translate_response.
  result<std::string> translate_response(dialect from, dialect to, std::string_view body);
  /// Same as harness::encode_request (encoders parse tool-call arguments in the same buffers).
  result<std::string> encode_request(dialect to, const chat_request& request,
                                     const encode_options& options = {});
  /// Same as harness::encode_response.
  result<std::string> encode_response(dialect to, const chat_response& response);

  /// Frees the parse buffers (e.g. after an unusually large body); the next call reallocates.
  void release_buffers() noexcept;

 private:
  struct buffers;
  std::unique_ptr<buffers> buffers_;
  buffers& get();
};

}  // namespace v0
}  // namespace harness
