// Tests of the ollama codec (native /api/chat): requests, responses, errors, bad input.
#include <catch2/catch.hpp>

#include <harness/codec.h>

#include "codec/ollama/internal.h"
#include "codec/ollama/ollama.h"
#include "ir/ids.h"
#include "json_compare.h"
#include "test_support.h"

using namespace harness;
namespace ol = harness::detail::ollama;
using harness_test::canonical_json;
using harness_test::json_at;
using harness_test::string_at;

namespace {

chat_request decode_ok(std::string_view body) {
  auto r = ol::decode_request(body);
  if (!r) FAIL(r.error_value().describe() + " in " + std::string(body.substr(0, 300)));
  return std::move(r).value();
}

std::string encode_ok(const chat_request& req, const encode_options& opts = {}) {
  auto r = ol::encode_request(req, opts);
  if (!r) FAIL(r.error_value().describe());
  return std::move(r).value();
}

error decode_fails(std::string_view body) {
  auto r = ol::decode_request(body);
  INFO(body.substr(0, 300));
  REQUIRE_FALSE(r);
  CHECK(r.error_value().http_status == 400);
  return r.error_value();
}

template <class T>
const T& block(const message& m, std::size_t i) {
  REQUIRE(i < m.content.size());
  const T* p = std::get_if<T>(&m.content[i]);
  REQUIRE(p != nullptr);
  return *p;
}

message text_message(role r, std::string text) {
  message m;
  m.role = r;
  m.content.emplace_back(text_block{std::move(text), {}});
  return m;
}

message call_message(std::vector<tool_call_block> calls) {
  message m;
  m.role = role::assistant;
  for (auto& c : calls) m.content.emplace_back(std::move(c));
  return m;
}

message result_message(std::string id, std::string text, bool is_error = false) {
  message m;
  m.role = role::tool;
  tool_result_block r;
  r.tool_call_id = std::move(id);
  r.content.emplace_back(text_block{std::move(text), {}});
  r.is_error = is_error;
  m.content.emplace_back(std::move(r));
  return m;
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Request decode

TEST_CASE("ollama decode_request maps messages, images, thinking and tool calls") {
  const std::string body = R"({"model":"qwen3","messages":[
    {"role":"system","content":"be brief"},
    {"role":"User","content":"look","images":["iVBORw0KGgo=","/9j/4AAQ","R0lGODlh","UklGRiQ","AAAA"]},
    {"role":"assistant","content":"","thinking":"hmm","tool_calls":[
      {"id":"call_a","function":{"index":0,"name":"view","arguments":{ "path" : "a.txt", "n" : 2 }}}]},
    {"role":"tool","content":"data","tool_call_id":"call_a","tool_name":"view","x_trace":1}]})";
  const chat_request req = decode_ok(body);
  CHECK(req.origin == dialect::ollama);
  CHECK(req.model == "qwen3");
  CHECK(req.stream);  // Ollama's default when absent
  REQUIRE(req.messages.size() == 4);
  CHECK(req.messages[0].role == role::system);
  CHECK(block<text_block>(req.messages[0], 0).text == "be brief");
  const message& user = req.messages[1];
  CHECK(user.role == role::user);
  CHECK(block<text_block>(user, 0).text == "look");
  CHECK(block<image_block>(user, 1).media_type == "image/png");
  CHECK(block<image_block>(user, 1).data == "iVBORw0KGgo=");
  CHECK(block<image_block>(user, 2).media_type == "image/jpeg");
  CHECK(block<image_block>(user, 3).media_type == "image/gif");
  CHECK(block<image_block>(user, 4).media_type == "image/webp");
  CHECK(block<image_block>(user, 5).media_type == "application/octet-stream");
  const message& asst = req.messages[2];
  REQUIRE(asst.content.size() == 2);  // reasoning, tool call; the empty text is dropped
  CHECK(block<reasoning_block>(asst, 0).text == "hmm");
  const auto& call = block<tool_call_block>(asst, 1);
  CHECK(call.id == "call_a");
  CHECK(call.name == "view");
  CHECK(call.arguments == R"({"path":"a.txt","n":2})");  // exact compact JSON, order kept
  const message& tool = req.messages[3];
  CHECK(tool.role == role::tool);
  const auto& res = block<tool_result_block>(tool, 0);
  CHECK(res.tool_call_id == "call_a");
  CHECK(res.name == "view");
  CHECK(res.joined_text() == "data");
  REQUIRE(tool.extra.find("x_trace") != nullptr);
  CHECK(*tool.extra.find("x_trace") == "1");
}

