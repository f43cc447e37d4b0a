// Tests of harness/sse.h, the public SSE parser (the reader behind it has its own tests in
// framing_test.cpp): events in any chunking, owned copies, the size bound as an error.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <harness/sse.h>

using harness::sse_message;
using harness::sse_parser;

namespace {

// Feeds `text` in pieces of `chunk` bytes, then finishes.
std::vector<sse_message> parse_in_chunks(const std::string& text, std::size_t chunk) {
  sse_parser parser;
  std::vector<sse_message> got;
  for (std::size_t i = 0; i < text.size(); i += chunk) {
    for (auto& m : parser.feed(std::string_view(text).substr(i, chunk))) got.push_back(std::move(m));
  }
  for (auto& m : parser.finish()) got.push_back(std::move(m));
  REQUIRE(parser.ok());
  return got;
}

}  // namespace

TEST_CASE("sse_parser: events come out whole in every chunking, comments skipped") {
  const std::string text =
      "\xEF\xBB\xBF" "event: hello\ndata: {\"version\":\"1\"}\n\n: ping\n\n"
      "id: 7\r\nevent: exchange\r\ndata: {\"a\":1}\r\n\r\n"
      "data: line1\rdata: line2\n\n"
      "data: no blank line at the end";
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
    INFO("chunk " << chunk);
    const auto got = parse_in_chunks(text, chunk);
    REQUIRE(got.size() == 4);
    CHECK(got[0].event == "hello");
    CHECK(got[0].data == "{\"version\":\"1\"}");
    CHECK(got[0].id.empty());
    CHECK(got[1].event == "exchange");
    CHECK(got[1].data == "{\"a\":1}");
    CHECK(got[1].id == "7");
    CHECK(got[2].event == "message");
    CHECK(got[2].data == "line1\nline2");
    CHECK(got[2].id == "7");  // the last event ID persists
    CHECK(got[3].data == "no blank line at the end");
  }
}

TEST_CASE("sse_parser: events outlive the bytes they were read from") {
  sse_parser parser;
  std::string bytes = "data: first\n\n";
  auto events = parser.feed(bytes);
  bytes.assign(bytes.size(), 'x');  // the caller reuses its buffer
  REQUIRE(events.size() == 1);
  CHECK(events[0].data == "first");
}

TEST_CASE("sse_parser: an event over the bound stops the parser until reset, losing nothing before it") {
  sse_parser parser(16);
  CHECK(parser.ok());
  auto first = parser.feed("data: short\n\ndata: this one is far too long\n\n");
  REQUIRE(first.size() == 1);  // the event before the long one
  CHECK(first[0].data == "short");
  REQUIRE_FALSE(parser.ok());
  CHECK(parser.error().code == harness::errc::invalid_request);
  CHECK(parser.error().message.find("16 bytes") != std::string::npos);
  CHECK(parser.feed("data: ok\n\n").empty());  // ignored while stopped
  CHECK(parser.finish().empty());
  parser.reset();
  CHECK(parser.ok());
  auto after = parser.feed("data: ok\n\n");
  REQUIRE(after.size() == 1);
  CHECK(after[0].data == "ok");
}

TEST_CASE("sse_parser: a moved parser keeps its partial event") {
  sse_parser a;
  CHECK(a.feed("event: e\ndata: he").empty());
  sse_parser b = std::move(a);
  auto events = b.feed("llo\n\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].event == "e");
  CHECK(events[0].data == "hello");
}
