// json_escape_bench.cpp: prototypes behind the suggestions in RESULTS.md (not library code).
//
//   proto/escape/*: one 1 MB code-like string (quotes, backslashes, tabs, newlines, non-ASCII)
//     written as a JSON string literal three ways: the library's pattern today (RapidJSON
//     Writer over a std::string sink: one push_back per byte), RapidJSON's own StringBuffer,
//     and a run-based escaper that tests 8 bytes at a time and appends unescaped runs whole.
//   proto/chunk/*: one OpenAI chat.completion.chunk for a 21-byte content delta, built with a
//     fresh RapidJSON writer per chunk (as openai_encoder does) vs a head and tail precomputed
//     once per stream with only the delta escaped.
#include <benchmark/benchmark.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "corpus.h"

namespace proto {

struct string_sink {
  using Ch = char;
  std::string* out;
  void Put(char c) { out->push_back(c); }
  void Flush() {}
};

}  // namespace proto

namespace rapidjson {
inline void PutReserve(proto::string_sink& s, size_t count) {
  const size_t need = s.out->size() + count;
  if (s.out->capacity() < need) s.out->reserve(std::max(need, s.out->capacity() * 2));
}
inline void PutUnsafe(proto::string_sink& s, char c) { s.out->push_back(c); }
}  // namespace rapidjson

namespace proto {
namespace {

using sink_writer = rapidjson::Writer<string_sink, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                      rapidjson::CrtAllocator, rapidjson::kWriteNoFlags>;

// True when one of the 8 bytes is '"', '\\' or a control character (< 0x20).
inline bool needs_escape8(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  const std::uint64_t q = w ^ (ones * '"');
  const std::uint64_t b = w ^ (ones * '\\');
  const std::uint64_t has_q = (q - ones) & ~q & high;
  const std::uint64_t has_b = (b - ones) & ~b & high;
  const std::uint64_t has_ctl = (w - ones * 0x20) & ~w & high;
  return (has_q | has_b | has_ctl) != 0;
}

void escape_runs(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  const char* p = s.data();
  const char* const e = p + s.size();
  const char* run = p;
  while (p != e) {
    while (e - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (needs_escape8(w)) break;
      p += 8;
    }
    if (p == e) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++p;
      continue;
    }
    out.append(run, static_cast<std::size_t>(p - run));
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: {
        const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(u, 6);
      }
    }
    run = ++p;
  }
  out.append(run, static_cast<std::size_t>(p - run));
  out.push_back('"');
}

const std::string& text() {
  static const std::string t = bench::code(1u << 20);
  return t;
}

void bytes(benchmark::State& st) {
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) *
                       static_cast<std::int64_t>(text().size()));
}

void escape_string_sink(benchmark::State& st) {
  std::string out;
  for (auto _ : st) {
    out.clear();
    string_sink sink{&out};
    sink_writer w(sink);
    w.String(text().data(), static_cast<rapidjson::SizeType>(text().size()));
    benchmark::DoNotOptimize(out.data());
  }
  bytes(st);
}

void escape_stringbuffer(benchmark::State& st) {
  rapidjson::StringBuffer sb;
  for (auto _ : st) {
    sb.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.String(text().data(), static_cast<rapidjson::SizeType>(text().size()));
    benchmark::DoNotOptimize(sb.GetString());
  }
  bytes(st);
}

void escape_swar_runs(benchmark::State& st) {
  std::string out;
  std::string ref;
  {
    string_sink sink{&ref};
    sink_writer w(sink);
    w.String(text().data(), static_cast<rapidjson::SizeType>(text().size()));
  }
  escape_runs(out, text());
  if (out != ref) {
    st.SkipWithError("the run-based escaper differs from RapidJSON");
    return;
  }
  for (auto _ : st) {
    out.clear();
    escape_runs(out, text());
    benchmark::DoNotOptimize(out.data());
  }
  bytes(st);
}

const std::string k_id = "chatcmpl-bench";
const std::string k_model = "claude-sonnet-4-5";
const std::string k_delta = "the encoder no longer";

void chunk_writer_per_chunk(benchmark::State& st) {
  std::string buf;
  std::string out;
  for (auto _ : st) {
    buf.clear();
    string_sink sink{&buf};
    sink_writer w(sink);
    w.StartObject();
    w.Key("id");
    w.String(k_id.data(), static_cast<rapidjson::SizeType>(k_id.size()));
    w.Key("object");
    w.String("chat.completion.chunk");
    w.Key("created");
    w.Int64(1795685337);
    w.Key("model");
    w.String(k_model.data(), static_cast<rapidjson::SizeType>(k_model.size()));
    w.Key("choices");
    w.StartArray();
    w.StartObject();
    w.Key("index");
    w.Int(0);
    w.Key("delta");
    w.StartObject();
    w.Key("content");
    w.String(k_delta.data(), static_cast<rapidjson::SizeType>(k_delta.size()));
    w.EndObject();
    w.Key("logprobs");
    w.Null();
    w.Key("finish_reason");
    w.Null();
    w.EndObject();
    w.EndArray();
    w.Key("usage");
    w.Null();
    w.EndObject();
    out += "data: ";
    out += buf;
    out += "\n\n";
    benchmark::DoNotOptimize(out.data());
    out.clear();
  }
}

void chunk_precomputed_head(benchmark::State& st) {
  std::string head = "data: {\"id\":";
  escape_runs(head, k_id);
  head += ",\"object\":\"chat.completion.chunk\",\"created\":1795685337,\"model\":";
  escape_runs(head, k_model);
  head += ",\"choices\":[{\"index\":0,\"delta\":{\"content\":";
  const std::string tail = "},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
  std::string out;
  out.reserve(4096);
  for (auto _ : st) {
    out += head;
    escape_runs(out, k_delta);
    out += tail;
    benchmark::DoNotOptimize(out.data());
    out.clear();
  }
}

int register_all() {
  benchmark::RegisterBenchmark("proto/escape/rapidjson_string_sink/1MB", escape_string_sink);
  benchmark::RegisterBenchmark("proto/escape/rapidjson_stringbuffer/1MB", escape_stringbuffer);
  benchmark::RegisterBenchmark("proto/escape/swar_runs/1MB", escape_swar_runs);
  benchmark::RegisterBenchmark("proto/chunk/rapidjson_writer_per_chunk", chunk_writer_per_chunk);
  benchmark::RegisterBenchmark("proto/chunk/precomputed_head", chunk_precomputed_head);
  return 0;
}

[[maybe_unused]] const int registered = register_all();

}  // namespace
}  // namespace proto