TEST_CASE("ollama decode_request maps options, format, think, stream and extra fields") {
  const chat_request req = decode_ok(R"({"model":"m","messages":[],"stream":false,
    "keep_alive":"5m","format":"json","think":"high",
    "options":{"temperature":0.2,"top_p":0.9,"top_k":40,"seed":7,"stop":["\n\n"],
      "num_predict":512,"frequency_penalty":0.5,"presence_penalty":-0.5,"num_ctx":32768,
      "min_p":0.05,"repeat_penalty":1.1},"truncate":false})");
  CHECK_FALSE(req.stream);
  CHECK(req.sampling.temperature == 0.2);
  CHECK(req.sampling.top_p == 0.9);
  CHECK(req.sampling.top_k == 40);
  CHECK(req.sampling.seed == 7);
  CHECK(req.sampling.frequency_penalty == 0.5);
  CHECK(req.sampling.presence_penalty == -0.5);
  CHECK(req.max_tokens == 512);
  CHECK(req.stop == std::vector<std::string>{"\n\n"});
  CHECK(req.response_format == R"({"type":"json_object"})");
  CHECK(req.reasoning.effort == "high");
  CHECK(req.reasoning.kind == reasoning_config::mode::unset);
  REQUIRE(req.extra.items.size() == 3);
  CHECK(req.extra.items[0] == std::pair<std::string, std::string>{"keep_alive", "\"5m\""});
  CHECK(req.extra.items[1] == std::pair<std::string, std::string>{
                                  "options", R"({"num_ctx":32768,"min_p":0.05,"repeat_penalty":1.1})"});
  CHECK(req.extra.items[2].first == "truncate");

  const chat_request schema = decode_ok(
      R"({"model":"m","messages":[],"think":false,"format":{"type":"object","properties":{}}})");
  CHECK(canonical_json(schema.response_format) ==
        canonical_json(R"({"type":"json_schema","json_schema":{"name":"response",
                           "schema":{"type":"object","properties":{}}}})"));
  CHECK(schema.reasoning.kind == reasoning_config::mode::disabled);
  CHECK(schema.extra.empty());  // fields the canonical model covers never linger in extra
  CHECK(decode_ok(R"({"model":"m","think":true})").reasoning.kind ==
        reasoning_config::mode::enabled);
}

TEST_CASE("ollama decode_request synthesises stable, unique ids for id-less tool calls") {
  const std::string body = R"({"model":"m","messages":[
    {"role":"assistant","content":"","tool_calls":[
      {"function":{"name":"read","arguments":{"p":"a"}}},
      {"function":{"name":"read","arguments":{"p":"b"}}}]},
    {"role":"tool","content":"A","tool_name":"read"},
    {"role":"tool","content":"B","tool_name":"read"},
    {"role":"tool","content":"?","tool_name":"nothing"},
    {"role":"assistant","content":"","tool_calls":[{"function":{"name":"ls"}}]},
    {"role":"tool","content":"L","tool_name":"ls"}]})";
  const chat_request a = decode_ok(body);
  const chat_request b = decode_ok(body);
  const auto& c0 = block<tool_call_block>(a.messages[0], 0);
  const auto& c1 = block<tool_call_block>(a.messages[0], 1);
  CHECK(c0.id == detail::synthesize_call_id(body, 0));
  CHECK(c1.id == detail::synthesize_call_id(body, 1));
  CHECK(c0.id != c1.id);
  CHECK(block<tool_call_block>(a.messages[4], 0).id == detail::synthesize_call_id(body, 2));
  CHECK(block<tool_call_block>(a.messages[4], 0).arguments == "{}");
  CHECK(a == b);  // decoding twice gives the same ids
  // Results without ids pair with the calls of that tool in order.
  CHECK(block<tool_result_block>(a.messages[1], 0).tool_call_id == c0.id);
  CHECK(block<tool_result_block>(a.messages[2], 0).tool_call_id == c1.id);
  const std::string& orphan = block<tool_result_block>(a.messages[3], 0).tool_call_id;
  CHECK(orphan.starts_with("call_"));
  CHECK(orphan != c0.id);
  CHECK(orphan != c1.id);
  CHECK(block<tool_result_block>(a.messages[5], 0).tool_call_id ==
        block<tool_call_block>(a.messages[4], 0).id);
  // A third result for the same tool falls back to the most recent call of that name.
  const chat_request extra = decode_ok(R"({"model":"m","messages":[
    {"role":"assistant","content":"","tool_calls":[{"function":{"name":"f"}},{"function":{"name":"f"}}]},
    {"role":"tool","content":"1","tool_name":"f"},{"role":"tool","content":"2","tool_name":"f"},
    {"role":"tool","content":"3","tool_name":"f"}]})");
  CHECK(block<tool_result_block>(extra.messages[3], 0).tool_call_id ==
        block<tool_call_block>(extra.messages[0], 1).id);
}

