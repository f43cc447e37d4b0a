// libFuzzer target: every codec's request and response decoder, and re-encoding what decoded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <harness/codec.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (auto d : {harness::dialect::openai, harness::dialect::anthropic, harness::dialect::ollama,
                 harness::dialect::responses}) {
    if (auto req = harness::decode_request(d, body)) {
      for (auto to : {harness::dialect::openai, harness::dialect::anthropic, harness::dialect::ollama,
                      harness::dialect::responses}) {
        (void)harness::encode_request(to, *req);
      }
    }
    if (auto resp = harness::decode_response(d, body)) {
      for (auto to : {harness::dialect::openai, harness::dialect::anthropic, harness::dialect::ollama,
                      harness::dialect::responses}) {
        (void)harness::encode_response(to, *resp);
      }
    }
    (void)harness::decode_error(d, 500, body);
  }
  return 0;
}
