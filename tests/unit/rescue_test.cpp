// Tests of the rescue module: the whole conformance corpus (non-streaming and streamed in 1-byte,
// 7-byte and whole-text chunks), the repair ladder, schema coercion and negatives.
#include <harness/repair.h>
#include <harness/rescue.h>
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "json_compare.h"
#include "test_support.h"

using namespace harness;

namespace {

struct corpus_case {
  std::string id;
  std::string text;
  rescue_options options;
  std::vector<std::pair<std::string, std::string>> calls;  // name, canonical arguments
  std::optional<std::string> content;
  std::optional<std::string> reasoning;
};

std::string str(simdjson::dom::element e) {
  std::string_view v;
  if (e.get(v) != simdjson::SUCCESS) return "<not a string>";
  return std::string(v);
}

std::optional<std::string> opt_string(simdjson::dom::element e) {
  if (e.is_null()) return std::nullopt;
  return str(e);
}

simdjson::dom::element field(simdjson::dom::element obj, std::string_view key) {
  simdjson::dom::element out;
  if (obj[key].get(out) != simdjson::SUCCESS) FAIL("missing " << key);
  return out;
}

std::vector<corpus_case> load_corpus() {
  const std::string data =
      harness_test::read_file(harness_test::shared_path("conformance/rescue-corpus.jsonl"));
  std::vector<corpus_case> out;
  std::istringstream lines(data);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(line).get(doc) == simdjson::SUCCESS);
    corpus_case c;
    c.id = str(field(doc, "id"));
    c.text = str(field(doc, "text"));
    simdjson::dom::array tools;
    REQUIRE(field(doc, "tools_offered").get(tools) == simdjson::SUCCESS);
    for (simdjson::dom::element t : tools) c.options.tools_offered.push_back(str(t));
    simdjson::dom::object types;
    if (doc["param_types"].get(types) == simdjson::SUCCESS) {
      for (auto tool : types) {
        simdjson::dom::object params;
        REQUIRE(tool.value.get(params) == simdjson::SUCCESS);
        for (auto param : params) {
          c.options.param_types[std::string(tool.key)][std::string(param.key)] = str(param.value);
        }
      }
    }
    simdjson::dom::array calls;
    REQUIRE(field(doc, "expect_calls").get(calls) == simdjson::SUCCESS);
    for (simdjson::dom::element call : calls) {
      c.calls.emplace_back(
          str(field(call, "name")),
          harness_test::canonical_json(simdjson::minify(field(call, "arguments"))));
    }
    c.content = opt_string(field(doc, "expect_content"));
    c.reasoning = opt_string(field(doc, "expect_reasoning"));
    out.push_back(std::move(c));
  }
  return out;
}

const std::vector<corpus_case>& corpus() {
  static const std::vector<corpus_case> cases = load_corpus();
  return cases;
}

rescue_result run_stream(std::string_view text, const rescue_options& options, std::size_t chunk) {
  stream_rescuer stream(options);
  rescue_events events;
  rescue_result out;
  for (std::size_t i = 0; i < text.size(); i += chunk) {
    events.clear();
    stream.feed(text.substr(i, chunk), events);
    accumulate(out, events);
  }
  events.clear();
  stream.finish(events);
  accumulate(out, events);
  return out;
}

std::string show(const std::optional<std::string>& s) {
  return s ? "\"" + *s + "\"" : std::string("null");
}

// Empty when `got` matches the case; otherwise a description of the first difference.
std::string mismatch(const corpus_case& c, const rescue_result& got) {
  std::ostringstream why;
  if (got.calls.size() != c.calls.size()) {
    why << "calls: expected " << c.calls.size() << ", got " << got.calls.size();
    for (const auto& call : got.calls) why << " [" << call.name << " " << call.arguments << "]";
    return why.str();
  }
  for (std::size_t i = 0; i < c.calls.size(); ++i) {
    if (got.calls[i].name != c.calls[i].first) {
      why << "call " << i << " name: expected " << c.calls[i].first << ", got "
          << got.calls[i].name;
      return why.str();
    }
    const std::string args = harness_test::canonical_json(got.calls[i].arguments);
    if (args != c.calls[i].second) {
      why << "call " << i << " arguments: expected " << c.calls[i].second << ", got " << args;
      return why.str();
    }
  }
  if (got.content != c.content) {
    return "content: expected " + show(c.content) + ", got " + show(got.content);
  }
  if (got.reasoning != c.reasoning) {
    return "reasoning: expected " + show(c.reasoning) + ", got " + show(got.reasoning);
  }
  return {};
}

}  // namespace

