// harness-cli watch: the line formatter and the totals (pure functions).
#include <catch2/catch.hpp>

#include <string>

#include "watch_format.h"

using harness_cli::format_exchange;
using harness_cli::parse_exchange;
using harness_cli::watch_exchange;
using harness_cli::watch_style;

namespace {

constexpr watch_style plain{false, true};
constexpr watch_style colour{true, true};

// 2026-11-26 16:42:07.123 UTC
constexpr const char* base_fields =
    R"("ts_ms":1795711327123,"client":"openai","model":"qwen-coder","provider":"local",)"
    R"("upstream_model":"qwen2.5-coder:32b","stream":true,"status":200,"attempts":1,)"
    R"("first_byte_us":412000,"total_us":2310000,"input_tokens":1200,"output_tokens":85)";

watch_exchange parsed(const std::string& extra = "") {
  auto x = parse_exchange(std::string("{") + base_fields + extra + "}");
  REQUIRE(x.has_value());
  return *x;
}

}  // namespace

TEST_CASE("a plain exchange is one green line with route, status, latency and tokens", "[watch]") {
  const watch_exchange x = parsed();
  CHECK(x.outcome() == watch_exchange::verdict::ok);
  CHECK(format_exchange(x, plain) ==
        "16:42:07 qwen-coder -> local/qwen2.5-coder:32b 200 412ms/2.31s in 1200 out 85 stream");
  const std::string coloured = format_exchange(x, colour);
  CHECK(coloured.find("\x1b[32m200\x1b[0m") != std::string::npos);
  CHECK(coloured.find("\x1b[33m") == std::string::npos);
  CHECK(format_exchange(x, plain).find('\x1b') == std::string::npos);
}

TEST_CASE("each fix shows on the line, in yellow", "[watch]") {
  struct fix_case {
    const char* fields;
    const char* shown;
  };
  const fix_case cases[] = {
      {R"(,"tools_stripped":true)", "tools stripped"},
      {R"(,"tools_emulated":true)", "tools emulated"},
      {R"(,"calls_rescued":2,"rescue_family":"hermes")", "rescued 2 (hermes)"},
      {R"(,"args_repaired":3)", "repaired 3"},
      {R"(,"unknown_tools_dropped":1)", "unknown dropped 1"},
      {R"(,"truncated_calls_refused":1)", "truncated refused 1"},
      {R"(,"text_only_with_tools":true)", "text-only-with-tools"},
      {R"(,"dropped_tools":["web_search","code_execution"])",
       "server tools dropped: web_search code_execution"},
  };
  for (const auto& c : cases) {
    INFO(c.fields);
    const watch_exchange x = parsed(c.fields);
    CHECK(x.outcome() == watch_exchange::verdict::fixed);
    const std::string line = format_exchange(x, plain);
    CHECK(line.find(std::string(" | ") + c.shown) != std::string::npos);
    CHECK(format_exchange(x, colour).find(std::string("\x1b[33m") + c.shown) != std::string::npos);
  }
  // Several at once are listed together.
  const std::string both =
      format_exchange(parsed(R"(,"calls_rescued":1,"rescue_family":"json","args_repaired":1)"), plain);
  CHECK(both.find("| rescued 1 (json), repaired 1") != std::string::npos);
}

TEST_CASE("a failed exchange is red and names the error kind and reason", "[watch]") {
  const watch_exchange x = parsed(
      R"(,"error_kind":"upstream_5xx","error":"overloaded\nplease retry")");
  CHECK(x.outcome() == watch_exchange::verdict::failed);
  const std::string line = format_exchange(x, plain);
  CHECK(line.find("| upstream_5xx: overloaded please retry") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(format_exchange(x, colour).find("\x1b[31mupstream_5xx") != std::string::npos);

  // A 4xx without a kind still counts as failed; an unrouted model says so.
  auto unrouted = parse_exchange(R"({"model":"nope","status":404,"error":"unknown model"})");
  REQUIRE(unrouted.has_value());
  CHECK(unrouted->outcome() == watch_exchange::verdict::failed);
  const std::string u = format_exchange(*unrouted, plain);
  CHECK(u.find("nope -> (no route) 404 -/-") != std::string::npos);
  CHECK(u.find("| error: unknown model") != std::string::npos);
}

TEST_CASE("long error messages are cut to keep one short line", "[watch]") {
  const std::string long_reason(500, 'x');
  const std::string line = format_exchange(
      parsed(R"(,"error_kind":"transport","error":")" + long_reason + "\""), plain);
  CHECK(line.size() < 250);
  CHECK(line.find("...") != std::string::npos);
}

TEST_CASE("lines that are not JSON objects are not exchanges", "[watch]") {
  CHECK_FALSE(parse_exchange("not json").has_value());
  CHECK_FALSE(parse_exchange("[1,2]").has_value());
  CHECK(parse_exchange("{}").has_value());
}

TEST_CASE("colour is used only on a terminal without --no-color or NO_COLOR", "[watch]") {
  CHECK(harness_cli::want_color(false, true, nullptr));
  CHECK(harness_cli::want_color(false, true, ""));
  CHECK_FALSE(harness_cli::want_color(true, true, nullptr));
  CHECK_FALSE(harness_cli::want_color(false, false, nullptr));
  CHECK_FALSE(harness_cli::want_color(false, true, "1"));
}

TEST_CASE("totals count outcomes and fixes per model", "[watch]") {
  harness_cli::watch_totals totals;
  CHECK(totals.empty());
  totals.add(parsed());
  totals.add(parsed(R"(,"calls_rescued":2,"rescue_family":"json")"));
  totals.add(parsed(R"(,"error_kind":"timeout")"));
  auto other = parse_exchange(R"({"model":"alpha","status":200,"args_repaired":1,"input_tokens":5})");
  REQUIRE(other.has_value());
  totals.add(*other);
  CHECK(totals.format(plain) ==
        "  alpha: 1 request: 0 ok, 1 fixed, 0 failed; repaired 1; tokens in 5 out 0\n"
        "  qwen-coder: 3 requests: 1 ok, 1 fixed, 1 failed; rescued 2; tokens in 3600 out 255\n");
  CHECK(totals.format(colour).find("\x1b[31m1 failed\x1b[0m") != std::string::npos);
}

