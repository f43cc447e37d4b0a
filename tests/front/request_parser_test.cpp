// harness_server::request_parser (server/front/request_parser.h): every valid request parses the
// same whatever the chunking of its bytes, pipelined requests come out one by one, and every
// refusal has its status.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "front/request_parser.h"

namespace {

using harness_server::http_request;
using harness_server::parser_limits;
using harness_server::request_parser;
using state = request_parser::state;
using header_vector = std::vector<std::pair<std::string, std::string>>;

// What a run of the parser over some bytes gave: the requests completed, in order, then how it
// stopped (state::head or state::body when it waits for more, state::failed with the status).
struct run_result {
  std::vector<http_request> requests;
  state last = state::head;
  int status = 0;
  std::string rest;  // bytes given but not consumed
};

// Feeds `wire` to one parser in pieces of the sizes `cuts` gives (the last piece takes what is
// left), the way a connection does: after a complete request, reset() and feed the rest.
run_result run_parser(const std::string& wire, const std::vector<std::size_t>& cuts,
                      parser_limits limits = {}) {
  run_result r;
  request_parser p(limits);
  std::string in;
  std::size_t pos = 0;
  std::size_t piece = 0;
  while (pos < wire.size()) {
    std::size_t n = piece < cuts.size() ? cuts[piece] : wire.size() - pos;
    ++piece;
    n = std::min(n, wire.size() - pos);
    in.append(wire, pos, n);
    pos += n;
    for (;;) {
      const state st = p.feed(in);
      r.last = st;
      if (st == state::failed) {
        r.status = p.error_status();
        r.rest = in;
        return r;
      }
      if (st != state::complete) break;
      r.requests.push_back(p.request());
      p.reset();
      r.last = state::head;
      if (in.empty()) break;
    }
  }
  r.rest = in;
  return r;
}

std::vector<std::size_t> whole() { return {}; }

std::vector<std::size_t> bytewise(std::size_t size) { return std::vector<std::size_t>(size, 1); }

// Random cuts of 1 to max_piece bytes; the same for a seed on every platform (no distribution).
std::vector<std::size_t> random_cuts(std::size_t size, std::uint32_t seed, std::size_t max_piece) {
  std::mt19937 gen(seed);
  std::vector<std::size_t> cuts;
  std::size_t total = 0;
  while (total < size) {
    const std::size_t n = 1 + gen() % max_piece;
    cuts.push_back(n);
    total += n;
  }
  return cuts;
}

// Every chunking a test runs a wire through: whole, a byte at a time, and random cuts.
std::vector<std::pair<std::string, std::vector<std::size_t>>> chunkings(std::size_t size) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> all;
  all.emplace_back("whole", whole());
  all.emplace_back("bytewise", bytewise(size));
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    all.emplace_back("seed " + std::to_string(seed) + " max 7", random_cuts(size, seed, 7));
    all.emplace_back("seed " + std::to_string(seed) + " max 64", random_cuts(size, seed, 64));
  }
  return all;
}

struct valid_case {
  std::string name;
  std::string wire;
  http_request expected;
};

