// Tests of the framing module: the incremental SSE and NDJSON readers and the SSE writer helpers.
//
// The central property: any chunking of a body (whole, one byte at a time, random sizes with
// fixed seeds) gives the same events, and the same error state. Each chunk is copied into its
// own heap block that is freed right after feed(), so a view kept past its chunk is a
// use-after-free that the sanitizer build reports.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "framing/ndjson.h"
#include "framing/sse.h"
#include "test_support.h"

using namespace harness::detail;
using namespace std::string_literals;

namespace {

// ------------------------------------------------------------------ chunking

enum class chunking { whole, bytewise, random };

std::vector<std::string_view> split(std::string_view body, chunking how, std::uint32_t seed = 1,
                                    std::size_t max_chunk = 40) {
  std::vector<std::string_view> out;
  if (how == chunking::whole) {
    out.push_back(body);
    return out;
  }
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> size(how == chunking::bytewise ? 1 : 0,
                                                  how == chunking::bytewise ? 1 : max_chunk);
  std::size_t at = 0;
  while (at < body.size()) {
    const std::size_t n = std::min(size(rng), body.size() - at);  // 0: an empty feed
    out.push_back(body.substr(at, n));
    at += n;
  }
  return out;
}

// Calls feed(chunk) with each chunk in a fresh heap block freed right after.
template <class Feed>
void feed_chunks(const std::vector<std::string_view>& chunks, Feed&& feed) {
  for (auto c : chunks) {
    auto block = std::make_unique<char[]>(c.size() + 1);
    std::memcpy(block.get(), c.data(), c.size());
    feed(std::string_view(block.get(), c.size()));
  }
}

// ------------------------------------------------------------------ SSE harness

struct ev {
  std::string event, data, id;
  bool has_id = false;
  bool operator==(const ev& o) const {
    return event == o.event && data == o.data && id == o.id && has_id == o.has_id;
  }
};

std::ostream& operator<<(std::ostream& os, const ev& e) {
  return os << "{event=\"" << e.event << "\" data=\"" << e.data << "\" id=\"" << e.id << "\""
            << (e.has_id ? " has_id" : "") << "}";
}

struct sse_result {
  std::vector<ev> events;
  bool ok = true;
  std::string last_id;
  std::int64_t retry = -1;
  bool operator==(const sse_result& o) const {
    return events == o.events && ok == o.ok && last_id == o.last_id && retry == o.retry;
  }
};

std::ostream& operator<<(std::ostream& os, const sse_result& r) {
  os << (r.ok ? "ok" : "ERROR") << " id=\"" << r.last_id << "\" retry=" << r.retry << " [";
  for (const auto& e : r.events) os << e << ' ';
  return os << ']';
}

sse_result run_sse(const std::vector<std::string_view>& chunks,
                   std::size_t max = default_max_frame_bytes) {
  sse_reader reader(max);
  sse_result r;
  auto on_event = [&](const sse_event& e) {
    r.events.push_back(ev{std::string(e.event), std::string(e.data), std::string(e.id), e.has_id});
  };
  bool ok = true;
  feed_chunks(chunks, [&](std::string_view c) { ok = reader.feed(c, on_event) && ok; });
  ok = reader.finish(on_event) && ok;
  CHECK(ok == reader.ok());
  r.ok = reader.ok();
  if (!r.ok) CHECK(reader.error() == framing_error::too_large);
  r.last_id = std::string(reader.last_event_id());
  r.retry = reader.retry_ms();
  return r;
}

sse_result run_sse(std::string_view body, chunking how, std::uint32_t seed = 1,
                   std::size_t max = default_max_frame_bytes, std::size_t max_chunk = 40) {
  return run_sse(split(body, how, seed, max_chunk), max);
}

// Whole, byte by byte and 8 random chunkings must agree; returns the whole-body result.
sse_result sse_all_chunkings(std::string_view body, std::size_t max = default_max_frame_bytes) {
  const sse_result whole = run_sse(body, chunking::whole, 0, max);
  CHECK(run_sse(body, chunking::bytewise, 0, max) == whole);
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    INFO("seed " << seed);
    CHECK(run_sse(body, chunking::random, seed, max, seed * 7) == whole);
  }
  return whole;
}

