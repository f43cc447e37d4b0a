// stream_bench.cpp: streaming translation throughput on long many-small-delta streams.
//
// The upstream stream (corpus.h) has a thinking block, a text block and three tool calls whose
// arguments arrive as input_json_delta fragments (Anthropic) or whole (Ollama), with deltas of
// 5-30 bytes: about 8000 delta events and 1 MB for Anthropic. Two feeding patterns:
//   per_event: one feed() per upstream event, as a server reading a live stream sees it;
//   chunk_16KB: 16 KB reads, as when the upstream is faster than the client.
// The output string is cleared after every feed (a server writes it out and reuses it).
//
// Counters: bytes_per_second = upstream bytes per CPU second (Google Benchmark divides rates
// by CPU time); ns_per_event = thread CPU time per upstream event (CLOCK_THREAD_CPUTIME_ID, so
// that other processes on a busy machine do not inflate it);
// allocs_per_event / alloc_bytes_per_event = operator new calls and bytes per upstream event
// (stream construction included, amortised over the stream); out_ratio = client bytes per
// upstream byte.
#include <benchmark/benchmark.h>

#include <harness/stream.h>

#include <ctime>
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "corpus.h"

namespace {

using harness::dialect;

constexpr std::size_t k_deltas = 1000;  // per thinking / tool block; text gets 4x
constexpr std::size_t k_tools = 3;

const bench::stream_corpus& corpus_for(dialect from) {
  return from == dialect::anthropic ? bench::anthropic_stream(k_deltas, k_tools)
                                    : bench::ollama_stream(k_deltas, k_tools);
}

harness::stream_encoder_options encoder_options() {
  harness::stream_encoder_options o;
  o.model = "claude-sonnet-4-5";
  o.id = "chatcmpl-bench";
  o.created = 1795685337;
  o.include_usage = true;
  return o;
}

// Measures thread CPU time and allocations around the timed loop and fills the per-event counters.
class event_meter {
 public:
  event_meter(benchmark::State& state, std::size_t events_per_iteration, std::size_t bytes)
      : state_(state), events_(events_per_iteration), bytes_(bytes),
        allocs_(bench::alloc_now()), t0_(thread_cpu_ns()) {}
  ~event_meter() {
    const double elapsed_ns = thread_cpu_ns() - t0_;
    auto a = bench::alloc_now() - allocs_;
    double iters = static_cast<double>(state_.iterations());
    if (iters == 0) return;
    double events = iters * static_cast<double>(events_);
    state_.counters["events"] = static_cast<double>(events_);
    state_.counters["ns_per_event"] = elapsed_ns / events;
    state_.counters["allocs_per_event"] = static_cast<double>(a.count) / events;
    state_.counters["alloc_bytes_per_event"] = static_cast<double>(a.bytes) / events;
    state_.SetBytesProcessed(static_cast<std::int64_t>(state_.iterations()) *
                             static_cast<std::int64_t>(bytes_));
    state_.SetLabel(bench::human_size(bytes_) + ", " + std::to_string(events_) + " events");
  }
  event_meter(const event_meter&) = delete;
  event_meter& operator=(const event_meter&) = delete;

 private:
  benchmark::State& state_;
  std::size_t events_;
  std::size_t bytes_;
  bench::alloc_snapshot allocs_;
  double t0_;

  static double thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
  }
};

// Translates the whole stream once; returns the client bytes written. With `full`, also
// keeps every client byte there (for the correctness probe before timing).
std::size_t translate_once(dialect from, const bench::stream_corpus& c, std::size_t chunk,
                           std::string& out, std::string* full = nullptr) {
  harness::stream_translator tr(from, dialect::openai, encoder_options());
  std::size_t total = 0;
  auto flush = [&] {
    total += out.size();
    if (full != nullptr) full->append(out);
    out.clear();
  };
  if (chunk == 0) {
    for (const auto& ev : c.events) {
      tr.feed(ev, out);
      flush();
    }
  } else {
    std::string_view all = c.joined;
    for (std::size_t i = 0; i < all.size(); i += chunk) {
      tr.feed(all.substr(i, chunk), out);
      flush();
    }
  }
  tr.finish(out);
  flush();
  return total;
}

