// Tests of the OpenAI Chat Completions codec (requests, responses, errors, finish reasons).
#include <catch2/catch.hpp>

#include "json_compare.h"

#include <algorithm>
#include <string>
#include <vector>

#include <simdjson.h>

#include "codec/openai/openai.h"
#include "test_support.h"

using namespace harness;
using harness_test::canonical_json;
using harness_test::json_at;
using harness_test::string_at;
namespace oa = harness::detail::openai;

namespace {

chat_request decode_ok(std::string_view body) {
  auto r = oa::decode_request(body);
  INFO((r ? std::string() : r.error_value().describe()));
  REQUIRE(r);
  return *r;
}

std::string encode_ok(const chat_request& req) {
  auto r = oa::encode_request(req, {});
  INFO((r ? std::string() : r.error_value().describe()));
  REQUIRE(r);
  return *r;
}

std::string round_trip(std::string_view body) { return encode_ok(decode_ok(body)); }

error decode_err(std::string_view body) {
  auto r = oa::decode_request(body);
  REQUIRE_FALSE(r);
  CHECK(r.error_value().http_status == 400);
  return r.error_value();
}

void check_invalid(std::string_view body, std::string_view path) {
  INFO(body);
  const error e = decode_err(body);
  CHECK(e.code == errc::invalid_request);
  CHECK(e.path == path);
}

std::string with_messages(std::string_view messages) {
  return R"({"model":"m","messages":)" + std::string(messages) + "}";
}

std::string opencode_body(const std::string& tools) {
  return R"({"model":"qwen3-coder:30b","messages":[
    {"role":"system","content":"You are opencode, an interactive CLI tool."},
    {"role":"user","content":[{"type":"text","text":"Fix the failing test in main.go"}]},
    {"role":"assistant","content":null,"reasoning_content":"Read the file first.",
     "tool_calls":[{"id":"call_8f2k","type":"function",
       "function":{"name":"read","arguments":"{\"filePath\": \"/src/main.go\" }"}}]},
    {"role":"tool","tool_call_id":"call_8f2k","content":"package main\n"},
    {"role":"assistant","content":"Found it.","tool_calls":[
      {"id":"call_a","type":"function","function":{"name":"bash","arguments":"{\"command\":\"go test\",\"description\":\"run tests\"}"}},
      {"id":"call_b","type":"function","function":{"name":"glob","arguments":""}}]},
    {"role":"tool","tool_call_id":"call_a","content":"ok"},
    {"role":"tool","tool_call_id":"call_b","content":"main.go"},
    {"role":"user","content":"thanks"}
  ],"tools":)" + tools +
         R"(,"tool_choice":"auto","max_tokens":32000,"temperature":0.55,"top_p":1,
  "stream":true,"stream_options":{"include_usage":true},"providerOptions":{"openai":{"x":1}}})";
}

}  // namespace

// ---- round trips -------------------------------------------------------------------------

TEST_CASE("an OpenCode request with its real tools round-trips exactly") {
  const std::string tools =
      harness_test::read_file(harness_test::shared_path("conformance/tools/opencode.json"));
  const std::string body = opencode_body(tools);
  const chat_request req = decode_ok(body);
  CHECK(req.tools.size() == 12);
  CHECK(req.origin == dialect::openai);
  CHECK(canonical_json(encode_ok(req)) == canonical_json(body));
}

TEST_CASE("every conformance tool set survives a round trip") {
  for (const char* name : {"claude-code.json", "codex.json", "crush.json",
                           "opencode-conditional.json", "opencode-v2.json", "opencode.json"}) {
    INFO(name);
    const std::string tools =
        harness_test::read_file(harness_test::shared_path(std::string("conformance/tools/") + name));
    const std::string body = with_messages(R"([{"role":"user","content":"hi"}])");
    const std::string full = body.substr(0, body.size() - 1) + R"(,"tools":)" + tools + "}";
    const chat_request req = decode_ok(full);
    CHECK_FALSE(req.tools.empty());
    for (const auto& t : req.tools) CHECK_FALSE(t.parameters.empty());
    CHECK(canonical_json(encode_ok(req)) == canonical_json(full));
  }
}

TEST_CASE("unknown fields survive at top level, in messages and in tools") {
  const std::string body = R"({"model":"gpt-4o","n":1,"logprobs":false,"metadata":{"a":"b"},
    "store":true,"service_tier":"auto","prediction":{"type":"content","content":"x"},
    "messages":[{"role":"user","content":"hi","x_trace":[1,2]},
                {"role":"assistant","content":"yo","refusal":null,"audio":{"id":"au_1"}}],
    "tools":[{"type":"function","x_tool":true,"function":{"name":"f","parameters":{"type":"object"},
              "x_fn":{"deep":[null]}}},
             {"type":"custom","custom":{"name":"grammar","format":{"type":"text"}}}],
    "tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[]}},
    "stream":true,"stream_options":{"include_usage":false,"include_obfuscation":false}})";
  const chat_request req = decode_ok(body);
  REQUIRE(req.extra.items.size() >= 6);
  CHECK(req.extra.items[0].first == "n");  // client order
  CHECK(req.extra.items[1].first == "logprobs");
  CHECK(req.messages[0].extra.find("x_trace") != nullptr);
  CHECK(req.messages[1].extra.find("refusal") != nullptr);
  CHECK(req.tools[0].extra.find("x_tool") != nullptr);
  CHECK(req.tools[1].kind == "custom");
  CHECK(req.tools[1].name == "grammar");
  CHECK(req.tool_choice.kind == tool_choice::mode::unset);
  CHECK(req.extra.find("stream_options") != nullptr);
  CHECK(canonical_json(encode_ok(req)) == canonical_json(body));
}

