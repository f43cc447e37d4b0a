// libFuzzer target: one stream decoder (SSE / NDJSON framing included) into one encoder.
// Input: byte 0 picks the pair and the chunking (bits 0-1: upstream dialect, 2-3: client
// dialect, 4-7: chunk length - 1); the rest is the upstream's stream. One pair per input keeps
// an execution cheap; the seeds carry every pair (fuzz/make_corpus.sh).
// Invariant: whatever the bytes, the client stream ends (closed() after finish()).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <harness/stream.h>

namespace {

constexpr harness::dialect k_dialects[] = {harness::dialect::openai, harness::dialect::anthropic,
                                           harness::dialect::ollama, harness::dialect::responses};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  const harness::dialect from = k_dialects[pick & 3];
  const harness::dialect to = k_dialects[(pick >> 2) & 3];
  const std::size_t chunk = 1 + (pick >> 4);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  harness::stream_translator t(from, to, {});
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += chunk) t.feed(bytes.substr(i, chunk), out);
  t.finish(out);
  if (!t.closed()) __builtin_trap();  // every client stream must end
  return 0;
}
