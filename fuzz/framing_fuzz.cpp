// libFuzzer target: the SSE and NDJSON framers on arbitrary bytes in arbitrary chunkings.
// Invariants checked (both promised by sse.h / ndjson.h):
//   * fed in any chunking, a reader delivers exactly what it delivers for the whole body, and
//     ends in the same error state (also with a small size bound, so the bound is exercised);
//   * SSE writer -> reader round trip gives the data back (line ends folded to '\n').
// Input: byte 0 seeds the chunking and picks the bound; the rest is the body.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "framing/ndjson.h"
#include "framing/sse.h"

namespace {

using harness::detail::ndjson_reader;
using harness::detail::sse_event;
using harness::detail::sse_reader;

struct sse_seen {
  std::string event, data, id;
  bool has_id;
  bool operator==(const sse_seen&) const = default;
};

struct sse_outcome {
  std::vector<sse_seen> events;
  bool feed_ok = true;
  bool finish_ok = true;
  std::int64_t retry = -1;
  bool operator==(const sse_outcome&) const = default;
};

// Chunk lengths from a small xorshift generator seeded by the input: varied, reproducible.
class chunker {
 public:
  explicit chunker(std::uint8_t seed) : state_(0x9E3779B9u ^ (seed * 0x01000193u)), mode_(seed % 4) {}
  std::size_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    switch (mode_) {
      case 0: return 1;                            // byte by byte
      case 1: return 1 + state_ % 3;               // tiny pieces (splits "\r\n", BOM, "data:")
      case 2: return 1 + state_ % 64;
      default: return 1 + state_ % 4096;
    }
  }

 private:
  std::uint32_t state_;
  int mode_;
};

template <class Reader, class OnItem>
std::pair<bool, bool> run_chunked(Reader& r, std::string_view body, std::uint8_t seed,
                                  OnItem&& on_item) {
  chunker c(seed);
  bool ok = true;
  for (std::size_t i = 0; i < body.size();) {
    const std::size_t n = std::min(c.next(), body.size() - i);
    ok = r.feed(body.substr(i, n), on_item) && ok;
    i += n;
  }
  const bool fin = r.finish(on_item);
  return {ok, fin};
}

sse_outcome read_sse(std::string_view body, std::size_t bound, bool whole, std::uint8_t seed) {
  sse_reader r(bound);
  sse_outcome out;
  auto on_event = [&out](const sse_event& e) {
    out.events.push_back({std::string(e.event), std::string(e.data), std::string(e.id), e.has_id});
  };
  if (whole) {
    out.feed_ok = r.feed(body, on_event);
    out.finish_ok = r.finish(on_event);
  } else {
    std::tie(out.feed_ok, out.finish_ok) = run_chunked(r, body, seed, on_event);
  }
  out.retry = r.retry_ms();
  return out;
}

struct ndjson_outcome {
  std::vector<std::string> lines;
  bool feed_ok = true;
  bool finish_ok = true;
  bool operator==(const ndjson_outcome&) const = default;
};

ndjson_outcome read_ndjson(std::string_view body, std::size_t bound, bool whole,
                           std::uint8_t seed) {
  ndjson_reader r(bound);
  ndjson_outcome out;
  auto on_line = [&out](std::string_view l) { out.lines.emplace_back(l); };
  if (whole) {
    out.feed_ok = r.feed(body, on_line);
    out.finish_ok = r.finish(on_line);
  } else {
    std::tie(out.feed_ok, out.finish_ok) = run_chunked(r, body, seed, on_line);
  }
  return out;
}

// What the reader must give back for data written by append_sse_data.
std::string folded_line_ends(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t seed = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  // A small bound half the time, so the too_large path is reached with small inputs.
  const std::size_t bound = (seed & 0x80) ? 1 + (seed & 0x3f) : std::size_t{16} << 20;

  const sse_outcome sse_whole = read_sse(body, bound, true, seed);
  if (!(read_sse(body, bound, false, seed) == sse_whole)) __builtin_trap();

  const ndjson_outcome nd_whole = read_ndjson(body, bound, true, seed);
  if (!(read_ndjson(body, bound, false, seed) == nd_whole)) __builtin_trap();
  for (const auto& l : nd_whole.lines) {
    if (l.empty() || l.find('\n') != std::string::npos || l.size() > bound) __builtin_trap();
  }

  // Writer round trip: the body as one event's data, under an event name.
  std::string written;
  harness::detail::append_sse_event(written, "e", body);
  const sse_outcome back = read_sse(written, std::size_t{16} << 20, false, seed);
  if (back.events.size() != 1 || back.events[0].data != folded_line_ends(body) ||
      back.events[0].event != "e") {
    __builtin_trap();
  }
  return 0;
}
