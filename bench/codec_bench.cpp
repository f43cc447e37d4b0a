// codec_bench.cpp: decode / encode / translate throughput on captured and grown bodies.
//
// Sizes: "1KB" is the captured openai-sdk-02 / anthropic-sdk-02 request (about 1.1 KB) or the
// tool-call response grown to 1 KB; "capture" is the captured tool-call response itself (about
// 0.5 KB, below the range the targets speak of); "100KB" and "5MB" grow the captured OpenCode
// (opencode-03) / Claude Code (claude-code-02) request with agent turns (see corpus.h).
// The scaling series grows the small SDK captures from 1 KB to 10 MB with the same turn mix,
// so the bytes/second figure should stay flat if the cost is linear.
//
// bytes_per_second counts input bytes (the body decoded or translated); for encode_* it counts
// the bytes of the body produced.
#include <benchmark/benchmark.h>

#include <harness/codec.h>
#include <harness/translate.h>
#include <harness/translator.h>

#include <string>
#include <utility>

#include "alloc_counter.h"
#include "corpus.h"

namespace {

using harness::dialect;

struct size_case {
  const char* name;
  std::size_t target;
};

constexpr size_case k_sizes[] = {{"1KB", 1024}, {"100KB", 100 * 1024}, {"5MB", 5u << 20}};
constexpr size_case k_scaling[] = {{"1KB", 1024},
                                   {"10KB", 10 * 1024},
                                   {"100KB", 100 * 1024},
                                   {"1MB", 1u << 20},
                                   {"10MB", 10u << 20}};

const std::string& request_body(dialect d, std::size_t target, bool scaling) {
  auto base = (scaling || target <= 2048) ? bench::request_base::sdk : bench::request_base::agent;
  return d == dialect::openai ? bench::openai_request(base, target)
                              : bench::anthropic_request(base, target);
}

const std::string& response_body(dialect d, std::size_t target) {
  return d == dialect::openai ? bench::openai_response(target) : bench::anthropic_response(target);
}

// Reports allocations per call and the input size.
class alloc_scope {
 public:
  explicit alloc_scope(benchmark::State& state) : state_(state), start_(bench::alloc_now()) {}
  ~alloc_scope() {
    auto d = bench::alloc_now() - start_;
    auto n = static_cast<double>(state_.iterations());
    if (n > 0) {
      state_.counters["allocs_per_call"] = static_cast<double>(d.count) / n;
      state_.counters["alloc_bytes_per_call"] = static_cast<double>(d.bytes) / n;
    }
  }
  alloc_scope(const alloc_scope&) = delete;
  alloc_scope& operator=(const alloc_scope&) = delete;

 private:
  benchmark::State& state_;
  bench::alloc_snapshot start_;
};

template <class R>
bool check(benchmark::State& state, const R& r) {
  if (r) return true;
  state.SkipWithError(r.error_value().describe().c_str());
  return false;
}

void finish_bytes(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
  state.SetLabel(bench::human_size(bytes));
}

// ---- requests ------------------------------------------------------------------------------

void decode_request(benchmark::State& state, dialect d, std::size_t target, bool scaling) {
  const std::string& body = request_body(d, target, scaling);
  if (!check(state, harness::decode_request(d, body))) return;
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = harness::decode_request(d, body);
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, body.size());
}

void encode_request(benchmark::State& state, dialect from, dialect to, std::size_t target) {
  const std::string& body = request_body(from, target, false);
  auto req = harness::decode_request(from, body);
  if (!check(state, req)) return;
  auto probe = harness::encode_request(to, req.value());
  if (!check(state, probe)) return;
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = harness::encode_request(to, req.value());
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, probe.value().size());
}

void translate_request(benchmark::State& state, dialect from, dialect to, std::size_t target,
                       bool scaling) {
  const std::string& body = request_body(from, target, scaling);
  if (!check(state, harness::translate_request(from, to, body))) return;
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = harness::translate_request(from, to, body);
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, body.size());
}

// ---- responses -----------------------------------------------------------------------------

void decode_response(benchmark::State& state, dialect d, std::size_t target) {
  const std::string& body = response_body(d, target);
  if (!check(state, harness::decode_response(d, body))) return;
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = harness::decode_response(d, body);
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, body.size());
}