http_request make_request(std::string method, std::string path, std::string query, int minor,
                          header_vector headers, std::string body) {
  http_request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.minor_version = minor;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

std::vector<valid_case> valid_cases() {
  std::vector<valid_case> v;
  v.push_back({"Content-Length body",
               "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost:8080\r\n"
               "Content-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"model\":\"m1\"}\n",
               make_request("POST", "/v1/chat/completions", "", 1,
                            {{"Host", "localhost:8080"},
                             {"Content-Type", "application/json"},
                             {"Content-Length", "15"}},
                            "{\"model\":\"m1\"}\n")});
  v.push_back({"chunked body with extensions and trailers",
               "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
               "5;name=value\r\nhello\r\n"
               "6 ; ext ; other=\"q\"\r\n world\r\n"
               "A\r\n0123456789\r\n"
               "1b\r\n"
               "abcdefghijklmnopqrstuvwxyz!\r\n"
               "0;last\r\nX-Checksum: 1234\r\nX-Other: two\r\n\r\n",
               make_request("POST", "/upload", "", 1,
                            {{"Host", "h"}, {"Transfer-Encoding", "chunked"}},
                            "hello world0123456789abcdefghijklmnopqrstuvwxyz!")});
  v.push_back({"chunked body without trailers",
               "PUT /c HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
               make_request("PUT", "/c", "", 1, {{"Transfer-Encoding", "Chunked"}}, "abc")});
  v.push_back({"no body",
               "GET /v1/models HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
               make_request("GET", "/v1/models", "", 1, {{"Host", "h"}, {"Accept", "*/*"}}, "")});
  v.push_back({"Content-Length zero",
               "POST /empty HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
               make_request("POST", "/empty", "", 1, {{"Content-Length", "0"}}, "")});
  v.push_back({"HEAD", "HEAD /health HTTP/1.1\r\nHost: h\r\n\r\n",
               make_request("HEAD", "/health", "", 1, {{"Host", "h"}}, "")});
  v.push_back({"HTTP/1.0", "GET /old HTTP/1.0\r\nUser-Agent: ancient/1\r\n\r\n",
               make_request("GET", "/old", "", 0, {{"User-Agent", "ancient/1"}}, "")});
  v.push_back({"HTTP/1.0 with a body",
               "POST /old HTTP/1.0\r\nContent-Length: 4\r\n\r\nbody",
               make_request("POST", "/old", "", 0, {{"Content-Length", "4"}}, "body")});
  v.push_back({"absolute-form target",
               "GET http://example.com:8080/v1/models?limit=2 HTTP/1.1\r\nHost: example.com\r\n\r\n",
               make_request("GET", "/v1/models", "limit=2", 1, {{"Host", "example.com"}}, "")});
  v.push_back({"absolute-form target without a path",
               "GET https://example.com HTTP/1.1\r\n\r\n",
               make_request("GET", "/", "", 1, {}, "")});
  v.push_back({"asterisk-form target", "OPTIONS * HTTP/1.1\r\n\r\n",
               make_request("OPTIONS", "*", "", 1, {}, "")});
  v.push_back({"query string",
               "GET /events?since=10&kind=a%20b HTTP/1.1\r\n\r\n",
               make_request("GET", "/events", "since=10&kind=a%20b", 1, {}, "")});
  v.push_back({"empty query", "GET /q? HTTP/1.1\r\n\r\n", make_request("GET", "/q", "", 1, {}, "")});
  v.push_back({"LF-only line ends",
               "POST /lf HTTP/1.1\nHost: h\nContent-Length: 3\n\nabc",
               make_request("POST", "/lf", "", 1, {{"Host", "h"}, {"Content-Length", "3"}}, "abc")});
  v.push_back({"LF-only chunked",
               "POST /lfc HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n2;x\nde\n0\nT: 1\n\n",
               make_request("POST", "/lfc", "", 1, {{"Transfer-Encoding", "chunked"}}, "abcde")});
  v.push_back({"leading empty lines",
               "\r\n\r\n\nGET /after-blank HTTP/1.1\r\nHost: h\r\n\r\n",
               make_request("GET", "/after-blank", "", 1, {{"Host", "h"}}, "")});
  v.push_back({"header whitespace trimmed and empty value",
               "GET /ows HTTP/1.1\r\nX-Padded: \t value with  inner space \t\r\nX-Empty:\r\n\r\n",
               make_request("GET", "/ows", "", 1,
                            {{"X-Padded", "value with  inner space"}, {"X-Empty", ""}}, "")});
  v.push_back({"binary body with CRLFs",
               std::string("POST /bin HTTP/1.1\r\nContent-Length: 8\r\n\r\n\r\n\r\n") +
                   std::string("\0\x01\xff\n", 4),
               make_request("POST", "/bin", "", 1, {{"Content-Length", "8"}},
                            std::string("\r\n\r\n") + std::string("\0\x01\xff\n", 4))});
  return v;
}

void check_same(const http_request& got, const http_request& want) {
  CHECK(got.method == want.method);
  CHECK(got.path == want.path);
  CHECK(got.query == want.query);
  CHECK(got.minor_version == want.minor_version);
  CHECK(got.headers == want.headers);
  CHECK(got.body == want.body);
}

// The status a parser refuses `wire` with, fed whole and byte by byte (both must agree).
int refusal(const std::string& wire, parser_limits limits = {}) {
  const run_result a = run_parser(wire, whole(), limits);
  const run_result b = run_parser(wire, bytewise(wire.size()), limits);
  INFO("wire: " << wire);
  CHECK(a.requests.empty());
  CHECK(b.requests.empty());
  CHECK(a.last == state::failed);
  CHECK(b.last == state::failed);
  CHECK(a.status == b.status);
  return a.status;
}

http_request parse_one(const std::string& wire) {
  const run_result r = run_parser(wire, whole());
  REQUIRE(r.requests.size() == 1);
  return r.requests.front();
}

}  // namespace