TEST_CASE("extra is written only back to the dialect it came from") {
  chat_request req = decode_ok(R"({"model":"m","store":true,
    "messages":[{"role":"developer","content":"be brief","x":1},{"role":"user","content":"hi"}],
    "tools":[{"type":"function","x_tool":1,"function":{"name":"f","x_fn":2}},
             {"type":"custom","custom":{"name":"g"}}],
    "stream_options":{"include_usage":true,"other":1},"stream":true})");
  req.origin = dialect::anthropic;
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/store") == "<missing>");
  CHECK(json_at(out, "/messages/0/x") == "<missing>");
  CHECK(string_at(out, "/messages/0/role") == "system");  // developer only for OpenAI itself
  CHECK(json_at(out, "/tools/0") == R"({"function":{"name":"f"},"type":"function"})");
  CHECK(json_at(out, "/tools/1") == "<missing>");  // a non-function tool cannot go elsewhere
  CHECK(json_at(out, "/stream_options") == R"({"include_usage":true})");
}

TEST_CASE("assistant content null with tool calls survives as null, and \"\" becomes null") {
  const std::string body = with_messages(R"([{"role":"user","content":"go"},
    {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
      "function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"c1","content":"done"},
    {"role":"assistant","content":"","tool_calls":[{"id":"c2","type":"function",
      "function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"c2","content":"done"},
    {"role":"assistant","content":null},
    {"role":"assistant","content":""}])");
  const chat_request req = decode_ok(body);
  CHECK(req.messages[1].content_null);
  CHECK(req.messages[3].content.size() == 1);  // no empty text block
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/messages/1/content") == "null");
  CHECK(json_at(out, "/messages/3/content") == "null");  // never "" for a tool turn
  CHECK(json_at(out, "/messages/5/content") == "null");
  CHECK(json_at(out, "/messages/6/content") == R"("")");
}

TEST_CASE("tool_call_id is kept exactly across five tool turns") {
  std::string messages = R"([{"role":"user","content":"start"})";
  const char* ids[] = {"call_1", "functions.Bash:0", "toolu_01A", "call 4/x", "c5"};
  for (const char* id : ids) {
    messages += R"(,{"role":"assistant","content":null,"tool_calls":[{"id":")" + std::string(id) +
                R"(","type":"function","function":{"name":"bash","arguments":"{\"n\":1}"}}]})";
    messages += R"(,{"role":"tool","tool_call_id":")" + std::string(id) + R"(","content":"r"})";
  }
  const std::string body = with_messages(messages + "]");
  const chat_request req = decode_ok(body);
  for (std::size_t turn = 0; turn < 5; ++turn) {
    const auto& call = std::get<tool_call_block>(req.messages[1 + 2 * turn].content[0]);
    const auto& res = std::get<tool_result_block>(req.messages[2 + 2 * turn].content[0]);
    CHECK(call.id == ids[turn]);
    CHECK(res.tool_call_id == ids[turn]);
    CHECK(res.name == "bash");  // looked up from the call, for Ollama's tool_name
  }
  const std::string out = encode_ok(req);
  CHECK(string_at(out, "/messages/7/tool_calls/0/id") == "call 4/x");
  CHECK(string_at(out, "/messages/8/tool_call_id") == "call 4/x");
  CHECK(canonical_json(out) == canonical_json(body));
}

// ---- request decode mappings -------------------------------------------------------------

TEST_CASE("decode maps every modelled request field") {
  const chat_request req = decode_ok(R"({"model":"gpt-5","messages":[
      {"role":"developer","content":"dev","name":"ops"},
      {"role":"user","content":"hi","name":"ann"}],
    "tools":[{"type":"function","function":{"name":"f","description":"d",
              "parameters":{"type":"object","properties":{}},"strict":true}}],
    "tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,
    "max_completion_tokens":900,"stop":"END","temperature":0.2,"top_p":0.9,"top_k":40,
    "seed":7,"frequency_penalty":0.5,"presence_penalty":-0.5,"stream":true,
    "stream_options":{"include_usage":true},"reasoning_effort":"high",
    "response_format":{"type":"json_object"},"user":"u-1"})");
  CHECK(req.model == "gpt-5");
  CHECK(req.messages[0].role == role::developer);
  CHECK(req.messages[0].name == "ops");
  CHECK_FALSE(req.messages[0].parts_form);
  CHECK(req.messages[1].joined_text() == "hi");
  REQUIRE(req.tools.size() == 1);
  CHECK(req.tools[0].kind == "function");
  CHECK(req.tools[0].description == "d");
  CHECK(req.tools[0].parameters == R"({"type":"object","properties":{}})");
  CHECK(req.tools[0].strict == true);
  CHECK(req.tool_choice.kind == tool_choice::mode::tool);
  CHECK(req.tool_choice.name == "f");
  CHECK(req.parallel_tool_calls == false);
  CHECK(req.max_tokens == 900);
  CHECK(req.max_tokens_as_completion);
  CHECK(req.stop == std::vector<std::string>{"END"});
  CHECK(req.stop_as_string);
  CHECK(req.sampling.temperature == 0.2);
  CHECK(req.sampling.top_p == 0.9);
  CHECK(req.sampling.top_k == 40);
  CHECK(req.sampling.seed == 7);
  CHECK(req.sampling.frequency_penalty == 0.5);
  CHECK(req.sampling.presence_penalty == -0.5);
  CHECK(req.stream);
  CHECK(req.include_usage);
  CHECK(req.extra.empty());  // stream_options had nothing else
  CHECK(req.reasoning.effort == "high");
  CHECK(req.reasoning.kind == reasoning_config::mode::unset);
  CHECK(req.response_format == R"({"type":"json_object"})");
  CHECK(req.user == "u-1");
}