TEST_CASE("ollama call_id_source matches synthesize_call_id") {
  const std::string body = "{\"anything\":true}";
  ol::call_id_source ids(body);
  for (std::size_t i : {0, 1, 7, 1000}) CHECK(ids.make(i) == detail::synthesize_call_id(body, i));
}

TEST_CASE("ollama decode_request keeps non-function tools whole and function extras") {
  const chat_request req = decode_ok(R"({"model":"m","tools":[
    {"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"},
      "strict":true,"x_fn":1},"x_tool":2},
    {"type":"web_search","function":{"name":"ws"}}]})");
  REQUIRE(req.tools.size() == 2);
  CHECK(req.tools[0].kind == "function");
  CHECK(req.tools[0].name == "f");
  CHECK(req.tools[0].description == "d");
  CHECK(req.tools[0].parameters == R"({"type":"object"})");
  CHECK(req.tools[0].strict == true);
  REQUIRE(req.tools[0].extra.find("function") != nullptr);
  CHECK(*req.tools[0].extra.find("function") == R"({"x_fn":1})");
  CHECK(*req.tools[0].extra.find("x_tool") == "2");
  CHECK(req.tools[1].kind == "web_search");
  CHECK(req.tools[1].name == "ws");
  CHECK(req.tools[1].extra.find("function") != nullptr);
  // Non-function tools cannot run on Ollama: skipped on encode.
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/tools/1") == "<missing>");
  CHECK(json_at(out, "/tools/0/function/x_fn") == "1");
  CHECK(json_at(out, "/tools/0/x_tool") == "2");
}

TEST_CASE("ollama decode_request keeps fields a role cannot carry raw, accepts data URLs") {
  const std::string body = R"({"model":"m","stream":true,"messages":[
    {"role":"user","content":"x","thinking":"y","tool_calls":[],"tool_name":"z"},
    {"role":"tool","content":"r","images":["R0lGODlh"],"tool_call_id":"c"}]})";
  const chat_request req = decode_ok(body);
  CHECK(req.messages[0].extra.items.size() == 3);
  CHECK(req.messages[0].content.size() == 1);
  const auto& res = block<tool_result_block>(req.messages[1], 0);
  REQUIRE(res.content.size() == 2);
  CHECK(std::get<image_block>(res.content[1]).media_type == "image/gif");
  CHECK(canonical_json(encode_ok(req)) == canonical_json(body));
  const chat_request url = decode_ok(
      R"({"model":"m","messages":[{"role":"user","images":["data:image/webp;base64,AAAA"]}]})");
  CHECK(block<image_block>(url.messages[0], 0).media_type == "image/webp");
  CHECK(block<image_block>(url.messages[0], 0).data == "AAAA");
}

// ------------------------------------------------------------------------------------------------
// Round trips

TEST_CASE("ollama request round trip with crush tools keeps every field") {
  const std::string tools = harness_test::read_file(
      harness_test::shared_path("conformance/tools/crush.json"));
  const std::string body = R"({"model":"qwen3-coder:30b","messages":[
    {"role":"system","content":"You are Crush."},
    {"role":"user","content":"list files","images":["iVBORw0KGgoAAAANSUhEUg=="]},
    {"role":"assistant","content":"","thinking":"I should run ls.","tool_calls":[
      {"id":"call_x1","function":{"index":0,"name":"bash","arguments":{"command":"ls -la","description":"list"}}},
      {"id":"call_x2","function":{"index":1,"name":"view","arguments":{"file_path":"/tmp/a","limit":10}}}]},
    {"role":"tool","content":"a\nb","tool_call_id":"call_x1","tool_name":"bash"},
    {"role":"tool","content":"1|x","tool_call_id":"call_x2","tool_name":"view"},
    {"role":"assistant","content":"Done.","x_msg":{"k":[1,2]}}],
    "tools":)" + tools + R"(,
    "format":{"type":"object","properties":{"a":{"type":"string"}}},
    "options":{"temperature":0.3,"top_k":20,"stop":["</s>"],"num_predict":4096,"num_ctx":65536,"min_p":0},
    "stream":false,"think":"medium","keep_alive":-1,"x_top":null})";
  const chat_request req = decode_ok(body);
  CHECK(req.tools.size() == 27);
  const std::string out = encode_ok(req);
  CHECK(canonical_json(out) == canonical_json(body));
  // Arguments travel as objects on the wire.
  CHECK(json_at(out, "/messages/2/tool_calls/0/function/arguments") ==
        R"({"command":"ls -la","description":"list"})");
  // And decoding the output again gives the same canonical request.
  CHECK(decode_ok(out) == req);
}