TEST_CASE("rescue corpus: every line, non-streaming") {
  REQUIRE(corpus().size() == 104);
  std::size_t passed = 0;
  for (const auto& c : corpus()) {
    const std::string why = mismatch(c, rescue_text(c.text, c.options));
    INFO(c.id << ": " << why);
    CHECK(why.empty());
    if (why.empty()) ++passed;
  }
  CHECK(passed == corpus().size());
}

TEST_CASE("rescue corpus: streamed in 1-byte, 7-byte and whole-text chunks") {
  for (const auto& c : corpus()) {
    const rescue_result whole = rescue_text(c.text, c.options);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, c.text.size() + 1}) {
      const rescue_result got = run_stream(c.text, c.options, chunk);
      const std::string why = mismatch(c, got);
      INFO(c.id << " chunk " << chunk << ": " << why);
      CHECK(why.empty());
      CHECK(got == whole);  // ids included
    }
  }
}

namespace {

// Feeds `text` in chunks whose sizes come from `rng` (1..max_chunk).
rescue_result run_random(std::string_view text, const rescue_options& options, std::mt19937& rng,
                         std::size_t max_chunk) {
  std::uniform_int_distribution<std::size_t> size(1, max_chunk);
  stream_rescuer stream(options);
  rescue_events events;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = size(rng);
    stream.feed(text.substr(i, n), events);
    i += n;
  }
  stream.finish(events);
  rescue_result out;
  accumulate(out, events);
  return out;
}

}  // namespace

TEST_CASE("rescue streaming equals rescue_text on prefixes and mixes of the corpus") {
  std::mt19937 rng(12345);
  const auto& cases = corpus();
  std::size_t checked = 0;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    std::vector<std::string> texts;
    for (std::size_t cut = 0; cut <= c.text.size(); cut += 1 + c.text.size() / 13) {
      texts.push_back(c.text.substr(0, cut));
    }
    const auto& other = cases[(k * 7 + 3) % cases.size()];
    texts.push_back(c.text + "\n\n" + other.text);
    texts.push_back(other.text + c.text);
    texts.push_back("Intro line.\n" + c.text + "\nTrailing prose.");
    for (const auto& t : texts) {
      const rescue_result whole = rescue_text(t, c.options);
      for (std::size_t max_chunk : {std::size_t{1}, std::size_t{3}, std::size_t{16}}) {
        const rescue_result got = run_random(t, c.options, rng, max_chunk);
        INFO(c.id << " text: " << t);
        REQUIRE(got == whole);
        ++checked;
      }
    }
  }
  CHECK(checked > 1000);
}

// ---------------------------------------------------------------------------------------------
// Policy checks over the whole corpus.

TEST_CASE("rescue: nothing is rescued when no tools, or only other tools, are offered") {
  for (const auto& c : corpus()) {
    for (const std::vector<std::string>& tools :
         {std::vector<std::string>{}, std::vector<std::string>{"some_other_tool"}}) {
      rescue_options options;
      options.tools_offered = tools;
      const rescue_result r = rescue_text(c.text, options);
      INFO(c.id);
      CHECK(r.calls.empty());
      CHECK(run_stream(c.text, options, 5) == r);
    }
  }
}

TEST_CASE("rescue: ids are deterministic, distinct, and raw text is kept") {
  rescue_options options;
  options.tools_offered = {"get_weather"};
  const std::string text =
      "<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"A\"}}</tool_call>"
      "<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"B\"}}</tool_call>";
  const rescue_result a = rescue_text(text, options);
  const rescue_result b = rescue_text(text, options);
  REQUIRE(a.calls.size() == 2);
  CHECK(a == b);
  CHECK(a.calls[0].id != a.calls[1].id);
  CHECK(a.calls[0].id.rfind("call_", 0) == 0);
  CHECK(a.calls[0].raw.find("<tool_call>") == 0);
  CHECK(a.calls[0].family == "hermes");
}

TEST_CASE("rescue: Kimi keeps the model's own id") {
  rescue_options options;
  options.tools_offered = {"get_weather"};
  const rescue_result r = rescue_text(
      "<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0"
      "<|tool_call_argument_begin|>{\"city\": "
      "\"Osaka\"}<|tool_call_end|><|tool_calls_section_end|>",
      options);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].native_id == "functions.get_weather:0");
}

// ---------------------------------------------------------------------------------------------
// Negatives.