TEST_CASE("tool_choice strings and max_tokens keys decode and encode") {
  for (const char* choice : {"auto", "none", "required"}) {
    const std::string body = R"({"model":"m","messages":[],"tools":[{"type":"function",
      "function":{"name":"f"}}],"tool_choice":")" + std::string(choice) + R"(","max_tokens":5})";
    const chat_request req = decode_ok(body);
    CHECK_FALSE(req.max_tokens_as_completion);
    CHECK(canonical_json(encode_ok(req)) == canonical_json(body));
  }
  // Both limit keys: the newer one is modelled, the other kept as sent.
  const std::string both = R"({"model":"m","messages":[],"max_tokens":10,"max_completion_tokens":20})";
  const chat_request req = decode_ok(both);
  CHECK(req.max_tokens == 20);
  CHECK(canonical_json(encode_ok(req)) == canonical_json(both));
  const std::string arr = R"({"model":"m","messages":[],"stop":["a","b"]})";
  CHECK_FALSE(decode_ok(arr).stop_as_string);
  CHECK(canonical_json(round_trip(arr)) == canonical_json(arr));
}

TEST_CASE("null optional fields read as absent") {
  const chat_request req = decode_ok(R"({"model":"m","messages":[{"role":"user","content":"x",
    "name":null}],"tools":null,"tool_choice":null,"temperature":null,"max_tokens":null,
    "stop":null,"stream":null,"stream_options":null,"user":null,"reasoning_effort":null,
    "response_format":null,"seed":null})");
  CHECK(req.extra.empty());
  CHECK(req.messages[0].extra.empty());
  CHECK_FALSE(req.sampling.temperature);
  CHECK_FALSE(req.max_tokens);
  CHECK(canonical_json(encode_ok(req)) ==
        canonical_json(R"({"model":"m","messages":[{"role":"user","content":"x"}]})"));
}

TEST_CASE("content parts: text, images, PDF files, refusals and cache_control") {
  const std::string body = with_messages(R"([
    {"role":"system","content":[{"type":"text","text":"sys","cache_control":{"type":"ephemeral"}}]},
    {"role":"user","content":[
      {"type":"text","text":"look"},
      {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0=","detail":"high"}},
      {"type":"image_url","image_url":{"url":"https://x.test/a.jpg"},"cache_control":{"type":"ephemeral"}},
      {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}}]},
    {"role":"user","content":"cached","cache_control":{"type":"ephemeral","ttl":"1h"}}])");
  const chat_request req = decode_ok(body);
  const auto& sys = std::get<text_block>(req.messages[0].content[0]);
  CHECK(sys.cache_control == R"({"type":"ephemeral"})");
  CHECK(req.messages[0].parts_form);
  const auto& user = req.messages[1];
  REQUIRE(user.content.size() == 4);
  const auto& png = std::get<image_block>(user.content[1]);
  CHECK(png.media_type == "image/png");
  CHECK(png.data == "iVBORw0=");
  CHECK(png.url.empty());
  CHECK(png.detail == "high");
  const auto& jpg = std::get<image_block>(user.content[2]);
  CHECK(jpg.url == "https://x.test/a.jpg");
  CHECK(jpg.cache_control == R"({"type":"ephemeral"})");
  const auto& pdf = std::get<image_block>(user.content[3]);
  CHECK(pdf.media_type == "application/pdf");
  CHECK(pdf.data == "JVBERi0=");
  // A message-level marker lands on the message's last block and is written back there.
  const auto& cached = std::get<text_block>(req.messages[2].content[0]);
  CHECK(cached.cache_control == R"({"type":"ephemeral","ttl":"1h"})");
  CHECK(req.messages[2].extra.empty());

  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/messages/0") == json_at(body, "/messages/0"));
  CHECK(json_at(out, "/messages/1/content/1") == json_at(body, "/messages/1/content/1"));
  CHECK(json_at(out, "/messages/1/content/2") == json_at(body, "/messages/1/content/2"));
  CHECK(string_at(out, "/messages/1/content/3/type") == "file");
  CHECK(string_at(out, "/messages/1/content/3/file/file_data") == "data:application/pdf;base64,JVBERi0=");
  CHECK(json_at(out, "/messages/2") == json_at(body, "/messages/2"));

  const chat_request refusal = decode_ok(with_messages(
      R"([{"role":"assistant","content":[{"type":"refusal","refusal":"I can't"}]}])"));
  CHECK(refusal.messages[0].joined_text() == "I can't");
}

TEST_CASE("tool messages: parts form, cache_control, images moved to a user message") {
  const std::string body = with_messages(R"([
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"a","type":"function","function":{"name":"shot","arguments":"{}"}},
      {"id":"b","type":"function","function":{"name":"cat","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"a","content":[{"type":"text","text":"see"},
      {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/"}}]},
    {"role":"tool","tool_call_id":"b","content":[{"type":"text","text":"txt","cache_control":{"type":"ephemeral"}}],
     "cache_control":{"type":"ephemeral"}},
    {"role":"user","content":"next"}])");
  const chat_request req = decode_ok(body);
  const auto& a = std::get<tool_result_block>(req.messages[1].content[0]);
  CHECK(a.parts_form);
  CHECK(a.name == "shot");
  REQUIRE(a.content.size() == 2);
  CHECK(std::get<image_block>(a.content[1]).media_type == "image/jpeg");
  const auto& b = std::get<tool_result_block>(req.messages[2].content[0]);
  CHECK(b.cache_control == R"({"type":"ephemeral"})");
  CHECK(std::get<text_block>(b.content[0]).cache_control == R"({"type":"ephemeral"})");

  const std::string out = encode_ok(req);
  // Tool messages carry text only; the image follows the whole run of tool messages.
  CHECK(json_at(out, "/messages/1/content") == R"([{"text":"see","type":"text"}])");
  CHECK(json_at(out, "/messages/2") == json_at(body, "/messages/2"));
  CHECK(string_at(out, "/messages/3/role") == "user");
  CHECK(string_at(out, "/messages/3/content/0/text") == "Image output of tool call a:");
  CHECK(string_at(out, "/messages/3/content/1/image_url/url") == "data:image/jpeg;base64,/9j/");
  CHECK(string_at(out, "/messages/4/content") == "next");
}

TEST_CASE("legacy function calling maps to tool calls with paired ids") {
  const std::string body = R"({"model":"m","functions":[{"name":"get","parameters":{"type":"object"}}],
    "function_call":{"name":"get"},"messages":[{"role":"user","content":"q"},
    {"role":"assistant","content":null,"function_call":{"name":"get","arguments":"{\"a\":1}"}},
    {"role":"function","name":"get","content":"42"}]})";
  const chat_request req = decode_ok(body);
  REQUIRE(req.tools.size() == 1);
  CHECK(req.tools[0].name == "get");
  CHECK(req.tool_choice.kind == tool_choice::mode::tool);
  const auto& call = std::get<tool_call_block>(req.messages[1].content[0]);
  CHECK(call.id.rfind("call_", 0) == 0);
  CHECK(call.arguments == "{\"a\":1}");
  CHECK(req.messages[2].role == role::tool);
  const auto& res = std::get<tool_result_block>(req.messages[2].content[0]);
  CHECK(res.tool_call_id == call.id);
  CHECK(res.name == "get");
  CHECK(decode_ok(body) == req);  // stable ids
  const std::string out = encode_ok(req);
  CHECK(string_at(out, "/messages/2/role") == "tool");
  CHECK(string_at(out, "/messages/2/tool_call_id") == call.id);
  CHECK(string_at(out, "/tools/0/function/name") == "get");
}

