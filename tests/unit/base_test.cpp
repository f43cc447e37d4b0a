// Tests of the base module: result, JSON reading and writing, ids.
#include <catch2/catch.hpp>

#include <harness/result.h>

#include "ir/arguments.h"
#include "ir/ids.h"
#include "json/reader.h"
#include "json/writer.h"

using namespace harness;
using namespace harness::detail;

TEST_CASE("json_path renders keys and indexes") {
  json_path root;
  auto p = root / "messages";
  auto q = p[3];
  auto r = q / "content";
  CHECK(r.str() == "$.messages[3].content");
  CHECK(root.str() == "$");
}

TEST_CASE("parse_json rejects malformed bodies with invalid_json at $") {
  simdjson::dom::parser parser;
  for (std::string_view bad : {"", "{", "{\"a\":1,}", "{\"a\":nul}", "{\"a\":1} {\"b\":2}",
                               "\"\xff\"", "[1,2"}) {
    auto r = parse_json(parser, bad);
    INFO(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error_value().code == errc::invalid_json);
    CHECK(r.error_value().path == "$");
    CHECK(r.error_value().http_status == 400);
  }
}

TEST_CASE("parse_json bounds nesting depth without crashing") {
  simdjson::dom::parser parser;
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  auto r = parse_json(parser, deep);
  REQUIRE_FALSE(r);
  CHECK(r.error_value().message.find("nested") != std::string::npos);
  std::string ok(100, '[');
  ok += std::string(100, ']');
  CHECK(parse_json(parser, ok).has_value());
}

TEST_CASE("parse_json_object wants an object at the top and keeps parse errors as they are") {
  simdjson::dom::parser parser;
  auto ok = parse_json_object(parser, R"({"a":1})");
  REQUIRE(ok);
  CHECK((*ok)["a"].get_int64().value_unsafe() == 1);
  for (std::string_view other : {"[1,2]", "\"text\"", "3", "null", "true"}) {
    INFO(other);
    auto r = parse_json_object(parser, other);
    REQUIRE_FALSE(r);
    CHECK(r.error_value().code == errc::invalid_request);
    CHECK(r.error_value().message == "expected an object");
    CHECK(r.error_value().path == "$");
  }
  auto bad = parse_json_object(parser, "{");
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().code == errc::invalid_json);
}

TEST_CASE("typed reads report the path of a wrongly typed field") {
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, R"({"n":"x","i":1.5,"j":2.0,"b":1})");
  REQUIRE(doc);
  json_path root;
  error err;
  std::int64_t i = 0;
  CHECK_FALSE(read_int((*doc)["n"].value_unsafe(), root / "n", i, err));
  CHECK(err.path == "$.n");
  CHECK_FALSE(read_int((*doc)["i"].value_unsafe(), root / "i", i, err));
  CHECK(read_int((*doc)["j"].value_unsafe(), root / "j", i, err));
  CHECK(i == 2);
  bool b = false;
  CHECK_FALSE(read_bool((*doc)["b"].value_unsafe(), root / "b", b, err));
  CHECK(err.message == "expected a boolean");
}

TEST_CASE("json_writer validates UTF-8 and refuses non-finite numbers") {
  std::string out;
  {
    json_writer w(out);
    w.start_object().member("a", "h\xc3\xa9llo").member_int("n", 3).key("x").number(1.0);
    w.key("y").number(0.25).end_object();
    CHECK(w.ok());
  }
  CHECK(out == R"({"a":"héllo","n":3,"x":1,"y":0.25})");
  std::string bad;
  json_writer w2(bad);
  w2.string("\xc3");
  CHECK_FALSE(w2.ok());
  std::string nan_out;
  json_writer w3(nan_out);
  w3.number(std::numeric_limits<double>::quiet_NaN());
  CHECK_FALSE(w3.ok());
}

TEST_CASE("utf8 helpers find complete prefixes") {
  CHECK(is_valid_utf8("abc\xe2\x82\xac"));
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
  CHECK(complete_utf8_prefix("ab\xe2\x82") == 2);
  CHECK(complete_utf8_prefix("ab\xe2\x82\xac") == 5);
  CHECK(complete_utf8_prefix("ab\xf0") == 2);
  CHECK(complete_utf8_prefix("abc") == 3);
}

TEST_CASE("synthesized ids are stable, distinct and sanitized") {
  auto a = synthesize_call_id("body", 0);
  CHECK(a == synthesize_call_id("body", 0));
  CHECK(a != synthesize_call_id("body", 1));
  CHECK(a != synthesize_call_id("other", 0));
  CHECK(a.rfind("call_", 0) == 0);
  CHECK(sanitize_call_id("functions.Bash:0") == "functions_Bash_0");
  CHECK(sanitize_call_id("toolu_01-AbC") == "toolu_01-AbC");
}

TEST_CASE("arguments_object normalises arguments for object dialects") {
  simdjson::dom::parser parser;
  json_path where;
  CHECK(*arguments_object(parser, "", where) == "{}");
  CHECK(*arguments_object(parser, "  ", where) == "{}");
  CHECK(*arguments_object(parser, R"({ "a" : [1, 2] })", where) == R"({"a":[1,2]})");
  auto bad = arguments_object(parser, "[1]", where);
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().code == errc::unsupported);
  CHECK_FALSE(arguments_object(parser, "{\"a\":", where));
}