TEST_CASE("request_parser: every valid request parses the same whatever the chunking",
          "[front][parser]") {
  for (const valid_case& c : valid_cases()) {
    for (const auto& [how, cuts] : chunkings(c.wire.size())) {
      INFO(c.name << ", fed " << how);
      const run_result r = run_parser(c.wire, cuts);
      REQUIRE(r.requests.size() == 1);
      CHECK(r.last == state::head);
      CHECK(r.rest.empty());
      check_same(r.requests.front(), c.expected);
    }
  }
}

TEST_CASE("request_parser: all valid requests pipelined in one stream come out in order",
          "[front][parser]") {
  const std::vector<valid_case> cases = valid_cases();
  std::string wire;
  for (const valid_case& c : cases) wire += c.wire;
  for (const auto& [how, cuts] : chunkings(wire.size())) {
    INFO("fed " << how);
    const run_result r = run_parser(wire, cuts);
    REQUIRE(r.requests.size() == cases.size());
    CHECK(r.rest.empty());
    for (std::size_t i = 0; i < cases.size(); ++i) {
      INFO(cases[i].name);
      check_same(r.requests[i], cases[i].expected);
    }
  }
}

TEST_CASE("request_parser: a pipelined request stays in the input until the first is reset",
          "[front][parser]") {
  const std::string first = "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz";
  const std::string second = "GET /b?x=1 HTTP/1.1\r\n\r\n";
  const std::string third = "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n";
  std::string in = first + second + third + "GET /partial HT";
  request_parser p;
  REQUIRE(p.feed(in) == state::complete);
  CHECK(p.request().path == "/a");
  CHECK(p.request().body == "xyz");
  CHECK(in == second + third + "GET /partial HT");
  // Fed again before reset(): nothing moves.
  CHECK(p.feed(in) == state::complete);
  CHECK(in == second + third + "GET /partial HT");
  p.reset();
  REQUIRE(p.feed(in) == state::complete);
  CHECK(p.request().path == "/b");
  CHECK(p.request().query == "x=1");
  CHECK(p.request().body.empty());
  CHECK(in == third + "GET /partial HT");
  p.reset();
  REQUIRE(p.feed(in) == state::complete);
  CHECK(p.request().path == "/c");
  CHECK(p.request().body == "hi");
  CHECK(in == "GET /partial HT");
  p.reset();
  CHECK(p.feed(in) == state::head);
  in += "TP/1.1\r\n\r\n";
  REQUIRE(p.feed(in) == state::complete);
  CHECK(p.request().path == "/partial");
  CHECK(in.empty());
}

TEST_CASE("request_parser: the head is available while the body is still coming",
          "[front][parser]") {
  request_parser p;
  std::string in = "POST /v1/messages HTTP/1.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n01234";
  REQUIRE(p.feed(in) == state::body);
  CHECK(in.empty());
  CHECK(p.request().path == "/v1/messages");
  CHECK(p.request().expects_continue());
  CHECK(p.body_bytes() == 5);
  in = "56789EXTRA";
  REQUIRE(p.feed(in) == state::complete);
  CHECK(p.request().body == "0123456789");
  CHECK(in == "EXTRA");
}

TEST_CASE("request_parser: header lookups are case-insensitive and take the first value",
          "[front][parser]") {
  const http_request r =
      parse_one("GET / HTTP/1.1\r\nX-Twice: one\r\nx-twice: two\r\nContent-TYPE: text/plain\r\n\r\n");
  CHECK(r.header("x-twice") == "one");
  CHECK(r.header("X-TWICE") == "one");
  CHECK(r.header("content-type") == "text/plain");
  CHECK(r.has_header("CONTENT-type"));
  CHECK_FALSE(r.has_header("Content-Length"));
  CHECK(r.header("Content-Length").empty());
}

TEST_CASE("request_parser: a head over max_head_bytes is refused with 431", "[front][parser]") {
  parser_limits limits;
  limits.max_head_bytes = 256;
  const std::string big(300, 'a');
  // Whole head in, too large.
  CHECK(refusal("GET / HTTP/1.1\r\nX-Big: " + big + "\r\n\r\n", limits) == 431);
  // Never ending head: refused once over the limit, without waiting for its end.
  CHECK(refusal("GET / HTTP/1.1\r\nX-Big: " + big, limits) == 431);
  // A long request line alone.
  CHECK(refusal("GET /" + big + " HTTP/1.1\r\n\r\n", limits) == 431);
  // Just under the limit is fine.
  std::string fits = "GET / HTTP/1.1\r\nX-Fill: ";
  fits += std::string(256 - fits.size() - 4, 'b') + "\r\n\r\n";
  REQUIRE(fits.size() == 256);
  const run_result ok = run_parser(fits, bytewise(fits.size()), limits);
  CHECK(ok.requests.size() == 1);
  CHECK(ok.last == state::head);
}