TEST_CASE("ollama round trip with each real client tool set") {
  for (const char* name : {"claude-code.json", "codex.json", "opencode.json", "opencode-v2.json",
                           "opencode-conditional.json"}) {
    const std::string tools =
        harness_test::read_file(harness_test::shared_path(std::string("conformance/tools/") + name));
    const std::string body =
        R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"tools":)" +
        tools + "}";
    INFO(name);
    CHECK(canonical_json(encode_ok(decode_ok(body))) == canonical_json(body));
  }
}

TEST_CASE("ollama response round trip keeps every field") {
  const std::string body = R"({"model":"qwen3","created_at":"2024-07-22T20:33:28Z",
    "message":{"role":"assistant","content":"","thinking":"t","tool_calls":[
      {"id":"call_1","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}}]},
    "done_reason":"stop","done":true,"total_duration":885095291,"load_duration":3753500,
    "prompt_eval_count":122,"prompt_eval_duration":328493000,"eval_count":33,
    "eval_duration":552222000})";
  auto resp = ol::decode_response(body);
  REQUIRE(resp);
  auto out = ol::encode_response(*resp);
  REQUIRE(out);
  CHECK(canonical_json(*out) == canonical_json(body));
}

// ------------------------------------------------------------------------------------------------
// Request encode from other origins

TEST_CASE("ollama encode_request writes Ollama's shapes from an OpenAI-origin request") {
  chat_request req;
  req.origin = dialect::openai;
  req.model = "llama3.2";
  req.messages.push_back(text_message(role::developer, "dev rules"));
  message user = text_message(role::user, "part one, ");
  user.content.emplace_back(text_block{"part two", {}});
  user.content.emplace_back(image_block{"", "image/png", "iVBORw0KGgo=", "high", ""});
  user.parts_form = true;
  user.extra.set("x_openai", "1");
  req.messages.push_back(user);
  message asst = call_message({{"call_1", "read", R"({"path": "a"})", ""}, {"call_2", "ls", "", ""}});
  asst.content.insert(asst.content.begin(), reasoning_block{"because", "sig", false, ""});
  asst.content_null = true;
  req.messages.push_back(asst);
  req.messages.push_back(result_message("call_1", "contents"));
  req.messages.push_back(result_message("call_2", "denied", true));
  req.extra.set("user_tag", "\"x\"");
  req.max_tokens = 100;
  req.stop = {"END"};
  req.stop_as_string = true;
  req.sampling.temperature = 1;
  req.response_format = R"({"type":"json_object"})";
  req.stream = false;
  const std::string out = encode_ok(req);
  CHECK(string_at(out, "/messages/0/role") == "system");
  CHECK(string_at(out, "/messages/1/content") == "part one, \npart two");  // always a string
  CHECK(json_at(out, "/messages/1/images") == R"(["iVBORw0KGgo="])");
  CHECK(json_at(out, "/messages/1/x_openai") == "<missing>");  // extra only to its own dialect
  CHECK(string_at(out, "/messages/2/content") == "");
  CHECK(string_at(out, "/messages/2/thinking") == "because");
  CHECK(json_at(out, "/messages/2/tool_calls") ==
        canonical_json(R"([{"id":"call_1","function":{"index":0,"name":"read","arguments":{"path":"a"}}},
                           {"id":"call_2","function":{"index":1,"name":"ls","arguments":{}}}])"));
  CHECK(json_at(out, "/messages/3") ==
        canonical_json(R"({"role":"tool","content":"contents","tool_call_id":"call_1","tool_name":"read"})"));
  CHECK(string_at(out, "/messages/4/content") == "Error: denied");
  CHECK(string_at(out, "/messages/4/tool_name") == "ls");
  CHECK(json_at(out, "/stream") == "false");  // explicit: Ollama's default is true
  CHECK(json_at(out, "/options") == canonical_json(R"({"num_predict":100,"stop":["END"],"temperature":1})"));
  CHECK(string_at(out, "/format") == "json");
  CHECK(json_at(out, "/user_tag") == "<missing>");
  CHECK(json_at(out, "/think") == "<missing>");
}

TEST_CASE("ollama encode_request fills tool_name from the last earlier call with that id") {
  chat_request req;
  req.model = "m";
  req.messages.push_back(call_message({{"dup", "first", "{}", ""}}));
  req.messages.push_back(result_message("dup", "1"));
  req.messages.push_back(call_message({{"dup", "second", "{}", ""}}));
  req.messages.push_back(result_message("dup", "2"));
  message named = result_message("dup", "3");
  std::get<tool_result_block>(named.content[0]).name = "explicit";
  req.messages.push_back(named);
  const std::string out = encode_ok(req);
  CHECK(string_at(out, "/messages/1/tool_name") == "first");
  CHECK(string_at(out, "/messages/3/tool_name") == "second");
  CHECK(string_at(out, "/messages/4/tool_name") == "explicit");
}

TEST_CASE("ollama encode_request splits tool results out of a user turn") {
  chat_request req;
  req.model = "m";
  req.messages.push_back(call_message({{"t1", "f", "{}", ""}}));
  message user;
  user.role = role::user;
  tool_result_block r;
  r.tool_call_id = "t1";
  r.content.emplace_back(text_block{"ok", {}});
  r.content.emplace_back(image_block{"", "image/jpeg", "/9j/xx", "", ""});
  user.content.emplace_back(r);
  user.content.emplace_back(text_block{"next", {}});
  req.messages.push_back(user);
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/messages/1") ==
        canonical_json(R"({"role":"tool","content":"ok","images":["/9j/xx"],"tool_call_id":"t1","tool_name":"f"})"));
  CHECK(json_at(out, "/messages/2") == canonical_json(R"({"role":"user","content":"next"})"));
}

