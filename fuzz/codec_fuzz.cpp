// libFuzzer target: one codec's request, response and error decoders, and re-encoding what
// decoded into every dialect. Input: byte 0 picks the dialect (bits 0-1); the rest is the body.
// One decoder per input keeps an execution cheap; the seeds carry every dialect
// (fuzz/make_corpus.sh).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <harness/codec.h>

namespace {

constexpr harness::dialect k_dialects[] = {harness::dialect::openai, harness::dialect::anthropic,
                                           harness::dialect::ollama, harness::dialect::responses};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const harness::dialect d = k_dialects[data[0] & 3];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (auto req = harness::decode_request(d, body)) {
    for (auto to : k_dialects) (void)harness::encode_request(to, *req);
  }
  if (auto resp = harness::decode_response(d, body)) {
    for (auto to : k_dialects) (void)harness::encode_response(to, *resp);
  }
  (void)harness::decode_error(d, 500, body);
  return 0;
}