void encode_response(benchmark::State& state, dialect from, dialect to, std::size_t target) {
  const std::string& body = response_body(from, target);
  auto resp = harness::decode_response(from, body);
  if (!check(state, resp)) return;
  auto probe = harness::encode_response(to, resp.value());
  if (!check(state, probe)) return;
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = harness::encode_response(to, resp.value());
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, probe.value().size());
}

void translate_response(benchmark::State& state, dialect from, dialect to, std::size_t target) {
  const std::string& body = response_body(from, target);
  if (!check(state, harness::translate_response(from, to, body))) return;
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = harness::translate_response(from, to, body);
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, body.size());
}

// ---- reuse: one harness::translator across iterations (a server worker's steady state) ------

void translate_reuse_request(benchmark::State& state, dialect from, dialect to,
                             std::size_t target) {
  const std::string& body = request_body(from, target, false);
  harness::translator t;
  if (!check(state, t.translate_request(from, to, body))) return;  // also warms the buffers
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = t.translate_request(from, to, body);
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, body.size());
}

void translate_reuse_response(benchmark::State& state, dialect from, dialect to,
                              std::size_t target) {
  const std::string& body = response_body(from, target);
  harness::translator t;
  if (!check(state, t.translate_response(from, to, body))) return;
  {
    alloc_scope allocs(state);
    for (auto _ : state) {
      auto r = t.translate_response(from, to, body);
      benchmark::DoNotOptimize(r);
    }
  }
  finish_bytes(state, body.size());
}

// ---- registration --------------------------------------------------------------------------

const char* name_of(dialect d) { return harness::to_string(d); }

std::string pair_name(dialect from, dialect to) {
  return std::string(name_of(from)) + "->" + name_of(to);
}

int register_all() {
  const std::pair<dialect, dialect> directions[] = {{dialect::openai, dialect::anthropic},
                                                    {dialect::anthropic, dialect::openai}};
  for (const auto& s : k_sizes) {
    for (auto [from, to] : directions) {
      std::string p = pair_name(from, to);
      benchmark::RegisterBenchmark(
          ("codec/translate_request/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { translate_request(st, from, to, s.target, false); });
      benchmark::RegisterBenchmark(
          ("codec/translate_response/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { translate_response(st, from, to, s.target); });
      benchmark::RegisterBenchmark(
          ("codec/translate_reuse/request/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { translate_reuse_request(st, from, to, s.target); });
      benchmark::RegisterBenchmark(
          ("codec/translate_reuse/response/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { translate_reuse_response(st, from, to, s.target); });
    }
    for (dialect d : {dialect::openai, dialect::anthropic}) {
      std::string n = name_of(d);
      benchmark::RegisterBenchmark(
          ("codec/decode_request/" + n + "/" + s.name).c_str(),
          [=](benchmark::State& st) { decode_request(st, d, s.target, false); });
      benchmark::RegisterBenchmark(("codec/decode_response/" + n + "/" + s.name).c_str(),
                                   [=](benchmark::State& st) { decode_response(st, d, s.target); });
    }
    for (auto [from, to] : directions) {
      // encode_X/<to>: the canonical value decoded from a <from> body, written as <to>.
      std::string p = pair_name(from, to);
      benchmark::RegisterBenchmark(
          ("codec/encode_request/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { encode_request(st, from, to, s.target); });
      benchmark::RegisterBenchmark(
          ("codec/encode_response/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { encode_response(st, from, to, s.target); });
    }
  }
  // The captured tool-call responses as they are (0.5 to 0.6 KB): the fixed cost per call.
  for (auto [from, to] : directions) {
    std::string p = pair_name(from, to);
    benchmark::RegisterBenchmark(
        ("codec/translate_response/" + p + "/capture").c_str(),
        [=](benchmark::State& st) { translate_response(st, from, to, 512); });
    benchmark::RegisterBenchmark(
        ("codec/translate_reuse/response/" + p + "/capture").c_str(),
        [=](benchmark::State& st) { translate_reuse_response(st, from, to, 512); });
  }
  for (const auto& s : k_scaling) {
    for (auto [from, to] : directions) {
      std::string p = pair_name(from, to);
      benchmark::RegisterBenchmark(
          ("codec/scaling/translate_request/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { translate_request(st, from, to, s.target, true); });
      benchmark::RegisterBenchmark(
          ("codec/scaling/translate_response/" + p + "/" + s.name).c_str(),
          [=](benchmark::State& st) { translate_response(st, from, to, s.target); });
    }
  }
  return 0;
}

[[maybe_unused]] const int registered = register_all();

}  // namespace