namespace {
rescue_options tools(std::initializer_list<const char*> names) {
  rescue_options o;
  for (const char* n : names) o.tools_offered.emplace_back(n);
  return o;
}
}  // namespace

TEST_CASE("rescue negatives: prose with JSON examples stays content") {
  const auto opts = tools({"get_weather", "read_file"});
  for (const std::string& text : {
           std::string("To call a tool, reply with\n{\"name\": \"get_weather\", \"arguments\": "
                       "{\"city\": \"Paris\"}}\nand wait for the result."),
           std::string("Example:\n```json\n{\"name\": \"read_file\", \"arguments\": {\"path\": "
                       "\"a\"}}\n```\nThat is all."),
           std::string("Sure: {\"name\": \"get_weather\", \"arguments\": {\"city\": \"X\"}}"),
           std::string("Use `{\"name\": \"get_weather\", \"arguments\": {}}` in your prompt."),
           std::string("[1, 2, 3]"),
           std::string("[docs](https://example.com) and [x] done"),
           std::string("{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", "
                       "\"parameters\": {\"type\": \"object\", \"properties\": {}}}}"),
           std::string("{\"name\": \"read_file\", \"result\": \"File not found\"}"),
           std::string("Example:\n```python\nget_weather(city='Paris')\n```"),
           std::string("Mistral uses `[TOOL_CALLS]` and Hermes uses `<tool_call>`."),
       }) {
    const rescue_result r = rescue_text(text, opts);
    INFO(text);
    CHECK(r.calls.empty());
    CHECK(r.content == std::string(text));
    CHECK(run_stream(text, opts, 1) == r);
  }
}

TEST_CASE("rescue negatives: names not offered are not rescued, case is significant") {
  const auto opts = tools({"get_weather"});
  for (const std::string& text : {
           std::string("<tool_call>{\"name\": \"delete_all\", \"arguments\": {}}</tool_call>"),
           std::string("<tool_call>{\"name\": \"Get_Weather\", \"arguments\": {}}</tool_call>"),
           std::string("[TOOL_CALLS]delete_all[ARGS]{}"),
           std::string("<function=delete_all>{}</function>"),
           std::string("[delete_all(x=1)]"),
           std::string("{\"name\": \"execute\", \"arguments\": {\"code\": \"rm -rf /\"}}"),
       }) {
    const rescue_result r = rescue_text(text, opts);
    INFO(text);
    CHECK(r.calls.empty());
    CHECK(r.content == text);
  }
}

TEST_CASE("rescue negatives: a call cut inside a string is never promoted") {
  const auto opts = tools({"write_file"});
  const std::string text =
      "<tool_call>{\"name\": \"write_file\", \"arguments\": {\"path\": \"a\", \"content\": \"x = ";
  const rescue_result r = rescue_text(text, opts);
  CHECK(r.calls.empty());
  CHECK(r.content == text.substr(0, text.size() - 1));  // trimmed
  // The same text cut after a complete value is repaired.
  const rescue_result ok =
      rescue_text("<tool_call>{\"name\": \"write_file\", \"arguments\": {\"path\": \"a\"", opts);
  REQUIRE(ok.calls.size() == 1);
  CHECK(harness_test::canonical_json(ok.calls[0].arguments) == R"({"path":"a"})");
}

// ---------------------------------------------------------------------------------------------
// Streaming: what is released when.

namespace {
std::string content_of(const rescue_events& events) {
  std::string s;
  for (const auto& e : events) {
    if (e.type == rescue_event::kind::content) s += e.text;
  }
  return s;
}
}  // namespace

TEST_CASE("stream_rescuer releases prose at once and holds only a possible marker") {
  auto opts = tools({"get_weather"});
  opts.reasoning = reasoning_start::closed;
  stream_rescuer s(opts);
  rescue_events ev;
  s.feed("Hello there, ", ev);
  CHECK(content_of(ev) == "Hello there,");  // trailing blank held for the seam
  ev.clear();
  s.feed("friend. <tool_", ev);
  CHECK(content_of(ev) == " friend.");
  ev.clear();
  s.feed("call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"X\"}}", ev);
  CHECK(ev.empty());  // the call is emitted whole, once its end is known
  s.feed("</tool_call> Done.", ev);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0].type == rescue_event::kind::call);
  CHECK(ev[0].call.name == "get_weather");
  CHECK(content_of(ev) == "\n\nDone.");
  ev.clear();
  s.finish(ev);
  CHECK(ev.empty());
}

