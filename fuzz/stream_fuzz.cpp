// libFuzzer target: stream decoders (SSE / NDJSON framing included) into every encoder.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <harness/stream.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::size_t chunk = size == 0 ? 1 : 1 + data[0] % 17;
  for (auto from : {harness::dialect::openai, harness::dialect::anthropic, harness::dialect::ollama,
                    harness::dialect::responses}) {
    for (auto to : {harness::dialect::openai, harness::dialect::anthropic, harness::dialect::ollama,
                    harness::dialect::responses}) {
      harness::stream_translator t(from, to, {});
      std::string out;
      for (std::size_t i = 0; i < size; i += chunk) t.feed(bytes.substr(i, chunk), out);
      t.finish(out);
      if (!t.closed()) __builtin_trap();  // every client stream must end
    }
  }
  return 0;
}
