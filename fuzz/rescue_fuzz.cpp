// libFuzzer target: the rescuer on arbitrary model output, whole and streamed in small chunks.
// Invariant checked: the streamed result folds to exactly the whole-text result.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <harness/rescue.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  harness::rescue_options options;
  options.tools_offered = {"write", "bash", "read_file", "get_weather", "edit"};
  const harness::rescue_result whole = harness::rescue_text(text, options);

  harness::stream_rescuer streamer(options);
  harness::rescue_events events;
  const std::size_t chunk = size == 0 ? 1 : 1 + data[0] % 13;
  for (std::size_t i = 0; i < size; i += chunk) {
    streamer.feed(text.substr(i, chunk), events);
  }
  streamer.finish(events);
  harness::rescue_result folded;
  harness::accumulate(folded, events);
  if (!(folded == whole)) std::abort();  // streaming must equal the non-streaming parse
  return 0;
}