TEST_CASE("reasoning_content and reasoning decode to a reasoning block first") {
  const chat_request req = decode_ok(with_messages(R"([
    {"role":"assistant","content":"a","reasoning_content":"think"},
    {"role":"assistant","tool_calls":[{"id":"x","type":"function","function":{"name":"f","arguments":"{}"}}],
     "reasoning":"other"},
    {"role":"assistant","content":"c","reasoning_content":"r1","reasoning":"r2"}])"));
  CHECK(std::get<reasoning_block>(req.messages[0].content[0]).text == "think");
  CHECK(std::holds_alternative<text_block>(req.messages[0].content[1]));
  CHECK(std::get<reasoning_block>(req.messages[1].content[0]).text == "other");
  CHECK(std::holds_alternative<tool_call_block>(req.messages[1].content[1]));
  CHECK(std::get<reasoning_block>(req.messages[2].content[0]).text == "r1");
  CHECK(*req.messages[2].extra.find("reasoning") == R"("r2")");
  const std::string out = encode_ok(req);
  CHECK(string_at(out, "/messages/1/reasoning_content") == "other");
  CHECK(json_at(out, "/messages/1/content") == "null");
}

TEST_CASE("edge shapes round-trip: named tool messages, markers with no block, two tool markers") {
  const std::string body = R"({"model":"m","messages":[
    {"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"[1]"}}]},
    {"role":"tool","tool_call_id":"t","name":"f","content":"r"},
    {"role":"assistant","reasoning_content":"only thinking","cache_control":{"type":"ephemeral"}},
    {"role":"user","content":"","cache_control":{"type":"ephemeral"}},
    {"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral"}}],
     "cache_control":{"type":"ephemeral","ttl":"5m"}}],
    "tools":[{"type":"function","cache_control":{"type":"ephemeral"},
              "function":{"name":"f","cache_control":{"type":"ephemeral","ttl":"1h"}}}]})";
  const chat_request req = decode_ok(body);
  CHECK(req.messages[1].name == "f");
  CHECK(std::get<tool_result_block>(req.messages[1].content[0]).name == "f");
  CHECK(std::get<tool_call_block>(req.messages[0].content[0]).arguments == "[1]");
  CHECK(req.messages[2].extra.find("cache_control") != nullptr);  // no block can carry it
  CHECK(req.messages[3].extra.find("cache_control") != nullptr);
  CHECK(req.messages[4].extra.find("cache_control") != nullptr);  // the part has its own
  CHECK(req.tools[0].cache_control == R"({"type":"ephemeral"})");
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/messages/2/content") == R"("")");  // no text: "" (content was absent)
  std::string expected = body;
  expected.replace(expected.find(R"("reasoning_content":"only thinking")"), 0, R"("content":"",)");
  CHECK(canonical_json(out) == canonical_json(expected));
}

TEST_CASE("lenient but lossless readings of common client variants") {
  const chat_request req = decode_ok(R"({"model":"m","tool_choice":null,"function_call":"none",
    "messages":[{"role":"user","content":[
      {"type":"image_url","image_url":"https://x.test/i.png"},
      {"type":"image_url","image_url":{"url":"data:image/svg+xml,<svg/>"}},
      {"type":"file","file":{"filename":"Spec.PDF","file_data":"JVBERi0="}},
      {"type":"image_url","image_url":{"url":"data:image/png;name=a.png;base64,QUJD"}}]},
      {"role":"assistant","content":null,"tool_calls":[{"id":"o","function":{"name":"f","arguments":{"a":1}}}]}]})");
  CHECK(req.tool_choice.kind == tool_choice::mode::none);  // tool_choice null: legacy applies
  const auto& parts = req.messages[0].content;
  CHECK(std::get<image_block>(parts[0]).url == "https://x.test/i.png");
  CHECK(std::get<image_block>(parts[1]).url == "data:image/svg+xml,<svg/>");  // not base64
  CHECK(std::get<image_block>(parts[2]).media_type == "application/pdf");
  CHECK(std::get<image_block>(parts[3]).media_type == "image/png");
  CHECK(std::get<image_block>(parts[3]).data == "QUJD");
  CHECK(std::get<tool_call_block>(req.messages[1].content[0]).arguments == R"({"a":1})");
}

// ---- request encode from other dialects ---------------------------------------------------