TEST_CASE("ollama encode_request rejects what Ollama cannot take") {
  chat_request req;
  req.model = "m";
  message user = text_message(role::user, "see");
  user.content.emplace_back(image_block{"https://example.com/a.png", "", "", "", ""});
  req.messages.push_back(user);
  auto r = ol::encode_request(req, {});
  REQUIRE_FALSE(r);
  CHECK(r.error_value().code == errc::unsupported);
  CHECK(r.error_value().path == "$.messages[0].content[1]");

  req.messages[0].content[1] = image_block{"", "application/pdf", "JVBERi0x", "", ""};
  CHECK_FALSE(ol::encode_request(req, {}));

  chat_request bad_args;
  bad_args.model = "m";
  bad_args.messages.push_back(call_message({{"c", "f", "[1,2]", ""}}));
  auto a = ol::encode_request(bad_args, {});
  REQUIRE_FALSE(a);
  CHECK(a.error_value().code == errc::unsupported);
  CHECK(a.error_value().path == "$.messages[0].content[0].arguments");

  chat_request bad_utf8;
  bad_utf8.model = "m";
  bad_utf8.messages.push_back(text_message(role::user, "\xff"));
  CHECK_FALSE(ol::encode_request(bad_utf8, {}));
}

TEST_CASE("ollama encode_request maps tool_choice, tools and stream") {
  chat_request req;
  req.model = "m";
  req.messages.push_back(text_message(role::user, "hi"));
  tool_spec f;
  f.name = "f";
  f.description = "does f";
  f.parameters = R"({"type":"object","properties":{}})";
  f.strict = true;
  tool_spec server;
  server.kind = "web_search_20250305";
  server.name = "web_search";
  req.tools = {f, server};
  req.tool_choice.kind = tool_choice::mode::required;
  std::string out = encode_ok(req);
  CHECK(json_at(out, "/tools") ==
        canonical_json(R"([{"type":"function","function":{"name":"f","description":"does f",
                            "parameters":{"type":"object","properties":{}}}}])"));
  CHECK(json_at(out, "/tool_choice") == "<missing>");
  CHECK(json_at(out, "/stream") == "false");
  req.tool_choice.kind = tool_choice::mode::none;
  req.stream = true;
  out = encode_ok(req);
  CHECK(json_at(out, "/tools") == "<missing>");
  CHECK(json_at(out, "/stream") == "true");
}

TEST_CASE("ollama encode_request maps reasoning to think") {
  using mode = reasoning_config::mode;
  const auto think = [](mode kind, std::string effort) {
    chat_request req;
    req.model = "m";
    req.reasoning.kind = kind;
    req.reasoning.effort = std::move(effort);
    return json_at(encode_ok(req), "/think");
  };
  CHECK(think(mode::unset, "") == "<missing>");
  CHECK(think(mode::enabled, "") == "true");
  CHECK(think(mode::adaptive, "") == "true");
  CHECK(think(mode::disabled, "") == "false");
  CHECK(think(mode::disabled, "high") == "false");
  CHECK(think(mode::unset, "low") == "\"low\"");
  CHECK(think(mode::unset, "medium") == "\"medium\"");
  CHECK(think(mode::enabled, "high") == "\"high\"");
  CHECK(think(mode::unset, "none") == "false");
  CHECK(think(mode::unset, "minimal") == "\"low\"");
  CHECK(think(mode::unset, "xhigh") == "\"max\"");
}