TEST_CASE("stream_rescuer flushes a disqualified JSON candidate") {
  auto opts = tools({"get_weather"});
  opts.reasoning = reasoning_start::closed;
  stream_rescuer s(opts);
  rescue_events ev;
  s.feed("{\"name\": \"John\", \"age\": 25}", ev);
  CHECK(content_of(ev) == "{\"name\": \"John\", \"age\": 25}");
  ev.clear();
  s.feed("[special delivery] arrives", ev);
  CHECK(content_of(ev) == "[special delivery] arrives");
}

TEST_CASE("stream_rescuer holds an untagged call until the reply ends or prose follows") {
  auto opts = tools({"get_weather"});
  opts.reasoning = reasoning_start::closed;
  const std::string call = "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"X\"}}";
  {
    stream_rescuer s(opts);
    rescue_events ev;
    s.feed("Checking.\n" + call + "\n", ev);
    CHECK(content_of(ev) == "Checking.");
    CHECK(ev.size() == 1);
    s.finish(ev);
    CHECK(ev.back().type == rescue_event::kind::call);
  }
  {
    stream_rescuer s(opts);
    rescue_events ev;
    s.feed(call + "\nThat is the format.", ev);
    CHECK(content_of(ev) == call + "\nThat is the format.");
  }
}

TEST_CASE("stream_rescuer never splits a UTF-8 sequence") {
  auto opts = tools({"get_weather"});
  opts.reasoning = reasoning_start::closed;
  const std::string text = "Сейчас проверю: 東京 ｜ ok";
  stream_rescuer s(opts);
  rescue_events all;
  for (char ch : text) {
    rescue_events ev;
    s.feed(std::string_view(&ch, 1), ev);
    for (const auto& e : ev) {
      const auto last = static_cast<unsigned char>(e.text.back());
      CHECK((last < 0x80 || (last & 0xC0) == 0x80));
    }
    all.insert(all.end(), ev.begin(), ev.end());
  }
  s.finish(all);
  CHECK(content_of(all) == text);
}

TEST_CASE("stream_rescuer streams reasoning when the reply is known to start inside it") {
  auto opts = tools({"get_weather"});
  opts.reasoning = reasoning_start::open;
  stream_rescuer s(opts);
  rescue_events ev;
  s.feed("Thinking about it", ev);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].type == rescue_event::kind::reasoning);
  CHECK(ev[0].text == "Thinking about it");
  ev.clear();
  s.feed("</think>Answer.", ev);
  CHECK(content_of(ev) == "Answer.");
}

TEST_CASE("stream_rescuer: a native marker in a reasoning block that never closes ends it") {
  const auto opts = tools({"get_weather"});
  const std::string text =
      "<think>I need the weather.\n<tool_call>{\"name\": \"get_weather\", \"arguments\": "
      "{\"city\": \"X\"}}</tool_call>";
  const rescue_result r = rescue_text(text, opts);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.reasoning == std::string("I need the weather."));
  CHECK_FALSE(r.content);
  CHECK(run_stream(text, opts, 1) == r);
}

// ---------------------------------------------------------------------------------------------
// repair_arguments: each step of the ladder.