TEST_CASE("request_parser: too many headers is refused with 431", "[front][parser]") {
  parser_limits limits;
  limits.max_headers = 4;
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 4; ++i) head += "X-H" + std::to_string(i) + ": v\r\n";
  const run_result ok = run_parser(head + "\r\n", whole(), limits);
  REQUIRE(ok.requests.size() == 1);
  CHECK(ok.requests.front().headers.size() == 4);
  CHECK(refusal(head + "X-H4: v\r\n\r\n", limits) == 431);
}

TEST_CASE("request_parser: a Content-Length over max_body_bytes is refused with 413",
          "[front][parser]") {
  parser_limits limits;
  limits.max_body_bytes = 100;
  CHECK(refusal("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", limits) == 413);
  // Refused from the head alone: nothing of the body needs to arrive.
  CHECK(refusal("POST / HTTP/1.1\r\nContent-Length: 999999999999999999\r\n\r\n", limits) == 413);
  const std::string at_limit = "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x');
  const run_result ok = run_parser(at_limit, whole(), limits);
  REQUIRE(ok.requests.size() == 1);
  CHECK(ok.requests.front().body.size() == 100);
}

TEST_CASE("request_parser: a chunked body growing over max_body_bytes is refused with 413",
          "[front][parser]") {
  parser_limits limits;
  limits.max_body_bytes = 100;
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string sixty = "3c\r\n" + std::string(60, 'x') + "\r\n";
  // 60 + 60 > 100: refused at the second size line, before its data.
  CHECK(refusal(head + sixty + "3c\r\n", limits) == 413);
  // One huge chunk size.
  CHECK(refusal(head + "fffffffffffffff\r\n", limits) == 413);
  // Exactly the limit is fine.
  const std::string at_limit = head + sixty + "28\r\n" + std::string(40, 'y') + "\r\n0\r\n\r\n";
  for (const auto& [how, cuts] : chunkings(at_limit.size())) {
    INFO("fed " << how);
    const run_result ok = run_parser(at_limit, cuts, limits);
    REQUIRE(ok.requests.size() == 1);
    CHECK(ok.requests.front().body.size() == 100);
  }
}

TEST_CASE("request_parser: Content-Length with Transfer-Encoding is refused with 400",
          "[front][parser]") {
  CHECK(refusal("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                "0\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                "hello") == 400);
}

TEST_CASE("request_parser: a transfer coding other than chunked is refused with 501",
          "[front][parser]") {
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") == 501);
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501);
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n") == 501);
}

TEST_CASE("request_parser: Transfer-Encoding split over several header lines is refused",
          "[front][parser]") {
  // The field's value is the list of all its lines: "gzip, chunked" and "chunked, chunked"
  // are not a plain chunked body, whichever line comes last.
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                "0\r\n\r\n") == 501);
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"
                "0\r\n\r\n") == 501);
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                "0\r\n\r\n") == 501);
}

TEST_CASE("request_parser: conflicting Content-Length headers are refused with 400",
          "[front][parser]") {
  CHECK(refusal("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!") == 400);
  // The same value twice is one length.
  const http_request r =
      parse_one("POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nhello");
  CHECK(r.body == "hello");
}

TEST_CASE("request_parser: a malformed Content-Length is refused with 400", "[front][parser]") {
  for (const std::string bad : {"12a", "-1", "+5", "1 2", "0x10", "1234567890123456789",
                                "99999999999999999999999", "5, 5"}) {
    INFO("Content-Length: " << bad);
    CHECK(refusal("POST / HTTP/1.1\r\nContent-Length: " + bad + "\r\n\r\n") == 400);
  }
  CHECK(refusal("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n") == 400);
}

TEST_CASE("request_parser: malformed request lines are refused with 400", "[front][parser]") {
  for (const std::string line :
       {"GET /", "GET / HTTP/1.1 extra", "GET  / HTTP/1.1", "GET / HTTP/1.1 ", " GET / HTTP/1.1",
        "GET foo HTTP/1.1", "GET http://example.com", "G(T / HTTP/1.1", "GET / http/1.1",
        "GET / HTTP/1.x", "GET / HTTP/11", "GET / HTTP/1.10", "GET / HTTP/1.1\r", "GET\t/ HTTP/1.1",
        "GET /a\x01z HTTP/1.1", "GET /a\x7fz HTTP/1.1", "NOT-HTTP-AT-ALL", "/ HTTP/1.1"}) {
    INFO("request line: " << line);
    CHECK(refusal(line + "\r\nHost: h\r\n\r\n") == 400);
  }
}