TEST_CASE("ollama encode_request options: num_ctx, sampling, merged extra options") {
  chat_request req;
  req.model = "m";
  req.sampling = {0.5, 0.25, 30, 42, 0.1, 0.2};
  encode_options opts;
  opts.num_ctx = 32768;
  std::string out = encode_ok(req, opts);
  CHECK(json_at(out, "/options") ==
        canonical_json(R"({"temperature":0.5,"top_p":0.25,"top_k":30,"seed":42,
                           "frequency_penalty":0.1,"presence_penalty":0.2,"num_ctx":32768})"));
  // From an Ollama client: its own num_ctx wins over the configured one; typed keys win over
  // the raw remainder; the remainder's other keys are kept.
  req.origin = dialect::ollama;
  req.extra.set("options", R"({"num_ctx":8192,"temperature":9,"min_p":0.1})");
  out = encode_ok(req, opts);
  CHECK(json_at(out, "/options/num_ctx") == "8192");
  CHECK(json_at(out, "/options/temperature") == "0.5");
  CHECK(json_at(out, "/options/min_p") == "0.1");
  // Not from Ollama: its extra options are not written, the configured num_ctx is.
  req.origin = dialect::anthropic;
  out = encode_ok(req, opts);
  CHECK(json_at(out, "/options/num_ctx") == "32768");
  CHECK(json_at(out, "/options/min_p") == "<missing>");
  chat_request plain;
  plain.model = "m";
  CHECK(json_at(encode_ok(plain), "/options") == "<missing>");
}

TEST_CASE("ollama encode_request maps response_format to format") {
  chat_request req;
  req.model = "m";
  req.response_format =
      R"({"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"},"strict":true}})";
  CHECK(json_at(encode_ok(req), "/format") == R"({"type":"object"})");
  req.response_format = R"({"type":"text"})";
  CHECK(json_at(encode_ok(req), "/format") == "<missing>");
}

// ------------------------------------------------------------------------------------------------
// Responses

TEST_CASE("ollama decode_response maps message, finish, usage and extras") {
  const std::string body = R"({"model":"llava","created_at":"2023-12-13T22:42:50.203334Z",
    "message":{"role":"assistant","content":"A pig.","images":null},"done":true,
    "done_reason":"length","total_duration":1668506709,"prompt_eval_count":26,"eval_count":83})";
  auto r = ol::decode_response(body);
  REQUIRE(r);
  CHECK(r->origin == dialect::ollama);
  CHECK(r->model == "llava");
  CHECK(r->created == 1702507370);
  CHECK(r->message.joined_text() == "A pig.");
  CHECK(r->finish == finish_reason::length);
  CHECK(r->usage.present);
  CHECK(r->usage.input_tokens == 26);
  CHECK(r->usage.output_tokens == 83);
  CHECK(r->extra.find("total_duration") != nullptr);
  CHECK(r->extra.find("done") == nullptr);
  CHECK(r->id.starts_with("chatcmpl-"));
  auto again = ol::decode_response(body);
  REQUIRE(again);
  CHECK(again->id == r->id);

  auto bare = ol::decode_response(R"({"model":"m","created_at":"2024-01-01T00:00:00-07:00",
    "message":{"role":"assistant","content":"x"},"done":true})");
  REQUIRE(bare);
  CHECK(bare->created == 1704092400);
  CHECK(bare->finish == finish_reason::stop);
  CHECK_FALSE(bare->usage.present);
  for (const char* reason : {"load", "unload", ""}) {
    auto admin = ol::decode_response(std::string(R"({"model":"m","done":true,"done_reason":")") +
                                     reason + "\"}");
    REQUIRE(admin);
    CHECK(admin->finish == finish_reason::stop);
  }
}

TEST_CASE("ollama decode_response gives id-less tool calls stable unique ids") {
  const std::string body = R"({"model":"m","created_at":"2024-07-22T20:33:28.123648Z",
    "message":{"role":"assistant","content":"","tool_calls":[
      {"function":{"name":"get_weather","arguments":{"city":"Paris"}}},
      {"function":{"name":"get_weather","arguments":{"city":"Rome"}}}]},
    "done_reason":"stop","done":true})";
  auto a = ol::decode_response(body);
  auto b = ol::decode_response(body);
  REQUIRE(a);
  REQUIRE(b);
  const auto calls = a->message.tool_calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]->id == detail::synthesize_call_id(body, 0));
  CHECK(calls[0]->id != calls[1]->id);
  CHECK(calls[0]->id == b->message.tool_calls()[0]->id);
  CHECK(calls[1]->id == b->message.tool_calls()[1]->id);
  CHECK(calls[1]->arguments == R"({"city":"Rome"})");
  CHECK(a->finish == finish_reason::tool_calls);  // "stop" with calls is a tool turn
}