TEST_CASE("encode a request that came from another dialect") {
  chat_request req;
  req.origin = dialect::anthropic;
  req.model = "deepseek-reasoner";
  message sys{role::system, {text_block{"sys", R"({"type":"ephemeral"})"}}, {}, true, false, {}};
  sys.extra.set("x", "1");
  req.messages.push_back(sys);
  req.messages.push_back({role::user,
                          {text_block{"look", {}}, image_block{{}, "image/png", "AAAA", {}, {}}},
                          {}, true, false, {}});
  req.messages.push_back({role::assistant,
                          {reasoning_block{"plan", "sig", false, {}},
                           reasoning_block{{}, {}, true, "opaque"},
                           tool_call_block{"toolu_1", "read", R"({"path":"a"})", {}},
                           tool_call_block{"toolu_2", "shot", "{}", {}}},
                          {}, true, false, {}});
  tool_result_block r1{"toolu_1", "read", {text_block{"no such file", {}}}, true, true, {}};
  tool_result_block r2{"toolu_2", "shot", {image_block{{}, "image/png", "BBBB", {}, {}}}, false, true, {}};
  req.messages.push_back({role::tool, {r1}, {}, false, false, {}});
  req.messages.push_back({role::tool, {r2}, {}, false, false, {}});
  req.messages.push_back({role::user, {text_block{"go on", {}}}, {}, true, false, {}});
  tool_spec fn;
  fn.name = "read";
  fn.parameters = R"({"type":"object"})";
  fn.cache_control = R"({"type":"ephemeral"})";
  fn.extra.set("defer_loading", "true");
  tool_spec server;
  server.kind = "web_search_20250305";
  server.name = "web_search";
  req.tools = {fn, server};
  req.tool_choice.kind = tool_choice::mode::required;
  req.parallel_tool_calls = false;
  req.max_tokens = 4096;
  req.stop = {"X"};
  req.sampling.top_k = 5;
  req.sampling.temperature = 1.0;
  req.stream = true;
  req.reasoning.kind = reasoning_config::mode::enabled;
  req.reasoning.budget_tokens = 2048;
  req.user = "user-1";
  req.extra.set("context_management", "{}");

  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/messages/0") == R"({"content":"sys","role":"system"})");
  CHECK(json_at(out, "/messages/1/content/1") ==
        R"({"image_url":{"url":"data:image/png;base64,AAAA"},"type":"image_url"})");
  CHECK(string_at(out, "/messages/1/content/0/text") == "look");
  CHECK(json_at(out, "/messages/2/content") == "null");
  CHECK(string_at(out, "/messages/2/reasoning_content") == "plan");  // redacted dropped
  CHECK(json_at(out, "/messages/2/tool_calls/0") ==
        R"({"function":{"arguments":"{\"path\":\"a\"}","name":"read"},"id":"toolu_1","type":"function"})");
  CHECK(json_at(out, "/messages/3") ==
        R"({"content":"Error: no such file","role":"tool","tool_call_id":"toolu_1"})");
  CHECK(string_at(out, "/messages/4/content") == "(image output follows in the next message)");
  CHECK(string_at(out, "/messages/5/role") == "user");
  CHECK(string_at(out, "/messages/5/content/1/image_url/url") == "data:image/png;base64,BBBB");
  CHECK(string_at(out, "/messages/6/content") == "go on");
  CHECK(json_at(out, "/messages/7") == "<missing>");
  CHECK(json_at(out, "/tools") == R"([{"function":{"name":"read","parameters":{"type":"object"}},"type":"function"}])");
  CHECK(string_at(out, "/tool_choice") == "required");
  CHECK(json_at(out, "/parallel_tool_calls") == "false");
  CHECK(json_at(out, "/max_tokens") == "4096");
  CHECK(json_at(out, "/stop") == R"(["X"])");
  CHECK(json_at(out, "/top_k") == "<missing>");
  CHECK(json_at(out, "/temperature") == "1");
  CHECK(json_at(out, "/stream") == "true");
  CHECK(json_at(out, "/stream_options") == R"({"include_usage":true})");
  CHECK(string_at(out, "/reasoning_effort") == "medium");
  CHECK(string_at(out, "/user") == "user-1");
  CHECK(json_at(out, "/context_management") == "<missing>");
}

TEST_CASE("reasoning config maps to reasoning_effort") {
  auto effort = [](reasoning_config::mode kind, std::string e, std::optional<std::int64_t> budget) {
    chat_request req;
    req.origin = dialect::anthropic;
    req.model = "m";
    req.reasoning = {kind, std::move(e), budget};
    return json_at(encode_ok(req), "/reasoning_effort");
  };
  using mode = reasoning_config::mode;
  CHECK(effort(mode::enabled, "", 1024) == R"("low")");
  CHECK(effort(mode::enabled, "", 1025) == R"("medium")");
  CHECK(effort(mode::enabled, "", 8192) == R"("medium")");
  CHECK(effort(mode::enabled, "", 8193) == R"("high")");
  CHECK(effort(mode::enabled, "", std::nullopt) == "<missing>");
  CHECK(effort(mode::adaptive, "", std::nullopt) == "<missing>");
  CHECK(effort(mode::adaptive, "max", std::nullopt) == R"("max")");
  CHECK(effort(mode::disabled, "high", std::nullopt) == "<missing>");
  CHECK(effort(mode::unset, "low", std::nullopt) == R"("low")");
}