// A direct, whole-body transcription of the WHATWG rules (plus finish() dispatching a pending
// event with data), to check the incremental reader against.
sse_result reference_sse(std::string_view s) {
  sse_result r;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::string data, event, id;
  std::size_t lines = 0;
  bool has_id = false;
  auto dispatch = [&] {
    if (lines > 0) r.events.push_back(ev{event, data, id, has_id});
    data.clear();
    event.clear();
    lines = 0;
    has_id = false;
  };
  auto process = [&](std::string_view ln) {
    if (ln.empty()) return dispatch();
    if (ln[0] == ':') return;
    std::string_view field = ln, value;
    if (auto c = ln.find(':'); c != std::string_view::npos) {
      field = ln.substr(0, c);
      value = ln.substr(c + 1);
      if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
    }
    if (field == "data") {
      if (lines++ > 0) data += '\n';
      data += value;
    } else if (field == "event") {
      event = value;
    } else if (field == "id") {
      if (value.find('\0') == std::string_view::npos) {
        id = value;
        has_id = true;
      }
    } else if (field == "retry") {
      if (!value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos)
        r.retry = std::stoll(std::string(value));
    }
  };
  std::size_t i = 0, start = 0;
  while (i < s.size()) {
    if (s[i] == '\r' || s[i] == '\n') {
      process(s.substr(start, i - start));
      i += (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1;
      start = i;
    } else {
      ++i;
    }
  }
  if (start < s.size()) process(s.substr(start));
  dispatch();
  r.last_id = id;
  return r;
}

// ------------------------------------------------------------------ NDJSON harness

struct nd_result {
  std::vector<std::string> lines;
  bool ok = true;
  bool operator==(const nd_result& o) const { return lines == o.lines && ok == o.ok; }
};

std::ostream& operator<<(std::ostream& os, const nd_result& r) {
  os << (r.ok ? "ok" : "ERROR") << " [";
  for (const auto& l : r.lines) os << '"' << l << "\" ";
  return os << ']';
}

nd_result run_nd(std::string_view body, chunking how, std::uint32_t seed = 1,
                 std::size_t max = default_max_frame_bytes, std::size_t max_chunk = 40) {
  ndjson_reader reader(max);
  nd_result r;
  auto on_line = [&](std::string_view l) { r.lines.emplace_back(l); };
  bool ok = true;
  feed_chunks(split(body, how, seed, max_chunk),
              [&](std::string_view c) { ok = reader.feed(c, on_line) && ok; });
  ok = reader.finish(on_line) && ok;
  CHECK(ok == reader.ok());
  r.ok = reader.ok();
  if (!r.ok) CHECK(reader.error() == framing_error::too_large);
  return r;
}

nd_result nd_all_chunkings(std::string_view body, std::size_t max = default_max_frame_bytes) {
  const nd_result whole = run_nd(body, chunking::whole, 0, max);
  CHECK(run_nd(body, chunking::bytewise, 0, max) == whole);
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    INFO("seed " << seed);
    CHECK(run_nd(body, chunking::random, seed, max, seed * 5) == whole);
  }
  return whole;
}

std::vector<ev> events(std::initializer_list<ev> l) { return std::vector<ev>(l); }

const char* const kGoldenSse[] = {
    "captures/openai-chat-tool_call.stream.sse",
    "captures/openai-chat-text.stream.sse",
    "captures/anthropic-messages-tool_use.stream.sse",
    "captures/anthropic-messages-text.stream.sse",
    "captures/openai-responses-function_call.stream.sse",
    "captures/openai-responses-text.stream.sse",
};