TEST_CASE("ollama encode_response writes Ollama's shape from any origin") {
  chat_response resp;
  resp.origin = dialect::anthropic;
  resp.model = "claude";
  resp.created = 1721680408;
  resp.message.content.emplace_back(tool_call_block{"toolu_1", "f", R"({"a":1})", ""});
  resp.finish = finish_reason::tool_calls;
  resp.usage = {10, 5, 100, 20, 0, true};
  resp.extra.set("stop_sequence", "null");
  auto out = ol::encode_response(resp);
  REQUIRE(out);
  CHECK(canonical_json(*out) == canonical_json(R"({"model":"claude",
    "created_at":"2024-07-22T20:33:28Z","message":{"role":"assistant","content":"",
    "tool_calls":[{"id":"toolu_1","function":{"index":0,"name":"f","arguments":{"a":1}}}]},
    "done_reason":"stop","done":true,"prompt_eval_count":130,"eval_count":5})"));
  chat_response empty;
  empty.finish = finish_reason::length;
  auto e = ol::encode_response(empty);
  REQUIRE(e);
  CHECK(string_at(*e, "/created_at") == "1970-01-01T00:00:00Z");
  CHECK(string_at(*e, "/done_reason") == "length");
  CHECK(string_at(*e, "/message/content") == "");
  CHECK(json_at(*e, "/prompt_eval_count") == "<missing>");
  empty.message.content.emplace_back(tool_call_block{"c", "f", "not json", ""});
  auto bad = ol::encode_response(empty);
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().code == errc::unsupported);
}

TEST_CASE("ollama RFC 3339 timestamps") {
  std::int64_t t = 0;
  CHECK(ol::parse_rfc3339("1970-01-01T00:00:00Z", t));
  CHECK(t == 0);
  CHECK(ol::parse_rfc3339("2023-08-04T08:52:19.385406455-07:00", t));
  CHECK(t == 1691164339);
  CHECK(ol::parse_rfc3339("2024-02-29T12:00:00+01:30", t));
  CHECK(ol::format_rfc3339(t) == "2024-02-29T10:30:00Z");
  for (const char* bad : {"", "2023-02-29T00:00:00Z", "2023-08-04", "2023-08-04T25:00:00Z",
                          "2023-08-04T08:52:19", "2023-08-04T08:52:19.Z", "x023-08-04T08:52:19Z",
                          "2023-08-04T08:52:19Zjunk"}) {
    INFO(bad);
    CHECK_FALSE(ol::parse_rfc3339(bad, t));
  }
  CHECK(ol::format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(ol::format_rfc3339(1702507370) == "2023-12-13T22:42:50Z");
}

// ------------------------------------------------------------------------------------------------
// Errors and finish reasons

TEST_CASE("ollama error bodies") {
  const std::string body = ol::encode_error(make_error(errc::invalid_request, "bad \xff thing"));
  CHECK(canonical_json(body) != "<invalid JSON>");
  CHECK(string_at(body, "/error").starts_with("bad "));
  CHECK(string_at(ol::encode_error(make_error(errc::invalid_request, "expected a string",
                                              "$.model")),
                  "/error") == "expected a string (at $.model)");

  const error native = ol::decode_error(404, R"({"error":"model \"x\" not found, try pulling it first"})");
  CHECK(native.message == "model \"x\" not found, try pulling it first");
  CHECK(native.http_status == 404);
  CHECK(native.code == errc::upstream_http);
  const error tools = ol::decode_error(500, R"({"error":"registry.ollama.ai/library/gemma:2b does not support tools"})");
  CHECK(tools.http_status == 400);
  CHECK(tools.message == "registry.ollama.ai/library/gemma:2b does not support tools");
  CHECK(ol::decode_error(429, R"({"error":{"message":"slow down"}})").message == "slow down");
  CHECK(ol::decode_error(429, R"({"error":{"message":"slow down"}})").http_status == 429);
  CHECK(ol::decode_error(529, "overloaded").http_status == 503);
  CHECK(ol::decode_error(502, "<html>").message.find("502") != std::string::npos);
  CHECK(ol::decode_error(200, R"({"error":"mid-stream"})").http_status == 502);
}

TEST_CASE("ollama finish reason names") {
  CHECK(std::string(ol::finish_reason_name(finish_reason::stop)) == "stop");
  CHECK(std::string(ol::finish_reason_name(finish_reason::length)) == "length");
  CHECK(std::string(ol::finish_reason_name(finish_reason::tool_calls)) == "stop");
  CHECK(std::string(ol::finish_reason_name(finish_reason::content_filter)) == "stop");
  CHECK(ol::parse_finish_reason("length") == finish_reason::length);
  for (const char* name : {"stop", "load", "unload", "", "weird"}) {
    CHECK(ol::parse_finish_reason(name) == finish_reason::stop);
  }
}

// ------------------------------------------------------------------------------------------------
// Bad input