TEST_CASE("encode: tool_choice forms, no choice without tools, max_completion_tokens") {
  chat_request req;
  req.origin = dialect::ollama;
  req.model = "m";
  req.tool_choice = {tool_choice::mode::tool, "f"};
  req.parallel_tool_calls = true;
  std::string out = encode_ok(req);
  CHECK(json_at(out, "/tool_choice") == "<missing>");  // OpenAI refuses it without tools
  CHECK(json_at(out, "/parallel_tool_calls") == "<missing>");
  CHECK(json_at(out, "/stream_options") == "<missing>");  // not streaming
  tool_spec f;
  f.name = "f";
  req.tools = {f};
  req.max_tokens = 7;
  req.max_tokens_as_completion = true;
  out = encode_ok(req);
  CHECK(json_at(out, "/tool_choice") == R"({"function":{"name":"f"},"type":"function"})");
  CHECK(json_at(out, "/max_completion_tokens") == "7");
  CHECK(json_at(out, "/max_tokens") == "<missing>");
  req.tool_choice = {tool_choice::mode::none, {}};
  CHECK(json_at(encode_ok(req), "/tool_choice") == R"("none")");
  req.tool_choice = {tool_choice::mode::auto_, {}};
  CHECK(json_at(encode_ok(req), "/tool_choice") == R"("auto")");
}

TEST_CASE("an OpenAI client streaming without include_usage is not changed") {
  const std::string body = R"({"model":"m","messages":[],"stream":true})";
  CHECK(canonical_json(round_trip(body)) == canonical_json(body));
}

TEST_CASE("encode refuses text that is not UTF-8") {
  chat_request req;
  req.model = "m";
  req.messages.push_back({role::user, {text_block{"bad \xff", {}}}, {}, false, false, {}});
  auto r = oa::encode_request(req, {});
  REQUIRE_FALSE(r);
  CHECK(r.error_value().code == errc::unsupported);
}

// ---- responses ---------------------------------------------------------------------------

TEST_CASE("decode a chat.completion with tool calls, usage and extras") {
  const std::string body = R"({"id":"chatcmpl-9","object":"chat.completion","created":1700000000,
    "model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,
      "refusal":null,"reasoning_content":"hmm","tool_calls":[{"id":"call_1","type":"function",
      "function":{"name":"f","arguments":"{\"a\": 1}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],
    "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,
      "prompt_tokens_details":{"cached_tokens":60},"completion_tokens_details":{"reasoning_tokens":5}},
    "system_fingerprint":"fp_1","service_tier":"default"})";
  auto r = oa::decode_response(body);
  REQUIRE(r);
  const chat_response& resp = *r;
  CHECK(resp.id == "chatcmpl-9");
  CHECK(resp.created == 1700000000);
  CHECK(resp.model == "gpt-4o");
  CHECK(resp.message.content_null);
  CHECK(std::get<reasoning_block>(resp.message.content[0]).text == "hmm");
  CHECK(std::get<tool_call_block>(resp.message.content[1]).arguments == "{\"a\": 1}");
  CHECK(resp.message.extra.find("refusal") != nullptr);
  CHECK(resp.finish == finish_reason::tool_calls);
  CHECK(resp.usage.present);
  CHECK(resp.usage.input_tokens == 40);
  CHECK(resp.usage.cache_read_tokens == 60);
  CHECK(resp.usage.output_tokens == 20);
  CHECK(resp.usage.reasoning_tokens == 5);
  CHECK(resp.extra.find("system_fingerprint") != nullptr);
  auto enc = oa::encode_response(resp);
  REQUIRE(enc);
  CHECK(canonical_json(*enc) == canonical_json(body));
}

TEST_CASE("encode a response from another dialect") {
  chat_response resp;
  resp.origin = dialect::anthropic;
  resp.model = "claude";
  resp.message.content = {reasoning_block{"t", "sig", false, {}},
                          tool_call_block{"toolu_1", "f", R"({"x":1})", {}}};
  resp.finish = finish_reason::stop;  // upstream said stop although it called a tool
  resp.usage = {10, 5, 30, 2, 0, true};
  resp.extra.set("container", "{}");
  auto enc = oa::encode_response(resp);
  REQUIRE(enc);
  const std::string& out = *enc;
  CHECK(string_at(out, "/id").rfind("chatcmpl-", 0) == 0);
  CHECK(string_at(out, "/object") == "chat.completion");
  CHECK(json_at(out, "/choices/0/message/content") == "null");
  CHECK(string_at(out, "/choices/0/message/reasoning_content") == "t");
  CHECK(json_at(out, "/choices/0/message/tool_calls/0/index") == "<missing>");
  CHECK(string_at(out, "/choices/0/finish_reason") == "tool_calls");
  CHECK(json_at(out, "/usage/prompt_tokens") == "42");
  CHECK(json_at(out, "/usage/total_tokens") == "47");
  CHECK(json_at(out, "/usage/prompt_tokens_details/cached_tokens") == "30");
  CHECK(json_at(out, "/usage/cache_creation_input_tokens") == "2");
  CHECK(json_at(out, "/container") == "<missing>");
  // Decoding our own output gives the same usage back.
  auto back = oa::decode_response(out);
  REQUIRE(back);
  CHECK(back->usage == resp.usage);

  chat_response text;
  text.origin = dialect::ollama;
  text.message.content = {text_block{"hi", {}}};
  text.finish = finish_reason::stop_sequence;
  auto t = oa::encode_response(text);
  REQUIRE(t);
  CHECK(string_at(*t, "/choices/0/message/content") == "hi");
  CHECK(string_at(*t, "/choices/0/finish_reason") == "stop");
  CHECK(json_at(*t, "/usage") == "<missing>");
}