TEST_CASE("request_parser: HTTP/2.0 and other major versions are refused with 400",
          "[front][parser]") {
  CHECK(refusal("GET / HTTP/2.0\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/0.9\r\n\r\n") == 400);
  CHECK(refusal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == 400);
}

TEST_CASE("request_parser: malformed header lines are refused with 400", "[front][parser]") {
  // Obsolete line folding.
  CHECK(refusal("GET / HTTP/1.1\r\nX-Folded: one\r\n two\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nX-Folded: one\r\n\ttwo\r\n\r\n") == 400);
  // NUL in a value.
  CHECK(refusal("GET / HTTP/1.1\r\nX-Nul: a" + std::string(1, '\0') + "b\r\n\r\n") == 400);
  // NUL, space or no name.
  CHECK(refusal("GET / HTTP/1.1\r\nX-N" + std::string(1, '\0') + "ul: a\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\n: nameless\r\n\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nno colon here\r\n\r\n") == 400);
  // A bare CR inside a value.
  CHECK(refusal("GET / HTTP/1.1\r\nX-Cr: a\rb\r\n\r\n") == 400);
}

TEST_CASE("request_parser: a malformed chunked body is refused with 400", "[front][parser]") {
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(refusal(head + "zz\r\n") == 400);
  CHECK(refusal(head + "\r\n") == 400);
  CHECK(refusal(head + "-1\r\n") == 400);
  CHECK(refusal(head + "1000000000000000\r\n") == 400);  // 16 hex digits
  CHECK(refusal(head + "5\r\nhelloX\r\n") == 400);        // data longer than its size
  CHECK(refusal(head + "5\r\nhello\rX") == 400);
  CHECK(refusal(head + std::string(2000, '1')) == 400);  // a size line without end
}

TEST_CASE("request_parser: reset() after a refusal parses the next request", "[front][parser]") {
  request_parser p;
  std::string in = "BROKEN\r\n\r\n";
  REQUIRE(p.feed(in) == state::failed);
  CHECK(p.error_status() == 400);
  CHECK_FALSE(p.error_message().empty());
  CHECK(p.feed(in) == state::failed);  // stays refused
  p.reset();
  CHECK(p.error_status() == 0);
  CHECK(p.error_message().empty());
  in = "GET /ok HTTP/1.1\r\n\r\n";
  REQUIRE(p.feed(in) == state::complete);
  CHECK(p.request().path == "/ok");
}

TEST_CASE("request_parser: keep_alive follows the version and the Connection header",
          "[front][parser]") {
  CHECK(parse_one("GET / HTTP/1.1\r\n\r\n").keep_alive());
  CHECK(parse_one("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n").keep_alive());
  CHECK(parse_one("GET / HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n").keep_alive());
  CHECK_FALSE(parse_one("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive());
  CHECK_FALSE(parse_one("GET / HTTP/1.1\r\nConnection: CLOSE\r\n\r\n").keep_alive());
  CHECK_FALSE(parse_one("GET / HTTP/1.1\r\nconnection: keep-alive , close\r\n\r\n").keep_alive());
  CHECK_FALSE(parse_one("GET / HTTP/1.0\r\n\r\n").keep_alive());
  CHECK_FALSE(parse_one("GET / HTTP/1.0\r\nConnection: close\r\n\r\n").keep_alive());
  CHECK(parse_one("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive());
  CHECK(parse_one("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive());
  CHECK(parse_one("GET / HTTP/1.0\r\nConnection: te, keep-alive\r\n\r\n").keep_alive());
  CHECK_FALSE(parse_one("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keep_alive());
  CHECK_FALSE(parse_one("GET / HTTP/1.0\r\nConnection: keep-alive-ish\r\n\r\n").keep_alive());
}

TEST_CASE("request_parser: expects_continue needs HTTP/1.1 and Expect 100-continue",
          "[front][parser]") {
  CHECK(parse_one("POST / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n").expects_continue());
  CHECK(parse_one("POST / HTTP/1.1\r\nexpect: 100-Continue\r\n\r\n").expects_continue());
  CHECK_FALSE(parse_one("POST / HTTP/1.1\r\n\r\n").expects_continue());
  CHECK_FALSE(parse_one("POST / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n").expects_continue());
  CHECK_FALSE(parse_one("POST / HTTP/1.1\r\nExpect: 100-continue-later\r\n\r\n").expects_continue());
  CHECK_FALSE(parse_one("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").expects_continue());
}