TEST_CASE("ollama decode_request rejects malformed JSON, bad UTF-8 and deep nesting") {
  for (std::string_view bad : {"", "{", R"({"model":"m",})", R"({"model":"m","messages":[)",
                               "{\"model\":\"\xff\"}", "[1] [2]"}) {
    const error e = decode_fails(bad);
    CHECK(e.code == errc::invalid_json);
    CHECK(e.path == "$");
  }
  std::string deep = R"({"model":"m","x":)";
  deep += std::string(10000, '[') + std::string(10000, ']') + "}";
  const error e = decode_fails(deep);
  CHECK(e.code == errc::invalid_json);
  CHECK(e.path == "$");
  CHECK_FALSE(ol::decode_response(deep));
}

TEST_CASE("ollama decode_request reports wrong types and missing fields with their path") {
  const std::pair<const char*, const char*> cases[] = {
      {R"([])", "$"},
      {R"({"messages":[]})", "$.model"},
      {R"({"model":""})", "$.model"},
      {R"({"model":1})", "$.model"},
      {R"({"model":"m","messages":{}})", "$.messages"},
      {R"({"model":"m","messages":["hi"]})", "$.messages[0]"},
      {R"({"model":"m","messages":[{"content":"x"}]})", "$.messages[0].role"},
      {R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})", "$.messages[0].role"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]})",
       "$.messages[0].content"},
      {R"({"model":"m","messages":[{"role":"user","images":[1]}]})", "$.messages[0].images[0]"},
      {R"({"model":"m","messages":[{"role":"assistant","thinking":5}]})",
       "$.messages[0].thinking"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":{}}]})",
       "$.messages[0].tool_calls"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c"}]}]})",
       "$.messages[0].tool_calls[0].function"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"function":{"arguments":{}}}]}]})",
       "$.messages[0].tool_calls[0].function.name"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":"{}"}}]}]})",
       "$.messages[0].tool_calls[0].function.arguments"},
      {R"({"model":"m","messages":[{"role":"tool","content":"x","tool_call_id":3}]})",
       "$.messages[0].tool_call_id"},
      {R"({"model":"m","tools":{}})", "$.tools"},
      {R"({"model":"m","tools":[{"type":"function"}]})", "$.tools[0].function"},
      {R"({"model":"m","tools":[{"type":"function","function":{"description":"d"}}]})",
       "$.tools[0].function.name"},
      {R"({"model":"m","tools":[{"function":{"name":"f","parameters":"{}"}}]})",
       "$.tools[0].function.parameters"},
      {R"({"model":"m","format":"yaml"})", "$.format"},
      {R"({"model":"m","format":3})", "$.format"},
      {R"({"model":"m","options":[]})", "$.options"},
      {R"({"model":"m","options":{"temperature":"hot"}})", "$.options.temperature"},
      {R"({"model":"m","options":{"top_k":1.5}})", "$.options.top_k"},
      {R"({"model":"m","options":{"num_predict":"10"}})", "$.options.num_predict"},
      {R"({"model":"m","options":{"stop":[1]}})", "$.options.stop[0]"},
      {R"({"model":"m","stream":"no"})", "$.stream"},
      {R"({"model":"m","think":"extreme"})", "$.think"},
      {R"({"model":"m","think":1})", "$.think"},
  };
  for (const auto& [body, path] : cases) {
    const error e = decode_fails(body);
    INFO(body);
    CHECK(e.code == errc::invalid_request);
    CHECK(e.path == path);
  }
}

TEST_CASE("ollama decode_response reports bad bodies with their path") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"model":"m","created_at":"yesterday"})", "$.created_at"},
      {R"({"model":"m","created_at":5})", "$.created_at"},
      {R"({"model":"m","message":"hi"})", "$.message"},
      {R"({"model":"m","message":{"content":1}})", "$.message.content"},
      {R"({"model":"m","message":{"tool_calls":[{"function":{"name":"f","arguments":[]}}]}})",
       "$.message.tool_calls[0].function.arguments"},
      {R"({"model":"m","done":"yes"})", "$.done"},
      {R"({"model":"m","eval_count":"9"})", "$.eval_count"},
  };
  for (const auto& [body, path] : cases) {
    auto r = ol::decode_response(body);
    INFO(body);
    REQUIRE_FALSE(r);
    CHECK(r.error_value().code == errc::invalid_request);
    CHECK(r.error_value().path == path);
  }
  auto truncated = ol::decode_response(R"({"model":"m","message":{"content":"x")");
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error_value().code == errc::invalid_json);
}

TEST_CASE("ollama decode_request takes a 50 MB body") {
  std::string big(50u * 1024 * 1024, 'a');
  const std::string body = R"({"model":"m","stream":false,"messages":[{"role":"user","content":")" +
                           big + R"("}]})";
  const chat_request req = decode_ok(body);
  REQUIRE(req.messages.size() == 1);
  CHECK(req.messages[0].joined_text().size() == big.size());
  const std::string out = encode_ok(req);
  CHECK(out.size() > big.size());
}