// The probe: the client stream must be complete and error-free.
std::string check_stream(const std::string& full) {
  static constexpr std::string_view done = "data: [DONE]\n\n";
  if (full.size() < done.size() || full.compare(full.size() - done.size(), done.size(), done) != 0)
    return "the translated stream did not end with data: [DONE]";
  if (full.find("\"error\"") != std::string::npos) {
    std::size_t at = full.find("\"error\"");
    return "the translated stream carries an error: " + full.substr(at, 300);
  }
  if (full.find("tool_calls") == std::string::npos) return "no tool_calls in the client stream";
  return {};
}

void stream_translate(benchmark::State& state, dialect from, std::size_t chunk) {
  const auto& c = corpus_for(from);
  std::string out;
  out.reserve(1 << 16);
  std::string full;
  std::size_t produced = translate_once(from, c, chunk, out, &full);
  if (std::string why = check_stream(full); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  {
    event_meter meter(state, c.events.size(), c.joined.size());
    for (auto _ : state) {
      benchmark::DoNotOptimize(translate_once(from, c, chunk, out));
    }
  }
  state.counters["out_ratio"] =
      static_cast<double>(produced) / static_cast<double>(c.joined.size());
}

// Decoder alone: upstream bytes -> canonical events appended to a vector (feed).
void stream_decode(benchmark::State& state, dialect from) {
  const auto& c = corpus_for(from);
  std::vector<harness::stream_event> events;
  events.reserve(64);
  event_meter meter(state, c.events.size(), c.joined.size());
  for (auto _ : state) {
    auto dec = harness::make_stream_decoder(from);
    std::size_t n = 0;
    for (const auto& ev : c.events) {
      dec->feed(ev, events);
      n += events.size();
      events.clear();
    }
    dec->finish(events);
    n += events.size();
    events.clear();
    benchmark::DoNotOptimize(n);
  }
}

// Decoder alone through feed_each: each event handed to a sink in one reused object (what
// stream_translator does), so no event is allocated.
void stream_decode_each(benchmark::State& state, dialect from) {
  struct counting_sink final : harness::stream_event_sink {
    std::size_t n = 0;
    void on_event(const harness::stream_event& ev) override { n += ev.text.size() + 1; }
  };
  const auto& c = corpus_for(from);
  event_meter meter(state, c.events.size(), c.joined.size());
  for (auto _ : state) {
    auto dec = harness::make_stream_decoder(from);
    counting_sink sink;
    for (const auto& ev : c.events) dec->feed_each(ev, sink);
    dec->finish_each(sink);
    benchmark::DoNotOptimize(sink.n);
  }
}

// Encoder alone: the canonical events of the stream -> OpenAI chunks.
void stream_encode(benchmark::State& state, dialect from) {
  const auto& c = corpus_for(from);
  std::vector<harness::stream_event> events;
  {
    auto dec = harness::make_stream_decoder(from);
    for (const auto& ev : c.events) dec->feed(ev, events);
    dec->finish(events);
  }
  std::string out;
  out.reserve(1 << 16);
  std::size_t produced = 0;
  {
    event_meter meter(state, events.size(), c.joined.size());
    for (auto _ : state) {
      auto enc = harness::make_stream_encoder(dialect::openai, encoder_options());
      for (const auto& ev : events) {
        enc->encode(ev, out);
        produced += out.size();
        out.clear();
      }
      benchmark::DoNotOptimize(produced);
    }
  }
  state.counters["canonical_events"] = static_cast<double>(events.size());
}

int register_all() {
  for (dialect from : {dialect::anthropic, dialect::ollama}) {
    std::string p = std::string(harness::to_string(from)) + "->openai";
    benchmark::RegisterBenchmark(("stream/translate/" + p + "/per_event").c_str(),
                                 [=](benchmark::State& st) { stream_translate(st, from, 0); });
    benchmark::RegisterBenchmark(("stream/translate/" + p + "/chunk_16KB").c_str(),
                                 [=](benchmark::State& st) { stream_translate(st, from, 16384); });
    benchmark::RegisterBenchmark(
        ("stream/decode_only/" + std::string(harness::to_string(from)) + "/per_event").c_str(),
        [=](benchmark::State& st) { stream_decode(st, from); });
    benchmark::RegisterBenchmark(
        ("stream/decode_only/" + std::string(harness::to_string(from)) + "/each").c_str(),
        [=](benchmark::State& st) { stream_decode_each(st, from); });
    benchmark::RegisterBenchmark(("stream/encode_only/" + p).c_str(),
                                 [=](benchmark::State& st) { stream_encode(st, from); });
  }
  return 0;
}

[[maybe_unused]] const int registered = register_all();

}  // namespace
