// rescue_throughput_bench.cpp: tool-call rescue throughput (built when harness/rescue.h exists).
//
//   rescue/no_marker_prose/1MB: rescue_text on 1 MB of prose with no call marker (the fast path
//     every plain reply takes); target >= 1 GB/s. Also with reasoning_start::closed, which
//     skips the forced-open-reasoning detection pass.
//   rescue/large_tool_call/100KB: rescue_text on a Hermes <tool_call> whose arguments hold a
//     100 KB file.
//   rescue/stream_1byte/{100KB,1MB}[/reasoning_closed]: a stream_rescuer fed 1-byte chunks over
//     a reply of prose ending in a <tool_call>; bytes_per_second must not drop from 100 KB to
//     1 MB (linear).
#if __has_include(<harness/rescue.h>)
#include <benchmark/benchmark.h>

#include <harness/rescue.h>

#include <string>

#include "alloc_counter.h"
#include "corpus.h"

namespace {

harness::rescue_options options() {
  harness::rescue_options o;
  o.tools_offered = {"read", "write", "edit", "bash", "grep", "glob"};
  return o;
}

std::string tool_call_text(std::size_t content_bytes) {
  std::string s = "<tool_call>\n{\"name\": \"write\", \"arguments\": {\"filePath\": "
                  "\"/home/dev/project/src/big.cpp\", \"content\": ";
  s += bench::json_quote(bench::code(content_bytes));
  s += "}}\n</tool_call>";
  return s;
}

void allocs_and_bytes(benchmark::State& state, bench::alloc_snapshot start, std::size_t bytes) {
  auto d = bench::alloc_now() - start;
  double n = static_cast<double>(state.iterations());
  if (n > 0) state.counters["allocs_per_call"] = static_cast<double>(d.count) / n;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
  state.SetLabel(bench::human_size(bytes));
}

void no_marker_prose(benchmark::State& state, harness::reasoning_start start_mode) {
  const std::string text = bench::prose(1u << 20);
  auto opts = options();
  opts.reasoning = start_mode;
  auto probe = harness::rescue_text(text, opts);
  if (!probe.calls.empty() || !probe.content) {
    state.SkipWithError("prose was not returned as plain content");
    return;
  }
  auto start = bench::alloc_now();
  for (auto _ : state) {
    auto r = harness::rescue_text(text, opts);
    benchmark::DoNotOptimize(r);
  }
  allocs_and_bytes(state, start, text.size());
}

void large_tool_call(benchmark::State& state) {
  const std::string text = "I'll write the generated file now.\n\n" + tool_call_text(100 * 1024);
  const auto opts = options();
  auto probe = harness::rescue_text(text, opts);
  if (probe.calls.size() != 1) {
    state.SkipWithError("the 100 KB <tool_call> was not rescued");
    return;
  }
  auto start = bench::alloc_now();
  for (auto _ : state) {
    auto r = harness::rescue_text(text, opts);
    benchmark::DoNotOptimize(r);
  }
  allocs_and_bytes(state, start, text.size());
}

std::size_t stream_once(const std::string& text, const harness::rescue_options& opts,
                        harness::rescue_events& events) {
  harness::stream_rescuer r(opts);
  std::size_t calls = 0;
  const char* p = text.data();
  for (std::size_t i = 0; i < text.size(); ++i) {
    r.feed(std::string_view(p + i, 1), events);
    for (const auto& e : events) calls += e.type == harness::rescue_event::kind::call;
    events.clear();
  }
  r.finish(events);
  for (const auto& e : events) calls += e.type == harness::rescue_event::kind::call;
  events.clear();
  return calls;
}

void stream_1byte(benchmark::State& state, std::size_t size, harness::reasoning_start start_mode) {
  // Prose, then one call carrying a tenth of the reply as file content.
  std::string call = tool_call_text(size / 10);
  std::string text = bench::prose(size - call.size() - 2) + "\n\n" + call;
  auto opts = options();
  opts.reasoning = start_mode;
  harness::rescue_events events;
  events.reserve(16);
  if (stream_once(text, opts, events) != 1) {
    state.SkipWithError("the trailing <tool_call> was not rescued from the 1-byte stream");
    return;
  }
  auto start = bench::alloc_now();
  for (auto _ : state) {
    benchmark::DoNotOptimize(stream_once(text, opts, events));
  }
  allocs_and_bytes(state, start, text.size());
  state.counters["allocs_per_byte"] =
      state.counters["allocs_per_call"] / static_cast<double>(text.size());
}

int register_all() {
  // reasoning_start::detect (the default) must look for an orphan </think> closer first;
  // `closed` (the chat template is known to start in content) skips that pass.
  benchmark::RegisterBenchmark("rescue/no_marker_prose/1MB", [](benchmark::State& st) {
    no_marker_prose(st, harness::reasoning_start::detect);
  });
  benchmark::RegisterBenchmark("rescue/no_marker_prose/1MB/reasoning_closed",
                               [](benchmark::State& st) {
                                 no_marker_prose(st, harness::reasoning_start::closed);
                               });
  benchmark::RegisterBenchmark("rescue/large_tool_call/100KB", large_tool_call);
  for (auto mode : {harness::reasoning_start::detect, harness::reasoning_start::closed}) {
    const std::string suffix =
        mode == harness::reasoning_start::closed ? "/reasoning_closed" : "";
    for (std::size_t size : {std::size_t{100} * 1024, std::size_t{1} << 20}) {
      benchmark::RegisterBenchmark(
          ("rescue/stream_1byte/" + std::string(size < (1u << 20) ? "100KB" : "1MB") + suffix)
              .c_str(),
          [=](benchmark::State& st) { stream_1byte(st, size, mode); });
    }
  }
  return 0;
}

[[maybe_unused]] const int registered = register_all();

}  // namespace
#endif