TEST_CASE("repair_arguments: strict and lenient JSON") {
  struct row {
    const char* in;
    const char* out;
  };
  for (const row& r : {
           row{R"({"a": 1, "b": [true, null]})", R"({"a":1,"b":[true,null]})"},
           row{R"({'a': 'it"s', "b": 'x'})", R"({"a":"it\"s","b":"x"})"},
           row{R"({a: 1, snake_case: "v", $d: 2})", R"({"a":1,"snake_case":"v","$d":2})"},
           row{R"({"a": [1, 2,], "b": {"c": 3,},})", R"({"a":[1,2],"b":{"c":3}})"},
           row{R"({"t": True, "f": False, "n": None})", R"({"t":true,"f":false,"n":null})"},
           row{"{\"a\": 1, // note\n \"b\": /* inline */ 2}", R"({"a":1,"b":2})"},
           row{"{\"s\": \"line1\nline2\ttab\"}", R"({"s":"line1\nline2\ttab"})"},
           row{R"({\"a\": \"b\"})", R"({"a":"b"})"},
           row{R"({"n": 1.50, "e": -2e10, "big": 123456789012345678901234567890})",
               R"({"n":1.50,"e":-2e10,"big":123456789012345678901234567890})"},
           row{R"({"q": "what's up", "u": "\u00e9\ud83d\ude00"})",
               "{\"q\":\"what's up\",\"u\":\"\xC3\xA9\xF0\x9F\x98\x80\"}"},
       }) {
    INFO(r.in);
    const auto got = repair_arguments(r.in);
    REQUIRE(got);
    CHECK(*got == r.out);
  }
}

TEST_CASE("repair_arguments: closes brackets only when no string is open") {
  CHECK(*repair_arguments(R"({"a": {"b": [1, 2)") == R"({"a":{"b":[1,2]}})");
  CHECK(*repair_arguments(R"({"path": "src",)") == R"({"path":"src"})");
  CHECK(*repair_arguments(R"({"path": "src")") == R"({"path":"src"})");
  for (const char* cut : {R"({"content": "import os)", R"({"content": ")", R"({"a": )", R"({"a")",
                          R"({"a": tr)", R"({"a": "x\)"}) {
    INFO(cut);
    const auto r = repair_arguments(cut);
    REQUIRE_FALSE(r);
    CHECK(r.error_value().code == errc::invalid_json);
  }
  CHECK(repair_arguments(R"({"content": "import os)").error_value().message.find("string") !=
        std::string::npos);
}

TEST_CASE("repair_arguments: unwrapping") {
  CHECK(*repair_arguments("```json\n{\"a\": 1}\n```") == R"({"a":1})");
  CHECK(*repair_arguments(R"("{\"a\": 1}")") == R"({"a":1})");
  CHECK(*repair_arguments(R"([{"a": 1}])") == R"({"a":1})");
  CHECK(*repair_arguments("") == "{}");
  CHECK(*repair_arguments("  \n ") == "{}");
  CHECK(*repair_arguments("null") == "{}");
  CHECK(*repair_arguments(R"("")") == "{}");
  for (const char* bad : {"[1, 2]", "42", R"("plain text")", R"([{"a": 1}, {"b": 2}])",
                          "not json at all", R"({"a": 1} trailing)"}) {
    INFO(bad);
    CHECK_FALSE(repair_arguments(bad));
  }
}

TEST_CASE("repair_arguments: deep nesting is refused, not a crash") {
  std::string deep(100000, '[');
  CHECK_FALSE(repair_arguments(deep));
  std::string objs;
  for (int i = 0; i < 100000; ++i) objs += "{\"a\":";
  CHECK_FALSE(repair_arguments(objs));
}

// ---------------------------------------------------------------------------------------------
// coerce_arguments.

TEST_CASE("coerce_arguments types values from the schema") {
  const std::string schema = R"({"type": "object", "properties": {
      "n": {"type": "integer"}, "x": {"type": "number"}, "b": {"type": "boolean"},
      "s": {"type": "string"}, "arr": {"type": "array"}, "obj": {"type": "object"},
      "opt": {"type": ["integer", "null"]}, "any": {"anyOf": [{"type": "boolean"}]}}})";
  CHECK(coerce_arguments(R"({"n": "5", "x": "2.5", "b": "true", "s": "5"})", schema) ==
        R"({"n":5,"x":2.5,"b":true,"s":"5"})");
  CHECK(coerce_arguments(R"({"arr": "[1, 2]", "obj": "{\"k\": \"v\"}"})", schema) ==
        R"({"arr":[1,2],"obj":{"k":"v"}})");
  CHECK(coerce_arguments(R"({"opt": "null", "any": "False"})", schema) ==
        R"({"opt":null,"any":false})");
  // Values that do not convert, and parameters the schema does not name, are kept.
  CHECK(coerce_arguments(R"({"n": "five", "arr": "[1,", "other": "7", "b": "yes"})", schema) ==
        R"({"n":"five","arr":"[1,","other":"7","b":"yes"})");
  // Already typed values stay as they are.
  CHECK(coerce_arguments(R"({"n": 5, "s": 5})", schema) == R"({"n":5,"s":5})");
  // containers scope: only arrays and objects are decoded.
  CHECK(coerce_arguments(R"({"n": "5", "arr": "[1]"})", schema, coerce_scope::containers) ==
        R"({"n":"5","arr":[1]})");
  // Invalid input comes back unchanged.
  CHECK(coerce_arguments("not json", schema) == "not json");
  CHECK(coerce_arguments(R"([1])", schema) == "[1]");
  CHECK(coerce_arguments(R"({"n": "5"})", "{") == R"({"n": "5"})");
}

TEST_CASE("rescue types tag-per-argument values from tool_spec schemas") {
  rescue_options opts;
  tool_spec t;
  t.name = "web_search";
  t.parameters = R"({"type":"object","properties":{"query":{"type":"string"},)"
                 R"("max_results":{"type":"integer"}}})";
  opts.tools.push_back(t);
  const rescue_result r = rescue_text(
      "<tool_call>web_search<arg_key>query</arg_key><arg_value>42</arg_value>"
      "<arg_key>max_results</arg_key><arg_value>10</arg_value></tool_call>",
      opts);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].arguments == R"({"query":"42","max_results":10})");
}

// ---------------------------------------------------------------------------------------------
// The corpus line helper used by harness-cli.

TEST_CASE("rescue_jsonl_line runs one corpus line and reports bad lines with a path") {
  const std::string line =
      R"({"id": "x-1", "text": "<tool_call>{\"name\": \"f\", \"arguments\": )"
      R"({\"n\": \"3\"}}</tool_call>", "tools_offered": ["f"], )"
      R"("param_types": {"f": {"n": "integer"}}, "note": "ignored"})";
  const auto out = rescue_jsonl_line(line, 3);
  REQUIRE(out);
  // A JSON-native format keeps JSON types: only arrays/objects would be decoded.
  CHECK(harness_test::canonical_json(*out) ==
        harness_test::canonical_json(R"({"id":"x-1","calls":[{"name":"f","arguments":{"n":"3"}}],)"
                                     R"("content":null,"reasoning":null})"));
  const auto missing = rescue_jsonl_line(R"({"id": 1})");
  REQUIRE_FALSE(missing);
  CHECK(missing.error_value().path == "$.text");
  const auto wrong = rescue_jsonl_line(R"({"text": "x", "tools_offered": [1]})");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error_value().path == "$.tools_offered[0]");
  CHECK_FALSE(rescue_jsonl_line("not json"));
  CHECK(rescue_result_json({}, "\"a\"") ==
        R"({"id":"a","calls":[],"content":null,"reasoning":null})");
}

