// libFuzzer target: tolerant argument repair and schema coercion on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <harness/repair.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto repaired = harness::repair_arguments(text);
  if (repaired) {
    (void)harness::coerce_arguments(
        *repaired,
        R"({"type":"object","properties":{"n":{"type":"integer"},"b":{"type":"boolean"},"o":{"type":"object"},"a":{"type":"array"}}})");
  }
  return 0;
}