std::size_t count_of(std::string_view s, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = s.find(needle); at != std::string_view::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

// ====================================================================== SSE: golden captures

TEST_CASE("sse_reader: golden captures decode identically in every chunking") {
  for (const char* name : kGoldenSse) {
    INFO(name);
    const std::string body = harness_test::read_file(harness_test::data_path(name));
    const sse_result r = sse_all_chunkings(body);
    REQUIRE(r.ok);
    CHECK(r.events.size() == count_of(body, "\n\n"));
    const bool openai_chat = std::string_view(name).find("openai-chat") != std::string_view::npos;
    for (const auto& e : r.events) {
      CHECK_FALSE(e.data.empty());
      if (openai_chat) {
        CHECK(e.event.empty());
      } else {
        // Anthropic and Responses streams name each event after the payload's "type".
        CHECK(e.data.rfind("{\"type\": \"" + e.event + "\"", 0) == 0);
      }
    }
    if (openai_chat) CHECK(r.events.back().data == "[DONE]");
  }
}

TEST_CASE("sse writer re-encodes the golden captures byte for byte") {
  for (const char* name : kGoldenSse) {
    INFO(name);
    const std::string body = harness_test::read_file(harness_test::data_path(name));
    std::string out;
    sse_reader reader;
    auto on_event = [&](const sse_event& e) { append_sse_event(out, e.event, e.data); };
    REQUIRE(reader.feed(body, on_event));
    REQUIRE(reader.finish(on_event));
    CHECK(out == body);
  }
}

// ====================================================================== SSE: edge cases

TEST_CASE("sse_reader: hand-made edge cases in every chunking") {
  struct edge {
    const char* name;
    std::string body;
    std::vector<ev> want;
  };
  const std::vector<edge> cases = {
      {"plain", "data: a\n\ndata: b\n\n", events({{"", "a", "", false}, {"", "b", "", false}})},
      {"comments and pings", ": ping\n\n:\ndata: a\n: mid-event comment\n\n:keep-alive\n\n",
       events({{"", "a", "", false}})},
      {"event lines", "event: foo\ndata: x\n\nevent: bar\nevent: baz\ndata: y\n\n",
       events({{"foo", "x", "", false}, {"baz", "y", "", false}})},
      {"event without data is dropped and its name reset", "event: foo\n\ndata: x\n\n",
       events({{"", "x", "", false}})},
      {"multi-line data", "data: a\ndata: b\ndata:\ndata:  c\n\n",
       events({{"", "a\nb\n\n c", "", false}})},
      {"crlf line ends", "event: e\r\ndata: a\r\n\r\ndata: b\r\n\r\n",
       events({{"e", "a", "", false}, {"", "b", "", false}})},
      {"cr-only line ends", "data: a\r\rdata: b\rdata: c\r\r",
       events({{"", "a", "", false}, {"", "b\nc", "", false}})},
      {"mixed line ends", "data: a\r\n\ndata: b\n\r\ndata: c\r\n\r",
       events({{"", "a", "", false}, {"", "b", "", false}, {"", "c", "", false}})},
      {"missing final newline", "data: a\n\ndata: b",
       events({{"", "a", "", false}, {"", "b", "", false}})},
      {"missing final blank line", "event: e\ndata: b\n", events({{"e", "b", "", false}})},
      {"missing final blank line after cr", "data: b\r", events({{"", "b", "", false}})},
      {"utf-8 split across chunks", "data: h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\n\n",
       events({{"", "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80", "", false}})},
      {"no space after colon", "data:x\n\n", events({{"", "x", "", false}})},
      {"only one space stripped", "data:  x \n\n", events({{"", " x ", "", false}})},
      {"field without colon", "data\n\n", events({{"", "", "", false}})},
      {"empty data", "data:\n\ndata: \n\n", events({{"", "", "", false}, {"", "", "", false}})},
      {"unknown fields ignored", "foo: bar\nDATA: no\ndata : no\ndata: yes\n\n",
       events({{"", "yes", "", false}})},
      {"colon in value", "data: {\"a\":1}\n\n", events({{"", "{\"a\":1}", "", false}})},
      {"id persists", "id: 7\ndata: a\n\ndata: b\n\nid:\ndata: c\n\n",
       events({{"", "a", "7", true}, {"", "b", "7", false}, {"", "c", "", true}})},
      {"id with NUL ignored", "id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n"s,
       events({{"", "a", "1", true}, {"", "b", "1", false}})},
      {"BOM skipped",
       "\xEF\xBB\xBF"
       "data: a\n\n",
       events({{"", "a", "", false}})},
      {"BOM skipped only once",
       "\xEF\xBB\xBF\xEF\xBB\xBF"
       "data: a\n\ndata: b\n\n",
       events({{"", "b", "", false}})},
      {"partial BOM is content", "\xEF\xBB\ndata: a\n\n", events({{"", "a", "", false}})},
      {"BOM-like bytes later are content", "data: \xEF\xBB\xBF\n\n",
       events({{"", "\xEF\xBB\xBF", "", false}})},
      {"blank lines only", "\n\n\r\n\r\r", events({})},
      {"empty body", "", events({})},
      {"openai done", "data: {\"x\":1}\n\ndata: [DONE]\n\n",
       events({{"", "{\"x\":1}", "", false}, {"", "[DONE]", "", false}})},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const sse_result r = sse_all_chunkings(c.body);
    CHECK(r.ok);
    CHECK(r.events == c.want);
    CHECK(reference_sse(c.body).events == c.want);
  }
}

TEST_CASE("sse_reader: explicit chunk boundaries") {
  auto run = [](std::vector<std::string_view> chunks) { return run_sse(chunks).events; };
  // "\r" ends one chunk, "\n" starts the next: one line end, not two.
  CHECK(run({"data: a\r", "\n", "\r", "\ndata: b\r\n\r\n"}) ==
        events({{"", "a", "", false}, {"", "b", "", false}}));
  CHECK(run({"data: a\r", "\ndata: b\r", "\r", "\n"}) == events({{"", "a\nb", "", false}}));
  // "\r" then an empty chunk then "\n": still one line end.
  CHECK(run({"data: a\r", "", "\n", "\r", "", "\n"}) == events({{"", "a", "", false}}));
  // "data:" split inside the field name and inside the value.
  CHECK(run({"da", "ta", ": x", "y\n", "\n"}) == events({{"", "xy", "", false}}));
  CHECK(run({"ev", "ent: n", "ame\nd", "ata: 1\n\n"}) == events({{"name", "1", "", false}}));
  // A pending event whose data and name lines came in an earlier chunk.
  CHECK(run({"event: e\ndata: a\n", "data: b\n", "\n"}) == events({{"e", "a\nb", "", false}}));
  // A comment split across chunks is dropped.
  CHECK(run({":pi", "ng\r", "\ndata: a\n\n"}) == events({{"", "a", "", false}}));
  // BOM split byte by byte, and a lone partial BOM at the end.
  CHECK(run({"\xEF", "\xBB", "\xBF", "data: a\n\n"}) == events({{"", "a", "", false}}));
  CHECK(run({"\xEF"}).empty());
}

TEST_CASE("sse_reader: retry field") {
  CHECK(sse_all_chunkings("retry: 1500\n\n").retry == 1500);
  CHECK(sse_all_chunkings("retry: 1500\nretry: 15x\nretry:\n\n").retry == 1500);
  CHECK(sse_all_chunkings("retry: -1\n\n").retry == -1);
  CHECK(sse_all_chunkings("retry: 99999999999999999999999999\n\n").retry > 0);
}

TEST_CASE("sse_reader: the callback may read every field, and reuse after finish and reset") {
  sse_reader reader;
  std::vector<std::string> got;
  auto on_event = [&](const sse_event& e) { got.emplace_back(e.data); };
  REQUIRE(reader.feed("data: a\n\ndata: b", on_event));
  REQUIRE(reader.finish(on_event));
  // After finish() a new stream starts: its BOM is skipped again.
  REQUIRE(
      reader.feed("\xEF\xBB\xBF"
                  "data: c\n\n",
                  on_event));
  REQUIRE(reader.finish(on_event));
  CHECK(got == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("sse_reader: a reader may be copied or moved between feed() calls") {
  auto r1 = std::make_unique<sse_reader>();
  std::vector<ev> got;
  auto on_event = [&](const sse_event& e) {
    got.push_back(ev{std::string(e.event), std::string(e.data), std::string(e.id), e.has_id});
  };
  REQUIRE(r1->feed("event: e\ndata: a\ndata: b\n", on_event));
  sse_reader copy = *r1;
  REQUIRE(r1->feed("event: f\ndata: c\n", on_event));
  sse_reader moved = std::move(*r1);
  r1.reset();
  REQUIRE(copy.feed("\n", on_event));
  REQUIRE(moved.feed("\n", on_event));
  CHECK(got == events({{"e", "a\nb", "", false}, {"f", "a\nb\nc", "", false}}));
}

TEST_CASE("sse_reader: random bodies match the reference parser in every chunking") {
  const std::vector<std::string> vocab = {"data: ",
                                          "data:",
                                          "data",
                                          "event: ",
                                          "event:",
                                          "id: ",
                                          "id:",
                                          "retry: ",
                                          "retry: 12",
                                          ":",
                                          " ",
                                          "x",
                                          "y",
                                          "h\xC3\xA9",
                                          "\xE2\x82\xAC",
                                          "\r",
                                          "\n",
                                          "\r\n",
                                          "\n\n",
                                          "\r\n\r\n",
                                          "\r\r",
                                          "0",
                                          "{\"a\":1}",
                                          std::string("\0", 1),
                                          "\xEF\xBB\xBF",
                                          "ev",
                                          "ent",
                                          "da",
                                          "ta"};
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::size_t> pick(0, vocab.size() - 1), len(0, 120);
  for (int iter = 0; iter < 400; ++iter) {
    std::string body = (iter % 7 == 0) ? "\xEF\xBB\xBF" : "";
    for (std::size_t n = len(rng); n > 0; --n) body += vocab[pick(rng)];
    INFO("iteration " << iter << " body \"" << body << "\"");
    const sse_result want = reference_sse(body);
    REQUIRE(run_sse(body, chunking::whole) == want);
    REQUIRE(run_sse(body, chunking::bytewise) == want);
    for (std::uint32_t seed = 1; seed <= 3; ++seed)
      REQUIRE(run_sse(body, chunking::random, seed + static_cast<std::uint32_t>(iter) * 10,
                      default_max_frame_bytes, 1 + seed * 4) == want);
    // A tiny bound: whatever it decides, it decides the same in every chunking.
    const sse_result small = run_sse(body, chunking::whole, 0, 6);
    REQUIRE(run_sse(body, chunking::bytewise, 0, 6) == small);
    REQUIRE(run_sse(body, chunking::random, static_cast<std::uint32_t>(iter), 6, 9) == small);
  }
}

// ====================================================================== SSE: bounds

TEST_CASE("sse_reader: an oversize event puts the reader into the error state") {
  const std::size_t max = 64;
  SECTION("one long data line") {
    const std::string body = "data: a\n\ndata: " + std::string(100, 'x') + "\n\ndata: c\n\n";
    const sse_result r = sse_all_chunkings(body, max);
    CHECK_FALSE(r.ok);
    CHECK(r.events == events({{"", "a", "", false}}));
  }
  SECTION("many short data lines") {
    std::string body;
    for (int i = 0; i < 20; ++i) body += "data: 0123456789\n";
    body += "\n";
    const sse_result r = sse_all_chunkings(body, max);
    CHECK_FALSE(r.ok);
    CHECK(r.events.empty());
  }
  SECTION("data plus event name") {
    const std::string body =
        "event: " + std::string(40, 'e') + "\ndata: " + std::string(30, 'd') + "\n\n";
    CHECK_FALSE(sse_all_chunkings(body, max).ok);
  }
  SECTION("a long line of an unknown field, never ended") {
    CHECK_FALSE(sse_all_chunkings("foo: " + std::string(1000, 'x'), max).ok);
  }
  SECTION("exactly at the bound is fine") {
    const std::string body = "data: " + std::string(max, 'x') + "\n\n";
    // The line itself is longer than the bound: the bound covers lines too.
    CHECK_FALSE(sse_all_chunkings(body, max).ok);
    const std::string fits = "data:" + std::string(max - 5, 'x') + "\n\n";
    const sse_result r = sse_all_chunkings(fits, max);
    CHECK(r.ok);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].data.size() == max - 5);
  }
  SECTION("long comments are not buffered and do not count") {
    const std::string body = ":" + std::string(10000, 'p') + "\r\ndata: ok\n\n";
    const sse_result r = sse_all_chunkings(body, max);
    CHECK(r.ok);
    CHECK(r.events == events({{"", "ok", "", false}}));
  }
  SECTION("the error is sticky until reset") {
    sse_reader reader(max);
    int n = 0;
    auto on_event = [&](const sse_event&) { ++n; };
    CHECK_FALSE(reader.feed("data: " + std::string(100, 'x'), on_event));
    CHECK(reader.error() == framing_error::too_large);
    CHECK_FALSE(reader.feed("\n\ndata: a\n\n", on_event));
    CHECK_FALSE(reader.finish(on_event));
    CHECK(n == 0);
    reader.reset();
    CHECK(reader.ok());
    CHECK(reader.feed("data: a\n\n", on_event));
    CHECK(n == 1);
  }
}

TEST_CASE("sse_reader: memory stays bounded while an oversize event streams in") {
  sse_reader reader(1024);
  int n = 0;
  auto on_event = [&](const sse_event&) { ++n; };
  const std::string chunk(4096, 'x');
  REQUIRE(reader.feed("data: ", on_event));
  bool ok = true;
  for (int i = 0; i < 1000 && ok; ++i) ok = reader.feed(chunk, on_event);  // 4 MB offered
  CHECK_FALSE(ok);
  CHECK(n == 0);
}

// ====================================================================== SSE writer

TEST_CASE("sse writer helpers") {
  std::string out;
  append_sse_event(out, "message_start", "{\"a\":1}");
  CHECK(out == "event: message_start\ndata: {\"a\":1}\n\n");
  out.clear();
  append_sse_data(out, "[DONE]");
  CHECK(out == "data: [DONE]\n\n");
  out.clear();
  append_sse_data(out, "a\nb\r\nc\rd");
  CHECK(out == "data: a\ndata: b\ndata: c\ndata: d\n\n");
  out.clear();
  append_sse_data(out, "");
  CHECK(out == "data: \n\n");
  out.clear();
  append_sse_data(out, "a\n");
  CHECK(out == "data: a\ndata: \n\n");
  out.clear();
  append_sse_event(out, "", "x");
  CHECK(out == "data: x\n\n");
  out.clear();
  append_sse_event(out, "bad\nname", "x");
  CHECK(out == "event: bad\ndata: x\n\n");
  out.clear();
  append_sse_comment(out, "ping");
  CHECK(out == ": ping\n\n");
  // Appends: the caller owns and reuses the buffer.
  append_sse_data(out, "z");
  CHECK(out == ": ping\n\ndata: z\n\n");
}

TEST_CASE("sse writer output reads back to the same events") {
  std::mt19937 rng(7);
  const std::vector<std::string> vocab = {"a", " ",      "  ",       "\n", "\r\n",
                                          ":", "data: ", "\xC3\xA9", "{}", ""};
  std::uniform_int_distribution<std::size_t> pick(0, vocab.size() - 1), len(0, 12);
  std::string wire;
  std::vector<ev> want;
  for (int i = 0; i < 300; ++i) {
    std::string data;
    for (std::size_t n = len(rng); n > 0; --n) data += vocab[pick(rng)];
    const std::string name = (i % 3 == 0) ? "" : "ev" + std::to_string(i);
    append_sse_event(wire, name, data);
    if (i % 50 == 0) append_sse_comment(wire, "ping");
    // The reader gives back "\r\n" as "\n" (both are line ends on the wire).
    std::string back;
    for (std::size_t k = 0; k < data.size(); ++k) {
      if (data[k] == '\r' && k + 1 < data.size() && data[k + 1] == '\n') continue;
      back += data[k];
    }
    want.push_back(ev{name, back, "", false});
  }
  const sse_result r = sse_all_chunkings(wire);
  CHECK(r.ok);
  CHECK(r.events == want);
}

// ====================================================================== NDJSON

TEST_CASE("ndjson_reader: edge cases in every chunking") {
  struct edge {
    const char* name;
    std::string body;
    std::vector<std::string> want;
  };
  const std::vector<edge> cases = {
      {"plain", "{\"a\":1}\n{\"b\":2}\n", {"{\"a\":1}", "{\"b\":2}"}},
      {"crlf", "{\"a\":1}\r\n{\"b\":2}\r\n", {"{\"a\":1}", "{\"b\":2}"}},
      {"empty lines skipped", "\n\n{\"a\":1}\n\r\n\n{\"b\":2}\n\n", {"{\"a\":1}", "{\"b\":2}"}},
      {"last line without newline", "{\"a\":1}\n{\"done\":true}", {"{\"a\":1}", "{\"done\":true}"}},
      {"last line without newline, with cr", "{\"a\":1}\r", {"{\"a\":1}"}},
      {"only one trailing cr stripped", "a\r\r\n", {"a\r"}},
      {"inner cr kept", "a\rb\n", {"a\rb"}},
      {"utf-8 split",
       "{\"t\":\"h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}\n",
       {"{\"t\":\"h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}"}},
      {"empty body", "", {}},
      {"only newlines", "\n\r\n\n", {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const nd_result r = nd_all_chunkings(c.body);
    CHECK(r.ok);
    CHECK(r.lines == c.want);
  }
}

TEST_CASE("ndjson_reader: random bodies agree in every chunking") {
  const std::vector<std::string> vocab = {"{",    "}",  "\"k\"", ":", "1",        "\n",
                                          "\r\n", "\r", "\n\n",  " ", "\xC3\xA9", "[]"};
  std::mt19937 rng(4242);
  std::uniform_int_distribution<std::size_t> pick(0, vocab.size() - 1), len(0, 100);
  for (int iter = 0; iter < 400; ++iter) {
    std::string body;
    for (std::size_t n = len(rng); n > 0; --n) body += vocab[pick(rng)];
    INFO("iteration " << iter << " body \"" << body << "\"");
    // Reference: split on '\n', strip one '\r', drop empties.
    nd_result want;
    std::size_t start = 0;
    while (start <= body.size()) {
      auto nl = body.find('\n', start);
      std::string l = body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!l.empty() && l.back() == '\r') l.pop_back();
      if (!l.empty()) want.lines.push_back(l);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    REQUIRE(run_nd(body, chunking::whole) == want);
    REQUIRE(run_nd(body, chunking::bytewise) == want);
    REQUIRE(run_nd(body, chunking::random, static_cast<std::uint32_t>(iter),
                   default_max_frame_bytes, 11) == want);
    const nd_result small = run_nd(body, chunking::whole, 0, 5);
    REQUIRE(run_nd(body, chunking::bytewise, 0, 5) == small);
    REQUIRE(run_nd(body, chunking::random, static_cast<std::uint32_t>(iter), 5, 7) == small);
  }
}

TEST_CASE("ndjson_reader: an oversize line puts the reader into the error state") {
  const std::size_t max = 16;
  SECTION("too long, delivered lines before it kept") {
    const nd_result r =
        nd_all_chunkings("{\"a\":1}\n" + std::string(40, 'x') + "\n{\"b\":2}\n", max);
    CHECK_FALSE(r.ok);
    CHECK(r.lines == std::vector<std::string>{"{\"a\":1}"});
  }
  SECTION("never ended") { CHECK_FALSE(nd_all_chunkings(std::string(1000, 'x'), max).ok); }
  SECTION("exactly the bound, with and without cr") {
    const std::string line(max, 'x');
    CHECK(nd_all_chunkings(line + "\n", max).lines == std::vector<std::string>{line});
    CHECK(nd_all_chunkings(line + "\r\n", max).lines == std::vector<std::string>{line});
    CHECK(nd_all_chunkings(line + "\r", max).lines == std::vector<std::string>{line});
    CHECK_FALSE(nd_all_chunkings(line + "x\n", max).ok);
    CHECK_FALSE(nd_all_chunkings(line + "x", max).ok);
  }
  SECTION("sticky until reset") {
    ndjson_reader reader(max);
    int n = 0;
    auto on_line = [&](std::string_view) { ++n; };
    CHECK_FALSE(reader.feed(std::string(100, 'x'), on_line));
    CHECK_FALSE(reader.feed("\n{}\n", on_line));
    CHECK_FALSE(reader.finish(on_line));
    CHECK(n == 0);
    reader.reset();
    CHECK(reader.feed("{}\n", on_line));
    CHECK(n == 1);
  }
}

// ====================================================================== throughput (hidden)

// Not run by default: ./test_framing "[.bench]". Proxy-shaped: 16 KiB chunks in, each chunk's
// re-encoded events appended to one reused output buffer that is "sent" (cleared) per chunk.
TEST_CASE("framing throughput: SSE decode + re-encode", "[.bench]") {
  const std::string one =
      harness_test::read_file(
          harness_test::data_path("captures/anthropic-messages-tool_use.stream.sse")) +
      harness_test::read_file(harness_test::data_path("captures/openai-chat-tool_call.stream.sse"));
  std::string body;
  while (body.size() < (std::size_t{64} << 20)) body += one;
  std::string out, all;
  sse_reader reader;
  std::size_t n = 0, bytes_out = 0;
  auto on_event = [&](const sse_event& e) {
    append_sse_event(out, e.event, e.data);
    ++n;
  };
  auto pass = [&](bool keep) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t at = 0; at < body.size(); at += 16384) {
      reader.feed(std::string_view(body).substr(at, 16384), on_event);
      bytes_out += out.size();
      if (keep) all += out;
      out.clear();
    }
    reader.finish(on_event);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  pass(true);
  CHECK(all == body);
  n = 0;
  bytes_out = 0;
  const double s = pass(false);
  CHECK(bytes_out == body.size());
  WARN("SSE decode+encode: " << n << " events, " << static_cast<double>(body.size()) / s / 1e6
                             << " MB/s");
}

TEST_CASE("framing throughput: NDJSON framing", "[.bench]") {
  std::string body;
  const std::string line =
      "{\"model\":\"llama3\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":"
      "\"assistant\","
      "\"content\":\"Hello there\"},\"done\":false}\n";
  while (body.size() < (std::size_t{64} << 20)) body += line;
  ndjson_reader reader;
  std::size_t n = 0, sum = 0;
  auto on_line = [&](std::string_view l) {
    ++n;
    sum += l.size();
  };
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t at = 0; at < body.size(); at += 16384)
    reader.feed(std::string_view(body).substr(at, 16384), on_line);
  reader.finish(on_line);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(sum + n == body.size());
  WARN("NDJSON framing: " << n << " lines, " << static_cast<double>(body.size()) / s / 1e6
                          << " MB/s");
}

// Regression (fuzz_framing, issue 9): an `id` line without a value reached memchr with a null
// pointer (undefined behaviour under UBSan). The id is accepted as empty.
TEST_CASE("sse: an id line without a value", "[sse]") {
  harness::detail::sse_reader r;
  std::vector<std::string> data;
  auto on_event = [&data](const harness::detail::sse_event& e) { data.emplace_back(e.data); };
  CHECK(r.feed("id\r\rdata: x\n\n", on_event));
  CHECK(r.finish(on_event));
  REQUIRE(data.size() == 1);
  CHECK(data[0] == "x");
  CHECK(r.last_event_id().empty());
}

TEST_CASE("sse: an empty data field is an empty, never null, view", "[sse]") {
  // A null data() reached simdjson's memcpy in the Responses stream decoder (fuzz_stream).
  harness::detail::sse_reader r;
  int events = 0;
  bool null_seen = false;
  auto on_event = [&](const harness::detail::sse_event& e) {
    ++events;
    null_seen = null_seen || e.data.data() == nullptr;
    CHECK(e.data.empty());
  };
  CHECK(r.feed("data\n\ndata:\n\nevent: x\ndata: \n\n", on_event));
  CHECK(r.finish(on_event));
  CHECK(events == 3);
  CHECK_FALSE(null_seen);
}
