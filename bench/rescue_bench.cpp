// rescue_bench.cpp: Google Benchmark micro-benchmarks of the tool-call rescuer.
//
//   BM_rescue_prose_*      the no-marker fast path: 1 MB of prose (target >= 1 GB/s)
//   BM_rescue_large_call   one Hermes call whose argument is a 1 MB string
//   BM_stream_1byte_*      a 1 MB reply fed one byte at a time (must stay linear)
//
// Built into harness-bench by bench/CMakeLists.txt (which defines HARNESS_BENCH_NO_MAIN: the
// shared main is bench_main.cpp). Standalone, build with the library, e.g.
//   g++ -O2 -std=c++20 bench/rescue_bench.cpp -Ilibharness/include
//       -I<build>/libharness/include <build>/libharness/libharness.a -lbenchmark -lsimdjson -lfmt
//       -lpthread
#include <benchmark/benchmark.h>
#include <harness/rescue.h>

#include <string>

namespace {

constexpr std::size_t one_mb = 1 << 20;

// Prose with no marker character ('<', '[', '`', '>', '{'), newlines every few sentences.
std::string prose(std::size_t size) {
  static const std::string sentence =
      "The quick brown fox jumps over the lazy dog, then reads the config file and "
      "reports what it found to the user in plain words. ";
  std::string out;
  out.reserve(size + sentence.size());
  std::size_t n = 0;
  while (out.size() < size) {
    out += sentence;
    if (++n % 4 == 0) out += '\n';
  }
  out.resize(size);
  return out;
}

std::string large_call(std::size_t size) {
  std::string body;
  body.reserve(size);
  while (body.size() < size) body += "int main() { return 0; }\\n// a line of code\\n";
  body.resize(size);
  return "<tool_call>\n{\"name\": \"write_file\", \"arguments\": {\"path\": \"big.c\", "
         "\"content\": \"" +
         body + "\"}}\n</tool_call>";
}

harness::rescue_options options(harness::reasoning_start start) {
  harness::rescue_options o;
  o.tools_offered = {"read_file", "write_file", "bash"};
  o.reasoning = start;
  return o;
}

void BM_rescue_prose_closed(benchmark::State& state) {
  const std::string text = prose(one_mb);
  const auto opts = options(harness::reasoning_start::closed);
  for (auto _ : state) {
    auto r = harness::rescue_text(text, opts);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_rescue_prose_closed);

void BM_rescue_prose_detect(benchmark::State& state) {
  const std::string text = prose(one_mb);
  const auto opts = options(harness::reasoning_start::detect);
  for (auto _ : state) {
    auto r = harness::rescue_text(text, opts);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_rescue_prose_detect);

void BM_rescue_large_call(benchmark::State& state) {
  const std::string text = large_call(one_mb);
  const auto opts = options(harness::reasoning_start::detect);
  for (auto _ : state) {
    auto r = harness::rescue_text(text, opts);
    if (r.calls.size() != 1) state.SkipWithError("call not rescued");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_rescue_large_call);

void stream_one_byte(benchmark::State& state, const std::string& text,
                     harness::reasoning_start start) {
  const auto opts = options(start);
  for (auto _ : state) {
    harness::stream_rescuer s(opts);
    harness::rescue_events events;
    for (char c : text) {
      s.feed(std::string_view(&c, 1), events);
      events.clear();
    }
    s.finish(events);
    benchmark::DoNotOptimize(events);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_stream_1byte_prose(benchmark::State& state) {
  stream_one_byte(state, prose(one_mb), harness::reasoning_start::closed);
}
BENCHMARK(BM_stream_1byte_prose);

void BM_stream_1byte_prose_detect(benchmark::State& state) {
  stream_one_byte(state, prose(one_mb), harness::reasoning_start::detect);
}
BENCHMARK(BM_stream_1byte_prose_detect);

void BM_stream_1byte_large_call(benchmark::State& state) {
  stream_one_byte(state, large_call(one_mb), harness::reasoning_start::closed);
}
BENCHMARK(BM_stream_1byte_large_call);

}  // namespace

#ifndef HARNESS_BENCH_NO_MAIN
BENCHMARK_MAIN();
#endif