TEST_CASE("responses: legacy function_call, missing ids, errors with status 200") {
  const std::string body = R"({"id":"x","choices":[{"message":{"role":"assistant","content":null,
    "function_call":{"name":"f","arguments":"{}"},"tool_calls":[{"function":{"name":"g","arguments":"{}"}}]},
    "finish_reason":"function_call"}]})";
  auto a = oa::decode_response(body);
  auto b = oa::decode_response(body);
  REQUIRE(a);
  REQUIRE(b);
  const auto calls = a->message.tool_calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]->id != calls[1]->id);
  CHECK_FALSE(calls[0]->id.empty());
  CHECK(a->message.tool_calls()[0]->id == b->message.tool_calls()[0]->id);
  CHECK(a->finish == finish_reason::tool_calls);

  auto err = oa::decode_response(R"({"error":{"message":"quota exceeded","type":"x"}})");
  REQUIRE_FALSE(err);
  CHECK(err.error_value().message == "quota exceeded");
  CHECK(err.error_value().code == errc::upstream_http);

  auto bad = oa::decode_response(R"({"choices":[{"message":{"content":5}}]})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().path == "$.choices[0].message.content");
  auto vllm = oa::decode_response(
      R"({"choices":[{"message":{"content":"x"},"finish_reason":"stop","stop_reason":"###"}]})");
  REQUIRE(vllm);
  CHECK(vllm->finish == finish_reason::stop_sequence);
  CHECK(vllm->stop_sequence == "###");
  auto trunc = oa::decode_response(R"({"choices":[{"message":)");
  REQUIRE_FALSE(trunc);
  CHECK(trunc.error_value().code == errc::invalid_json);
}

// ---- errors and finish reasons -----------------------------------------------------------

TEST_CASE("encode_error writes OpenAI's error shape with a type per status") {
  const std::pair<int, const char*> table[] = {
      {400, "invalid_request_error"}, {401, "authentication_error"}, {403, "permission_error"},
      {404, "not_found_error"},       {429, "rate_limit_error"},     {500, "api_error"},
      {503, "api_error"},             {413, "invalid_request_error"}};
  for (const auto& [status, type] : table) {
    error e = make_error(errc::upstream_http, "boom");
    e.http_status = status;
    const std::string out = oa::encode_error(e);
    INFO(out);
    CHECK(string_at(out, "/error/type") == type);
    CHECK(string_at(out, "/error/message") == "boom");
    CHECK(json_at(out, "/error/param") == "null");
    CHECK(string_at(out, "/error/code") == "upstream_http");
  }
  const std::string with_path =
      oa::encode_error(make_error(errc::invalid_request, "expected a string", "$.messages[0].role"));
  CHECK(string_at(with_path, "/error/param") == "$.messages[0].role");
  const std::string bad = oa::encode_error(make_error(errc::internal, "bad \xff"));
  CHECK(canonical_json(bad).rfind("<invalid", 0) != 0);
}

TEST_CASE("decode_error reads the usual error shapes and maps 529 to 503") {
  error e = oa::decode_error(429, R"({"error":{"message":"slow down","type":"rate_limit_error"}})");
  CHECK(e.message == "slow down");
  CHECK(e.http_status == 429);
  CHECK(e.code == errc::upstream_http);
  CHECK(oa::decode_error(400, R"({"error":"model not found"})").message == "model not found");
  CHECK(oa::decode_error(500, R"({"message":"oops"})").message == "oops");
  CHECK(oa::decode_error(422, R"({"detail":"bad field"})").message == "bad field");
  CHECK(oa::decode_error(529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")
            .http_status == 503);
  const error garbage = oa::decode_error(502, "<html>bad gateway</html>");
  CHECK(garbage.http_status == 502);
  CHECK(garbage.message.find("502") != std::string::npos);
  const error huge = oa::decode_error(500, R"({"error":{"message":")" + std::string(100000, 'x') + "\"}}");
  CHECK(huge.message.size() <= 8192);
}

TEST_CASE("finish reasons map both ways") {
  CHECK(oa::parse_finish_reason("stop") == finish_reason::stop);
  CHECK(oa::parse_finish_reason("length") == finish_reason::length);
  CHECK(oa::parse_finish_reason("tool_calls") == finish_reason::tool_calls);
  CHECK(oa::parse_finish_reason("function_call") == finish_reason::tool_calls);
  CHECK(oa::parse_finish_reason("content_filter") == finish_reason::content_filter);
  CHECK(oa::parse_finish_reason("end_turn") == finish_reason::stop);
  CHECK(oa::parse_finish_reason("weird") == finish_reason::stop);
  CHECK(std::string(oa::finish_reason_name(finish_reason::stop)) == "stop");
  CHECK(std::string(oa::finish_reason_name(finish_reason::stop_sequence)) == "stop");
  CHECK(std::string(oa::finish_reason_name(finish_reason::length)) == "length");
  CHECK(std::string(oa::finish_reason_name(finish_reason::tool_calls)) == "tool_calls");
  CHECK(std::string(oa::finish_reason_name(finish_reason::content_filter)) == "content_filter");
  CHECK(std::string(oa::finish_reason_name(finish_reason::pause)) == "stop");
  CHECK(std::string(oa::finish_reason_name(finish_reason::error)) == "stop");
}

// ---- bad input -----------------------------------------------------------------------------

TEST_CASE("malformed bodies are invalid_json at $") {
  const std::string valid = with_messages(R"([{"role":"user","content":"hello there"}])");
  for (const std::string& bad :
       {std::string(""), std::string("{"), std::string(R"({"model":"m",})"),
        std::string(R"({"model":"m","messages":[]} x)"), valid.substr(0, valid.size() / 2),
        with_messages("[{\"role\":\"user\",\"content\":\"bad \xff byte\"}]")}) {
    INFO(bad);
    const error e = decode_err(bad);
    CHECK(e.code == errc::invalid_json);
    CHECK(e.path == "$");
  }
}

TEST_CASE("wrong types, missing fields and unknown roles carry their path") {
  check_invalid("[]", "$");
  check_invalid(R"({"messages":[]})", "$.model");
  check_invalid(R"({"model":"m"})", "$.messages");
  check_invalid(R"({"model":3,"messages":[]})", "$.model");
  check_invalid(R"({"model":"m","messages":{}})", "$.messages");
  check_invalid(with_messages(R"(["hi"])"), "$.messages[0]");
  check_invalid(with_messages(R"([{"content":"x"}])"), "$.messages[0].role");
  check_invalid(with_messages(R"([{"role":"user","content":"x"},{"role":"robot","content":"x"}])"),
                "$.messages[1].role");
  CHECK(decode_err(with_messages(R"([{"role":"robot","content":"x"}])")).message.find("unknown role") !=
        std::string::npos);
  check_invalid(with_messages(R"([{"role":"user"}])"), "$.messages[0].content");
  check_invalid(with_messages(R"([{"role":"user","content":null}])"), "$.messages[0].content");
  check_invalid(with_messages(R"([{"role":"user","content":7}])"), "$.messages[0].content");
  check_invalid(with_messages(R"([{"role":"user","content":"x","name":1}])"), "$.messages[0].name");
  check_invalid(with_messages(R"([{"role":"tool","content":"x"}])"), "$.messages[0].tool_call_id");
  check_invalid(with_messages(R"([{"role":"tool","tool_call_id":5,"content":"x"}])"),
                "$.messages[0].tool_call_id");
  check_invalid(with_messages(R"([{"role":"assistant","tool_calls":{}}])"), "$.messages[0].tool_calls");
  check_invalid(with_messages(R"([{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}])"),
                "$.messages[0].tool_calls[0].id");
  check_invalid(with_messages(R"([{"role":"assistant","tool_calls":[{"id":"a","function":{"arguments":"{}"}}]}])"),
                "$.messages[0].tool_calls[0].function.name");
  check_invalid(with_messages(R"([{"role":"assistant","tool_calls":[{"id":"a","function":{"name":"f","arguments":3}}]}])"),
                "$.messages[0].tool_calls[0].function.arguments");
  check_invalid(with_messages(R"([{"role":"assistant","tool_calls":[{"id":"a","type":"custom","custom":{"name":"f","input":"x"}}]}])"),
                "$.messages[0].tool_calls[0].type");
  check_invalid(with_messages(R"([{"role":"function","content":"x"}])"), "$.messages[0].name");
  check_invalid(with_messages(R"([{"role":"user","content":["x"]}])"), "$.messages[0].content[0]");
  check_invalid(with_messages(R"([{"role":"user","content":[{"text":"x"}]}])"),
                "$.messages[0].content[0].type");
  check_invalid(with_messages(R"([{"role":"user","content":[{"type":"text","text":"a"},{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}])"),
                "$.messages[0].content[1].type");
  check_invalid(with_messages(R"([{"role":"user","content":[{"type":"video","video":{}}]}])"),
                "$.messages[0].content[0].type");
  check_invalid(with_messages(R"([{"role":"user","content":[{"type":"file","file":{"file_id":"file-1"}}]}])"),
                "$.messages[0].content[0].file");
  check_invalid(with_messages(R"([{"role":"user","content":[{"type":"file","file":{"file_data":"AAAA"}}]}])"),
                "$.messages[0].content[0].file.file_data");
  check_invalid(with_messages(R"([{"role":"user","content":[{"type":"image_url","image_url":{}}]}])"),
                "$.messages[0].content[0].image_url.url");
  check_invalid(with_messages(R"([{"role":"user","content":[{"type":"text","text":"x","cache_control":"yes"}]}])"),
                "$.messages[0].content[0].cache_control");
  const std::string m = R"({"model":"m","messages":[],)";
  check_invalid(m + R"("tools":{}})", "$.tools");
  check_invalid(m + R"("tools":[{"function":{"name":"f"}}]})", "$.tools[0].type");
  check_invalid(m + R"("tools":[{"type":"function"}]})", "$.tools[0].function");
  check_invalid(m + R"("tools":[{"type":"function","function":{"description":"d"}}]})",
                "$.tools[0].function.name");
  check_invalid(m + R"("tools":[{"type":"function","function":{"name":"f","parameters":"{}"}}]})",
                "$.tools[0].function.parameters");
  check_invalid(m + R"("tools":[{"type":"function","function":{"name":"f","strict":"yes"}}]})",
                "$.tools[0].function.strict");
  check_invalid(m + R"("tool_choice":"sometimes"})", "$.tool_choice");
  check_invalid(m + R"("tool_choice":{"type":"function","function":{}}})", "$.tool_choice.function.name");
  check_invalid(m + R"("temperature":"hot"})", "$.temperature");
  check_invalid(m + R"("max_tokens":1.5})", "$.max_tokens");
  check_invalid(m + R"("max_completion_tokens":"9"})", "$.max_completion_tokens");
  check_invalid(m + R"("top_k":1.5})", "$.top_k");
  check_invalid(m + R"("stop":5})", "$.stop");
  check_invalid(m + R"("stop":["a",1]})", "$.stop[1]");
  check_invalid(m + R"("stream":"yes"})", "$.stream");
  check_invalid(m + R"("stream_options":{"include_usage":"yes"}})", "$.stream_options.include_usage");
  check_invalid(m + R"("parallel_tool_calls":1})", "$.parallel_tool_calls");
  check_invalid(m + R"("reasoning_effort":3})", "$.reasoning_effort");
  check_invalid(m + R"("response_format":"json"})", "$.response_format");
  check_invalid(m + R"("user":{}})", "$.user");
}

TEST_CASE("deep nesting is an error with a path, not a crash") {
  const std::string deep = R"({"model":"m","messages":[],"x":)" + std::string(10000, '[') +
                           std::string(10000, ']') + "}";
  const error e = decode_err(deep);
  CHECK(e.code == errc::invalid_json);
  CHECK(e.path == "$");
  CHECK_FALSE(oa::decode_response(deep));
}

TEST_CASE("a 50 MB body decodes and encodes") {
  const std::string text(50u * 1024u * 1024u, 'a');
  const std::string body = with_messages(R"([{"role":"user","content":")" + text + R"("}])");
  const chat_request req = decode_ok(body);
  CHECK(req.messages[0].joined_text().size() == text.size());
  const std::string out = encode_ok(req);
  CHECK(out.size() > text.size());
}