// ---------------------------------------------------------------------------------------------
// Fragment soup: random mixes of markers, JSON pieces and prose. Whatever the text, streaming
// under any chunking equals rescue_text, and nothing crashes.

TEST_CASE("rescue streaming equals rescue_text on random marker soup") {
  static const char* const fragments[] = {
      "<tool_call>", "</tool_call>", "{", "}", "[", "]", "\"", "'", "\\", "<think>", "</think>",
      "`", "```", "```json\n", "\n", " ", "name", "get_weather", ":", ",",
      "\"name\": \"get_weather\"", "\"arguments\": {", "\"city\": \"Paris\"", "[TOOL_CALLS]",
      "<|channel|>", "<|message|>", "analysis", " to=functions.get_weather", "<|call|>",
      "<function=get_weather>", "</function>", "<parameter=city>", "</parameter>", ">>>",
      "all\n", "functools[", "<\xEF\xBD\x9Ctool\xE2\x96\x81" "calls\xE2\x96\x81" "begin\xEF\xBD\x9C>",
      "<\xEF\xBD\x9Ctool\xE2\x96\x81sep\xEF\xBD\x9C>", "<|tool_call_begin|>", "<escape>",
      "<|\"|>", "call:", "(", ")", "=", "prose here. ", "\xC3\xA9", "\xE6\x9D\xB1", "[ARGS]",
      "<|python_tag|>", "<arg_key>", "</arg_key>", "<arg_value>", "</arg_value>",
      "<invoke name=\"get_weather\">", "</invoke>", "<|start|>", "assistant", "<|end|>", ">",
      "<", "<|tool_call>", "<tool_call|>", "Action:", "[Calling tool: ", "<response>", "True",
      "\"response\"", "<|eot_id|>", "[/THINK]", "[THINK]", "<|channel>thought\n", "<channel|>",
  };
  constexpr std::size_t n_fragments = sizeof(fragments) / sizeof(fragments[0]);
  std::mt19937 rng(777);
  std::uniform_int_distribution<std::size_t> pick(0, n_fragments - 1);
  std::uniform_int_distribution<int> length(1, 40);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) text += fragments[pick(rng)];
    rescue_options opts = tools({"get_weather", "python"});
    opts.reasoning = static_cast<reasoning_start>(round % 3);
    const rescue_result whole = rescue_text(text, opts);
    for (std::size_t max_chunk : {std::size_t{1}, std::size_t{4}}) {
      const rescue_result got = run_random(text, opts, rng, max_chunk);
      INFO("round " << round << " text: " << text);
      REQUIRE(got == whole);
    }
  }
}
