// Tests of the anthropic codec: requests (decode, encode, round trip), responses, errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "codec/anthropic/anthropic.h"
#include "json/reader.h"
#include "json/writer.h"
#include "json_compare.h"
#include "test_support.h"

using namespace harness;
using harness_test::canonical_json;
using harness_test::json_at;
using harness_test::string_at;
namespace an = harness::detail::anthropic;

namespace {

chat_request decode_ok(std::string_view body) {
  auto r = an::decode_request(body);
  if (!r) FAIL(r.error_value().describe());
  return std::move(r).value();
}

std::string encode_ok(const chat_request& req, const encode_options& options = {}) {
  auto r = an::encode_request(req, options);
  if (!r) FAIL(r.error_value().describe());
  return std::move(r).value();
}

error decode_err(std::string_view body) {
  auto r = an::decode_request(body);
  if (r) FAIL("decoded although it should not: " << body.substr(0, 200));
  return r.error_value();
}

// Anthropic tool definitions made from one of the real OpenAI-format tool sets.
std::string anthropic_tools(const std::string& file, bool cache_last) {
  const std::string text = harness_test::read_file(harness_test::shared_path("conformance/tools/" + file));
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(text);
  std::string out;
  detail::json_writer w(out);
  w.start_array();
  const auto tools = doc.get_array().value();
  std::size_t i = 0;
  for (simdjson::dom::element t : tools) {
    simdjson::dom::element fn = t["function"];
    w.start_object().member("name", std::string_view(fn["name"]));
    w.member("description", std::string_view(fn["description"]));
    w.member_raw("input_schema", simdjson::minify(fn["parameters"]));
    if (cache_last && ++i == tools.size()) w.member_raw("cache_control", R"({"type":"ephemeral"})");
    w.end_object();
  }
  w.end_array();
  return out;
}

// Every content block of every message of an Anthropic request body, with its message role.
struct wire_block {
  std::string role;
  std::string type;
  simdjson::dom::element block;
};

std::vector<wire_block> blocks_of(simdjson::dom::parser& parser, const std::string& body) {
  std::vector<wire_block> out;
  simdjson::dom::element doc = parser.parse(body);
  for (simdjson::dom::element m : doc["messages"].get_array()) {
    const std::string role_name{std::string_view(m["role"])};
    simdjson::dom::element content = m["content"];
    if (content.is_string()) {
      out.push_back({role_name, "string", content});
      continue;
    }
    for (simdjson::dom::element b : content.get_array()) {
      out.push_back({role_name, std::string(std::string_view(b["type"])), b});
    }
  }
  return out;
}

bool valid_tool_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

message text_message(role r, std::string text, bool parts = false) {
  message m;
  m.role = r;
  m.parts_form = parts;
  m.content.emplace_back(text_block{std::move(text), {}});
  return m;
}

message tool_message(std::string id, std::string text) {
  message m;
  m.role = role::tool;
  tool_result_block res;
  res.tool_call_id = std::move(id);
  res.content.emplace_back(text_block{std::move(text), {}});
  m.content.emplace_back(std::move(res));
  return m;
}

tool_call_block call(std::string id, std::string name, std::string args) {
  return tool_call_block{std::move(id), std::move(name), std::move(args), {}};
}

// A request as an OpenAI client would have produced it (origin openai).
chat_request foreign_request() {
  chat_request req;
  req.origin = dialect::openai;
  req.model = "claude-sonnet-4-5";
  req.messages.push_back(text_message(role::user, "hi"));
  return req;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Claude Code request: decode, then encode back to the same JSON.

namespace {
std::string claude_code_body() {
  return R"({"model":"claude-sonnet-4-5-20250929","max_tokens":32000,)"
         R"("system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.3"},)"
         R"({"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral","ttl":"1h"}}],)"
         R"("messages":[)"
         R"({"role":"user","content":[{"type":"text","text":"<system-reminder>ctx</system-reminder>"},)"
         R"({"type":"text","text":"fix the bug","cache_control":{"type":"ephemeral"}}]},)"
         R"({"role":"assistant","content":[{"type":"thinking","thinking":"Let me look.","signature":"EqQBCkYIBxgCKkA"},)"
         R"({"type":"text","text":"Reading the file."},)"
         R"({"type":"tool_use","id":"toolu_01A","name":"Read","input":{"file_path":"/a.c"}},)"
         R"({"type":"tool_use","id":"toolu_01B","name":"Bash","input":{"command":"ls","description":"list"}}]},)"
         R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"int main(){}"},)"
         R"({"type":"tool_result","tool_use_id":"toolu_01B","content":[{"type":"text","text":"a.c"}],"is_error":true},)"
         R"({"type":"text","text":"go on"}]},)"
         R"({"role":"system","content":"The user switched to plan mode."},)"
         R"({"role":"assistant","content":[{"type":"redacted_thinking","data":"opaque=="},{"type":"text","text":"Done."}]},)"
         R"({"role":"user","content":"thanks"}],)"
         R"("tools":)" + anthropic_tools("claude-code.json", true) + ","
         R"("metadata":{"user_id":"user_abc_account_123_session_9"},)"
         R"("thinking":{"type":"adaptive"},)"
         R"("output_config":{"effort":"high"},)"
         R"("context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},)"
         R"("stream":true})";
}
}  // namespace

TEST_CASE("a Claude Code request decodes into canonical form") {
  const chat_request req = decode_ok(claude_code_body());
  CHECK(req.origin == dialect::anthropic);
  CHECK(req.model == "claude-sonnet-4-5-20250929");
  CHECK(req.max_tokens == 32000);
  CHECK(req.stream);
  CHECK(req.user == "user_abc_account_123_session_9");
  CHECK(req.reasoning.kind == reasoning_config::mode::adaptive);
  CHECK(req.reasoning.effort == "high");
  REQUIRE(req.tools.size() == 11);
  CHECK(req.tools[0].name == "Read");
  CHECK(req.tools[0].kind == "function");
  CHECK(canonical_json(req.tools[0].parameters) == json_at(anthropic_tools("claude-code.json", false), "/0/input_schema"));
  CHECK(req.tools[10].cache_control == R"({"type":"ephemeral"})");
  CHECK(req.tools[0].cache_control.empty());
  // Covered fields are not also in extra; the rest is, in order.
  REQUIRE(req.extra.items.size() == 1);
  CHECK(req.extra.items[0].first == "context_management");

  // system field -> one leading system message, block form, cache_control kept.
  const auto& ms = req.messages;
  REQUIRE(ms.size() == 9);
  CHECK(ms[0].role == role::system);
  CHECK(ms[0].parts_form);
  REQUIRE(ms[0].content.size() == 2);
  CHECK(std::get<text_block>(ms[0].content[1]).cache_control == R"({"type":"ephemeral","ttl":"1h"})");
  CHECK(ms[1].role == role::user);
  CHECK(std::get<text_block>(ms[1].content[1]).cache_control == R"({"type":"ephemeral"})");
  // Assistant: thinking (with signature) -> text -> two calls, arguments as compact JSON.
  REQUIRE(ms[2].content.size() == 4);
  const auto& thinking = std::get<reasoning_block>(ms[2].content[0]);
  CHECK(thinking.text == "Let me look.");
  CHECK(thinking.signature == "EqQBCkYIBxgCKkA");
  const auto& read = std::get<tool_call_block>(ms[2].content[2]);
  CHECK(read.id == "toolu_01A");
  CHECK(read.arguments == R"({"file_path":"/a.c"})");
  // The user turn splits into one tool message per result, then the remaining text.
  CHECK(ms[3].role == role::tool);
  CHECK(ms[4].role == role::tool);
  const auto& r0 = std::get<tool_result_block>(ms[3].content.at(0));
  CHECK(r0.tool_call_id == "toolu_01A");
  CHECK(r0.name == "Read");  // looked up from the tool_use
  CHECK_FALSE(r0.parts_form);
  CHECK(r0.joined_text() == "int main(){}");
  const auto& r1 = std::get<tool_result_block>(ms[4].content.at(0));
  CHECK(r1.is_error);
  CHECK(r1.parts_form);
  CHECK(r1.name == "Bash");
  CHECK(ms[5].role == role::user);
  CHECK(ms[5].joined_text() == "go on");
  // role:"system" inside messages stays where the client put it.
  CHECK(ms[6].role == role::system);
  CHECK_FALSE(ms[6].parts_form);
  CHECK(ms[6].joined_text() == "The user switched to plan mode.");
  const auto& redacted = std::get<reasoning_block>(ms[7].content[0]);
  CHECK(redacted.redacted);
  CHECK(redacted.redacted_data == "opaque==");
  CHECK(ms[8].joined_text() == "thanks");
  CHECK_FALSE(ms[8].parts_form);
}

TEST_CASE("a Claude Code request round-trips decode -> encode unchanged") {
  const std::string body = claude_code_body();
  const chat_request req = decode_ok(body);
  const std::string out = encode_ok(req);
  CHECK(canonical_json(out) == canonical_json(body));
  // And once more, through the canonical form of the encoded body.
  CHECK(decode_ok(out) == req);
}

TEST_CASE("every field an Anthropic client sends survives a round trip") {
  const std::string body = R"({
    "model":"claude-opus-4-1","max_tokens":4096,"system":"Be brief.",
    "messages":[
      {"role":"user","content":[
        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
        {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"},"cache_control":{"type":"ephemeral"}},
        {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
        {"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}},
        {"type":"text","text":"describe"}],"x_msg_field":{"k":1}},
      {"role":"assistant","content":[
        {"type":"thinking","thinking":"hmm","signature":"sig1"},
        {"type":"tool_use","id":"toolu_1","name":"lookup","input":{},"cache_control":{"type":"ephemeral"}},
        {"type":"thinking","thinking":"again","signature":"sig2"},
        {"type":"tool_use","id":"toolu_2","name":"lookup","input":{"q":[1,2,{"a":null}]}}]},
      {"role":"user","content":[
        {"type":"tool_result","tool_use_id":"toolu_1","content":[
          {"type":"text","text":"seen"},
          {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}],
          "cache_control":{"type":"ephemeral"}},
        {"type":"tool_result","tool_use_id":"toolu_2","content":"ok"}]},
      {"role":"assistant","content":"The answer is"}],
    "tools":[
      {"type":"custom","name":"lookup","description":"Look up","input_schema":{"type":"object","properties":{"q":{"type":"array"}}},
       "strict":true,"defer_loading":false,"eager_input_streaming":true},
      {"type":"web_search_20250305","name":"web_search","max_uses":5,"allowed_domains":["example.com"]},
      {"type":"bash_20250124","name":"bash"}],
    "tool_choice":{"type":"tool","name":"lookup","disable_parallel_tool_use":true},
    "stop_sequences":["###","\n\nHuman:"],
    "temperature":0.5,"top_p":0.9,"top_k":40,
    "metadata":{"user_id":"u-1","extra_key":"kept"},
    "thinking":{"type":"enabled","budget_tokens":2048,"display":"omitted"},
    "output_config":{"effort":"medium","format":{"type":"json_schema","schema":{"type":"object"}}},
    "service_tier":"auto","container":null,"mcp_servers":[{"type":"url","url":"https://mcp.example.com","name":"m"}],
    "stream":false})";
  const chat_request req = decode_ok(body);
  // Covered fields are mapped ...
  CHECK(req.tool_choice.kind == tool_choice::mode::tool);
  CHECK(req.tool_choice.name == "lookup");
  CHECK(req.parallel_tool_calls == false);
  CHECK(req.stop == std::vector<std::string>{"###", "\n\nHuman:"});
  CHECK(req.sampling.temperature == 0.5);
  CHECK(req.sampling.top_p == 0.9);
  CHECK(req.sampling.top_k == 40);
  CHECK(req.user == "u-1");
  CHECK(req.reasoning.kind == reasoning_config::mode::enabled);
  CHECK(req.reasoning.budget_tokens == 2048);
  CHECK(req.reasoning.effort == "medium");
  CHECK(canonical_json(req.response_format) ==
        canonical_json(R"({"type":"json_schema","json_schema":{"name":"response","schema":{"type":"object"}}})"));
  REQUIRE(req.tools.size() == 3);
  CHECK(req.tools[0].kind == "function");
  CHECK(req.tools[0].strict == true);
  REQUIRE(req.tools[0].extra.items.size() == 3);  // type:custom, defer_loading, eager_input_streaming
  CHECK(req.tools[0].extra.items[0].first == "type");
  CHECK(req.tools[1].kind == "web_search_20250305");
  CHECK(req.tools[1].name == "web_search");
  CHECK(req.tools[1].extra.items.size() == 4);  // the whole definition
  CHECK(req.tools[2].kind == "bash_20250124");
  // ... and the rest is kept, in order, without the covered parts.
  REQUIRE(req.extra.items.size() == 5);
  CHECK(req.extra.items[0] == std::pair<std::string, std::string>{"metadata", R"({"extra_key":"kept"})"});
  CHECK(req.extra.items[1] == std::pair<std::string, std::string>{"thinking", R"({"display":"omitted"})"});
  CHECK(req.extra.items[2].first == "service_tier");
  CHECK(req.extra.items[3] == std::pair<std::string, std::string>{"container", "null"});
  CHECK(req.extra.items[4].first == "mcp_servers");
  CHECK_FALSE(req.stream);
  // Media.
  const auto& user = req.messages[1];
  CHECK(user.extra.find("x_msg_field") != nullptr);
  const auto& png = std::get<image_block>(user.content[0]);
  CHECK(png.media_type == "image/png");
  CHECK(png.data == "iVBORw0KGgo=");
  const auto& url = std::get<image_block>(user.content[1]);
  CHECK(url.url == "https://example.com/cat.jpg");
  CHECK(url.media_type.empty());
  CHECK(std::get<image_block>(user.content[2]).media_type == "application/pdf");
  CHECK(std::get<image_block>(user.content[3]).media_type == "application/pdf");
  CHECK(std::get<image_block>(user.content[3]).url == "https://example.com/a.pdf");
  // Interleaved thinking keeps its order for an Anthropic client.
  const auto& a = req.messages[2].content;
  REQUIRE(a.size() == 4);
  CHECK(std::holds_alternative<reasoning_block>(a[2]));
  CHECK(std::get<tool_call_block>(a[1]).arguments == "{}");

  const std::string out = encode_ok(req);
  // "stream":false is only the default said aloud; everything else comes back as sent.
  std::string expected = body;
  const std::string stream_false = ",\n    \"stream\":false";
  REQUIRE(expected.find(stream_false) != std::string::npos);
  expected.erase(expected.find(stream_false), stream_false.size());
  CHECK(canonical_json(out) == canonical_json(expected));
}

TEST_CASE("decode: string contents, system string and role:system entries") {
  const chat_request req = decode_ok(
      R"({"model":"m","max_tokens":5,"system":"top","messages":[)"
      R"({"role":"system","content":[{"type":"text","text":"first","cache_control":{"type":"ephemeral"}}]},)"
      R"({"role":"user","content":"u"},{"role":"assistant","content":"a"},)"
      R"({"role":"system","content":"mid"},{"role":"user","content":"v"}]})");
  REQUIRE(req.messages.size() == 6);
  CHECK(req.messages[0].role == role::system);
  CHECK_FALSE(req.messages[0].parts_form);
  CHECK(req.messages[0].joined_text() == "top");
  CHECK(req.messages[1].role == role::system);
  CHECK(req.messages[1].parts_form);
  CHECK(req.messages[4].role == role::system);
  CHECK(req.messages[4].joined_text() == "mid");

  // Back to Anthropic: leading ones hoisted into `system`, the mid-conversation one stays.
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/system") ==
        canonical_json(R"([{"type":"text","text":"top"},{"type":"text","text":"first","cache_control":{"type":"ephemeral"}}])"));
  CHECK(string_at(out, "/messages/0/role") == "user");
  CHECK(string_at(out, "/messages/2/role") == "system");
  CHECK(string_at(out, "/messages/2/content") == "mid");

  // From any other origin every system/developer message is hoisted, in order (A.1).
  chat_request foreign = req;
  foreign.origin = dialect::openai;
  foreign.messages[4].role = role::developer;
  const std::string out2 = encode_ok(foreign);
  CHECK(json_at(out2, "/system") ==
        canonical_json(R"([{"type":"text","text":"top"},{"type":"text","text":"first","cache_control":{"type":"ephemeral"}},{"type":"text","text":"mid"}])"));
  CHECK(json_at(out2, "/messages") ==
        canonical_json(R"([{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"v"}])"));
}

TEST_CASE("decode: server-tool blocks in history are skipped, the rest kept") {
  const chat_request req = decode_ok(R"({"model":"m","max_tokens":5,"messages":[
    {"role":"user","content":"search it"},
    {"role":"assistant","content":[
      {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"}},
      {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},
      {"type":"web_fetch_tool_result","tool_use_id":"srvtoolu_2","content":{}},
      {"type":"code_execution_tool_result","tool_use_id":"srvtoolu_3","content":{}},
      {"type":"mcp_tool_use","id":"mcptoolu_1","name":"t","server_name":"s","input":{}},
      {"type":"text","text":"Found it.","citations":[{"type":"web_search_result_location","url":"u"}]}]}]})");
  REQUIRE(req.messages.size() == 2);
  REQUIRE(req.messages[1].content.size() == 1);
  CHECK(req.messages[1].joined_text() == "Found it.");
}

TEST_CASE("decode: tool_choice kinds and the parallel flag") {
  auto choice = [](std::string_view tc) {
    return decode_ok(std::string(R"({"model":"m","max_tokens":5,"messages":[],"tool_choice":)") +
                     std::string(tc) + "}");
  };
  CHECK(choice(R"({"type":"auto"})").tool_choice.kind == tool_choice::mode::auto_);
  CHECK_FALSE(choice(R"({"type":"auto"})").parallel_tool_calls.has_value());
  CHECK(choice(R"({"type":"any"})").tool_choice.kind == tool_choice::mode::required);
  CHECK(choice(R"({"type":"none"})").tool_choice.kind == tool_choice::mode::none);
  CHECK(choice(R"({"type":"auto","disable_parallel_tool_use":false})").parallel_tool_calls == true);
  CHECK(choice(R"({"type":"any","disable_parallel_tool_use":true})").parallel_tool_calls == false);
}

TEST_CASE("decode: thinking enabled / disabled and output_config pieces") {
  const auto enabled = decode_ok(
      R"({"model":"m","max_tokens":9000,"messages":[],"thinking":{"type":"enabled","budget_tokens":8000}})");
  CHECK(enabled.reasoning.kind == reasoning_config::mode::enabled);
  CHECK(enabled.reasoning.budget_tokens == 8000);
  CHECK(enabled.extra.empty());
  const auto disabled = decode_ok(
      R"({"model":"m","max_tokens":5,"messages":[],"thinking":{"type":"disabled"},"output_config":{"effort":"low","other":1}})");
  CHECK(disabled.reasoning.kind == reasoning_config::mode::disabled);
  CHECK(disabled.reasoning.effort == "low");
  REQUIRE(disabled.extra.items.size() == 1);
  CHECK(disabled.extra.items[0].second == R"({"other":1})");
  CHECK(canonical_json(encode_ok(disabled)) ==
        canonical_json(R"({"model":"m","max_tokens":5,"messages":[],"thinking":{"type":"disabled"},"output_config":{"effort":"low","other":1}})"));
}

TEST_CASE("decode: the Claude Code 2.1.332 shapes (captured, see tests/data/captures/README.md)") {
  // metadata.user_id is a JSON text; thinking carries display; the placeholder tool is deferred;
  // tool results carry cache_control; the mid-conversation system entry is a bare string.
  const std::string body = R"({"model":"e2e-openai","max_tokens":32000,"stream":true,
    "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.332"},
              {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
    "messages":[{"role":"user","content":[{"type":"text","text":"make hello.txt"}]},
      {"role":"system","content":"Auto mode is off."},
      {"role":"assistant","content":[{"type":"text","text":"ok"},
        {"type":"tool_use","id":"toolu_0a1","name":"Write","input":{"file_path":"/w/hello.txt","content":"hi"}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_0a1","content":"written",
        "cache_control":{"type":"ephemeral"}}]}],
    "tools":[{"name":"Write","description":"Write a file","input_schema":{"type":"object"}},
      {"name":"DeferredToolPlaceholder","description":"never call","input_schema":{"type":"object"},"defer_loading":true}],
    "metadata":{"user_id":"{\"device_id\":\"d1\",\"account_uuid\":\"\",\"session_id\":\"s1\"}"},
    "thinking":{"type":"adaptive","display":"omitted"},
    "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
    "output_config":{"effort":"high"}})";
  const chat_request req = decode_ok(body);
  CHECK(req.user == R"({"device_id":"d1","account_uuid":"","session_id":"s1"})");
  CHECK(req.reasoning.kind == reasoning_config::mode::adaptive);
  CHECK(req.reasoning.effort == "high");
  REQUIRE(req.tools.size() == 2);
  CHECK(req.tools[1].kind == "function");
  CHECK(req.tools[1].extra.find("defer_loading") != nullptr);
  REQUIRE(req.messages.size() == 5);
  CHECK(req.messages[2].role == role::system);
  CHECK(std::get<tool_result_block>(req.messages[4].content.at(0)).cache_control ==
        R"({"type":"ephemeral"})");
  REQUIRE(req.extra.items.size() == 2);  // thinking's display, context_management: kept as sent
  CHECK(req.extra.items[0] == std::pair<std::string, std::string>{"thinking", R"({"display":"omitted"})"});
  CHECK(req.extra.items[1].first == "context_management");
  CHECK(canonical_json(encode_ok(req)) == canonical_json(body));
}

// ---------------------------------------------------------------------------------------------
// Encoding canonical requests that came from other dialects (A.1, A.8).

TEST_CASE("consecutive tool results encode into ONE user message, results first") {
  chat_request req = foreign_request();
  message asst;
  asst.role = role::assistant;
  asst.content.emplace_back(call("functions.Read:0", "Read", R"({"file_path":"/a"})"));
  asst.content.emplace_back(call("call 2", "Bash", ""));  // zero-arg call streamed as ""
  req.messages.push_back(asst);
  req.messages.push_back(tool_message("functions.Read:0", "file text"));
  req.messages.push_back(tool_message("call 2", "ok"));
  req.messages.push_back(text_message(role::user, "continue"));
  req.tools.push_back(tool_spec{"function", "Read", "read", R"({"type":"object"})", {}, {}, {}});
  req.tools.push_back(tool_spec{"function", "Bash", "run", R"({"type":"object"})", {}, {}, {}});

  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/messages/3") == "<missing>");
  CHECK(string_at(out, "/messages/2/role") == "user");
  CHECK(json_at(out, "/messages/2/content") == canonical_json(R"([
    {"type":"tool_result","tool_use_id":"functions_Read_0","content":"file text"},
    {"type":"tool_result","tool_use_id":"call_2","content":"ok"},
    {"type":"text","text":"continue"}])"));
  CHECK(string_at(out, "/messages/1/content/0/id") == "functions_Read_0");
  CHECK(json_at(out, "/messages/1/content/1/input") == "{}");
  CHECK(json_at(out, "/messages/1/content/0/input") == canonical_json(R"({"file_path":"/a"})"));
}

TEST_CASE("encode holds the A.8 rules for an OpenAI-shaped conversation") {
  chat_request req = foreign_request();
  req.model = "gpt-style-alias";
  req.messages.insert(req.messages.begin(), text_message(role::system, "sys"));
  message asst;  // content "" plus calls, foreign reasoning, signed reasoning after the text
  asst.role = role::assistant;
  asst.content.emplace_back(text_block{"", {}});
  asst.content.emplace_back(reasoning_block{"foreign thoughts", "", false, ""});
  asst.content.emplace_back(call("", "Read", R"({"a":1})"));
  asst.content.emplace_back(reasoning_block{"claude thoughts", "sig", false, ""});
  req.messages.push_back(asst);
  req.messages.push_back(tool_message("", "result"));
  req.messages.push_back(text_message(role::user, ""));  // empty user turn
  message empty_asst;
  empty_asst.role = role::assistant;
  empty_asst.content.emplace_back(text_block{"", {}});
  req.messages.push_back(empty_asst);
  req.messages.push_back(text_message(role::user, "next"));
  req.messages.push_back(text_message(role::assistant, "Sure, here  \n"));  // prefill
  // Tools from a real client, with and without parameters.
  const std::string crush = harness_test::read_file(harness_test::shared_path("conformance/tools/crush.json"));
  simdjson::dom::parser tp;
  for (simdjson::dom::element t : tp.parse(crush).get_array()) {
    tool_spec spec;
    spec.name = std::string(std::string_view(t["function"]["name"]));
    spec.description = std::string(std::string_view(t["function"]["description"]));
    spec.parameters = simdjson::minify(t["function"]["parameters"]);
    spec.extra.set("x_openai_only", "1");
    req.tools.push_back(spec);
  }
  req.tools.push_back(tool_spec{"function", "noargs", "", "", {}, {}, {}});
  req.extra.set("logit_bias", R"({"1":2})");
  req.messages[1].extra.set("x_msg", "1");

  const std::string out = encode_ok(req);
  simdjson::dom::parser parser;
  const auto blocks = blocks_of(parser, out);
  std::vector<std::string> ids;
  for (const auto& b : blocks) {
    INFO(b.role << " " << b.type);
    if (b.type == "text") CHECK_FALSE(std::string_view(b.block["text"]).empty());
    if (b.type == "string") CHECK_FALSE(std::string_view(b.block).empty());
    if (b.type == "tool_use") {
      CHECK(valid_tool_id(std::string_view(b.block["id"])));
      ids.emplace_back(std::string_view(b.block["id"]));
    }
    if (b.type == "tool_result") {
      CHECK(valid_tool_id(std::string_view(b.block["tool_use_id"])));
      CHECK(std::string_view(b.block["tool_use_id"]) == ids.at(0));  // the pair stays linked
    }
    if (b.type == "thinking") CHECK(std::string_view(b.block["signature"]) == "sig");
  }
  // Roles alternate after merging and dropping empty turns.
  CHECK(json_at(out, "/messages/0") == canonical_json(R"({"role":"user","content":"hi"})"));
  CHECK(string_at(out, "/messages/1/role") == "assistant");
  CHECK(string_at(out, "/messages/1/content/0/type") == "thinking");  // signed reasoning first
  CHECK(string_at(out, "/messages/1/content/1/type") == "tool_use");
  CHECK(json_at(out, "/messages/1/content/2") == "<missing>");        // foreign reasoning dropped
  CHECK(json_at(out, "/messages/2/content") ==
        canonical_json(R"([{"type":"tool_result","tool_use_id":")" + ids.at(0) +
                       R"(","content":"result"},{"type":"text","text":"next"}])"));
  CHECK(json_at(out, "/messages/3") == canonical_json(R"({"role":"assistant","content":"Sure, here"})"));
  CHECK(json_at(out, "/messages/4") == "<missing>");
  CHECK(string_at(out, "/system") == "sys");
  // Tools present, schemas as given, default schema for none, nothing foreign leaked.
  CHECK(json_at(out, "/tools/0/input_schema") == json_at(crush, "/0/function/parameters"));
  CHECK(json_at(out, "/tools/27") ==
        canonical_json(R"({"name":"noargs","input_schema":{"type":"object","properties":{}}})"));
  CHECK(out.find("x_openai_only") == std::string::npos);
  CHECK(out.find("logit_bias") == std::string::npos);
  CHECK(out.find("x_msg") == std::string::npos);
  CHECK(json_at(out, "/max_tokens") == "32000");
}

TEST_CASE("tool history without tools declares the called tools and forbids calls") {
  chat_request req = foreign_request();
  message asst;
  asst.role = role::assistant;
  asst.content.emplace_back(call("c1", "mcp.server/tool", "{}"));
  asst.content.emplace_back(call("c2", "mcp.server:tool", "{}"));  // same name once sanitized
  req.messages.push_back(asst);
  req.messages.push_back(tool_message("c1", "done"));
  req.messages.push_back(tool_message("c2", "done"));
  req.tool_choice.kind = tool_choice::mode::auto_;  // said without offering tools
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/tools") ==
        canonical_json(R"([{"name":"mcp_server_tool","input_schema":{"type":"object","properties":{}}}])"));
  CHECK(json_at(out, "/tool_choice") == canonical_json(R"({"type":"none"})"));
  // No history, no tools: no tool_choice either (Anthropic refuses a choice without tools).
  chat_request plain = foreign_request();
  plain.tool_choice.kind = tool_choice::mode::auto_;
  CHECK(json_at(encode_ok(plain), "/tool_choice") == "<missing>");
}

TEST_CASE("encode maps tool_choice and parallel_tool_calls") {
  chat_request req = foreign_request();
  req.tools.push_back(tool_spec{"function", "f", "", R"({"type":"object"})", {}, {}, {}});
  auto tc = [&]() { return json_at(encode_ok(req), "/tool_choice"); };
  CHECK(tc() == "<missing>");
  req.parallel_tool_calls = false;
  CHECK(tc() == canonical_json(R"({"type":"auto","disable_parallel_tool_use":true})"));
  req.tool_choice.kind = tool_choice::mode::required;
  CHECK(tc() == canonical_json(R"({"type":"any","disable_parallel_tool_use":true})"));
  req.tool_choice = {tool_choice::mode::tool, "f"};
  CHECK(tc() == canonical_json(R"({"type":"tool","name":"f","disable_parallel_tool_use":true})"));
  req.tool_choice.kind = tool_choice::mode::none;
  CHECK(tc() == canonical_json(R"({"type":"none"})"));
  req.tool_choice.kind = tool_choice::mode::auto_;
  req.parallel_tool_calls.reset();
  CHECK(tc() == canonical_json(R"({"type":"auto"})"));
}

TEST_CASE("encode maps sampling, stop, user and stream") {
  chat_request req = foreign_request();
  req.sampling.temperature = 1.6;
  req.sampling.top_p = 0.5;
  req.sampling.top_k = 7;
  req.sampling.seed = 3;
  req.sampling.presence_penalty = 0.1;
  req.stop = {"END", "  ", "", "\n"};
  req.user = "alice";
  req.stream = true;
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/temperature") == "1");  // clamped to Anthropic's 0..1
  CHECK(json_at(out, "/top_p") == "0.5");
  CHECK(json_at(out, "/top_k") == "7");
  CHECK(json_at(out, "/stop_sequences") == canonical_json(R"(["END"])"));
  CHECK(json_at(out, "/metadata") == canonical_json(R"({"user_id":"alice"})"));
  CHECK(json_at(out, "/stream") == "true");
  CHECK(json_at(out, "/seed") == "<missing>");
  CHECK(json_at(out, "/presence_penalty") == "<missing>");
  req.sampling.temperature = -1;
  req.stream = false;
  const std::string out2 = encode_ok(req);
  CHECK(json_at(out2, "/temperature") == "0");
  CHECK(json_at(out2, "/stream") == "<missing>");
}

TEST_CASE("encode picks max_tokens: request, option, model family table") {
  chat_request req = foreign_request();
  auto max_for = [&](std::string model, std::int64_t option = 0) {
    req.model = std::move(model);
    return json_at(encode_ok(req, encode_options{option, 0}), "/max_tokens");
  };
  CHECK(max_for("claude-3-haiku-20240307") == "4096");
  CHECK(max_for("claude-3-5-sonnet-latest") == "8192");
  CHECK(max_for("claude-3-5-haiku-20241022") == "8192");
  CHECK(max_for("claude-3-7-sonnet-20250219") == "64000");
  CHECK(max_for("claude-sonnet-4-5-20250929") == "64000");
  CHECK(max_for("anthropic/claude-haiku-4-5") == "64000");
  CHECK(max_for("claude-opus-4-1") == "32000");
  CHECK(max_for("my-alias") == "32000");
  CHECK(max_for("claude-3-haiku-20240307", 1234) == "1234");
  req.max_tokens = 77;
  CHECK(max_for("claude-3-haiku-20240307", 1234) == "77");
}

TEST_CASE("encode maps reasoning effort and thinking configs") {
  chat_request req = foreign_request();
  req.max_tokens = 10000;
  auto thinking = [&]() { return json_at(encode_ok(req), "/thinking"); };
  CHECK(thinking() == "<missing>");
  req.reasoning.effort = "low";
  CHECK(thinking() == canonical_json(R"({"type":"enabled","budget_tokens":1024})"));
  req.reasoning.effort = "medium";
  CHECK(thinking() == canonical_json(R"({"type":"enabled","budget_tokens":2048})"));
  req.reasoning.effort = "high";
  CHECK(thinking() == canonical_json(R"({"type":"enabled","budget_tokens":4096})"));
  CHECK(json_at(encode_ok(req), "/output_config") == "<missing>");
  req.reasoning.effort = "none";
  CHECK(thinking() == "<missing>");
  // Adaptive carries the effort in output_config.
  req.reasoning = {reasoning_config::mode::adaptive, "high", {}};
  CHECK(thinking() == canonical_json(R"({"type":"adaptive"})"));
  CHECK(json_at(encode_ok(req), "/output_config") == canonical_json(R"({"effort":"high"})"));
  // disabled is said only to... an Anthropic client's own request.
  req.reasoning = {reasoning_config::mode::disabled, "", {}};
  CHECK(thinking() == "<missing>");
  req.origin = dialect::anthropic;
  CHECK(thinking() == canonical_json(R"({"type":"disabled"})"));
  req.origin = dialect::openai;
  // A budget at or above max_tokens raises max_tokens (A.8.6).
  req.reasoning = {reasoning_config::mode::enabled, "", 12000};
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/thinking") == canonical_json(R"({"type":"enabled","budget_tokens":12000})"));
  CHECK(json_at(out, "/max_tokens") == "22000");
  // Thinking on: no sampling changes for a foreign client (A.8.7) ...
  req.sampling.temperature = 0.2;
  req.sampling.top_k = 5;
  const std::string t = encode_ok(req);
  CHECK(json_at(t, "/temperature") == "<missing>");
  CHECK(json_at(t, "/top_k") == "<missing>");
  // ... and a forced tool wins over thinking.
  req.tools.push_back(tool_spec{"function", "f", "", "", {}, {}, {}});
  req.tool_choice = {tool_choice::mode::tool, "f"};
  const std::string forced = encode_ok(req);
  CHECK(json_at(forced, "/thinking") == "<missing>");
  CHECK(json_at(forced, "/temperature") == "0.2");
}

TEST_CASE("encode maps response_format json_schema to output_config.format") {
  chat_request req = foreign_request();
  req.response_format = R"({"type":"json_schema","json_schema":{"name":"x","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}})";
  CHECK(json_at(encode_ok(req), "/output_config") ==
        canonical_json(R"({"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}}})"));
  req.response_format = R"({"type":"json_object"})";
  CHECK(json_at(encode_ok(req), "/output_config") == "<missing>");
}

TEST_CASE("encode writes images, PDFs and tool-result parts as Anthropic blocks") {
  chat_request req = foreign_request();
  message user;
  user.role = role::user;
  user.parts_form = true;
  user.content.emplace_back(image_block{"data:image/webp;base64,UklGR", "", "", "high", ""});
  user.content.emplace_back(image_block{"https://x/y.png", "", "", "", ""});
  user.content.emplace_back(image_block{"", "application/pdf", "JVBERi0=", "", ""});
  req.messages[0] = user;
  message asst;
  asst.role = role::assistant;
  asst.content.emplace_back(call("c", "shot", "{}"));
  req.messages.push_back(asst);
  message tool = tool_message("c", "");
  auto& res = std::get<tool_result_block>(tool.content[0]);
  res.content.emplace_back(image_block{"", "image/png", "iVBOR", "", ""});
  res.is_error = true;
  req.messages.push_back(tool);
  const std::string out = encode_ok(req);
  CHECK(json_at(out, "/messages/0/content") == canonical_json(R"([
    {"type":"image","source":{"type":"base64","media_type":"image/webp","data":"UklGR"}},
    {"type":"image","source":{"type":"url","url":"https://x/y.png"}},
    {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}])"));
  CHECK(json_at(out, "/messages/2/content/0") == canonical_json(R"({"type":"tool_result","tool_use_id":"c",
    "content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}],"is_error":true})"));
}

TEST_CASE("encode errors only for what Anthropic cannot express") {
  chat_request req = foreign_request();
  message asst;
  asst.role = role::assistant;
  asst.content.emplace_back(text_block{"t", {}});
  asst.content.emplace_back(call("c", "f", "[1,2]"));
  req.messages.push_back(asst);
  auto r = an::encode_request(req, {});
  REQUIRE_FALSE(r);
  CHECK(r.error_value().code == errc::unsupported);
  CHECK(r.error_value().path == "$.messages[1].content[1].arguments");
  std::get<tool_call_block>(req.messages[1].content[1]).arguments = "{\"a\":";
  CHECK_FALSE(an::encode_request(req, {}));

  chat_request server = foreign_request();
  tool_spec web;
  web.kind = "web_search_20250305";
  web.name = "web_search";
  server.tools.push_back(web);
  auto r2 = an::encode_request(server, {});
  REQUIRE_FALSE(r2);
  CHECK(r2.error_value().code == errc::unsupported);
  CHECK(r2.error_value().path == "$.tools[0]");

  chat_request utf = foreign_request();
  utf.messages[0].content[0] = text_block{"bad \xff byte", {}};
  auto r3 = an::encode_request(utf, {});
  REQUIRE_FALSE(r3);
  CHECK(r3.error_value().code == errc::unsupported);
}

// ---------------------------------------------------------------------------------------------
// Bad request bodies: an error with a path, never a crash.

TEST_CASE("bad request bodies give invalid_json / invalid_request with the path") {
  struct bad_case {
    std::string body;
    errc code;
    std::string path;
  };
  const std::string ok_msgs = R"("messages":[{"role":"user","content":"hi"}])";
  const std::vector<bad_case> cases = {
      {"", errc::invalid_json, "$"},
      {"{", errc::invalid_json, "$"},
      {R"({"model":"m",})", errc::invalid_json, "$"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}])", errc::invalid_json, "$"},  // truncated
      {"{\"model\":\"m\xff\",\"max_tokens\":5," + ok_msgs + "}", errc::invalid_json, "$"},
      {"[]", errc::invalid_request, "$"},
      {R"({"max_tokens":5,)" + ok_msgs + "}", errc::invalid_request, "$.model"},
      {R"({"model":"m",)" + ok_msgs + "}", errc::invalid_request, "$.max_tokens"},
      {R"({"model":"m","max_tokens":null,)" + ok_msgs + "}", errc::invalid_request, "$.max_tokens"},
      {R"({"model":"m","max_tokens":5})", errc::invalid_request, "$.messages"},
      {R"({"model":7,"max_tokens":5,)" + ok_msgs + "}", errc::invalid_request, "$.model"},
      {R"({"model":"m","max_tokens":"5",)" + ok_msgs + "}", errc::invalid_request, "$.max_tokens"},
      {R"({"model":"m","max_tokens":1.5,)" + ok_msgs + "}", errc::invalid_request, "$.max_tokens"},
      {R"({"model":"m","max_tokens":0,)" + ok_msgs + "}", errc::invalid_request, "$.max_tokens"},
      {R"({"model":"m","max_tokens":5,"messages":{}})", errc::invalid_request, "$.messages"},
      {R"({"model":"m","max_tokens":5,"messages":["hi"]})", errc::invalid_request, "$.messages[0]"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a"},{"role":"tool","content":"x"}]})",
       errc::invalid_request, "$.messages[1].role"},
      {R"({"model":"m","max_tokens":5,"messages":[{"content":"x"}]})", errc::invalid_request, "$.messages[0].role"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user"}]})", errc::invalid_request, "$.messages[0].content"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":3}]})", errc::invalid_request, "$.messages[0].content"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"text":"x"}]}]})", errc::invalid_request, "$.messages[0].content[0].type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text"}]}]})", errc::invalid_request, "$.messages[0].content[0].text"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":1}]}]})", errc::invalid_request, "$.messages[0].content[0].text"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"hologram"}]}]})", errc::invalid_request, "$.messages[0].content[0].type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"b","input":{}}]}]})", errc::invalid_request, "$.messages[0].content[0].type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_result","tool_use_id":"a"}]}]})", errc::invalid_request, "$.messages[0].content[0].type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"system","content":[{"type":"image","source":{}}]}]})", errc::invalid_request, "$.messages[0].content[0].type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"b","input":"{}"}]}]})", errc::invalid_request, "$.messages[0].content[0].input"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"b","input":{}}]}]})", errc::invalid_request, "$.messages[0].content[0].id"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"thinking","signature":"s"}]}]})", errc::invalid_request, "$.messages[0].content[0].thinking"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result"}]}]})", errc::invalid_request, "$.messages[0].content[0].tool_use_id"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","is_error":"yes"}]}]})", errc::invalid_request, "$.messages[0].content[0].is_error"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"video"}]}]}]})", errc::invalid_request, "$.messages[0].content[0].content[0].type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image"}]}]})", errc::invalid_request, "$.messages[0].content[0].source"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","data":"x"}}]}]})", errc::invalid_request, "$.messages[0].content[0].source.media_type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"ftp"}}]}]})", errc::invalid_request, "$.messages[0].content[0].source.type"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]})", errc::unsupported, "$.messages[0].content[0].source"},
      {R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":"yes"}]}]})", errc::invalid_request, "$.messages[0].content[0].cache_control"},
      {R"({"model":"m","max_tokens":5,"system":5,)" + ok_msgs + "}", errc::invalid_request, "$.system"},
      {R"({"model":"m","max_tokens":5,"system":[{"type":"image"}],)" + ok_msgs + "}", errc::invalid_request, "$.system[0].type"},
      {R"({"model":"m","max_tokens":5,"tools":{},)" + ok_msgs + "}", errc::invalid_request, "$.tools"},
      {R"({"model":"m","max_tokens":5,"tools":[{"description":"d"}],)" + ok_msgs + "}", errc::invalid_request, "$.tools[0].name"},
      {R"({"model":"m","max_tokens":5,"tools":[{"name":"a","input_schema":"{}"}],)" + ok_msgs + "}", errc::invalid_request, "$.tools[0].input_schema"},
      {R"({"model":"m","max_tokens":5,"tools":[{"name":"a","strict":"yes"}],)" + ok_msgs + "}", errc::invalid_request, "$.tools[0].strict"},
      {R"({"model":"m","max_tokens":5,"tool_choice":"auto",)" + ok_msgs + "}", errc::invalid_request, "$.tool_choice"},
      {R"({"model":"m","max_tokens":5,"tool_choice":{"type":"required"},)" + ok_msgs + "}", errc::invalid_request, "$.tool_choice.type"},
      {R"({"model":"m","max_tokens":5,"tool_choice":{"type":"tool"},)" + ok_msgs + "}", errc::invalid_request, "$.tool_choice.name"},
      {R"({"model":"m","max_tokens":5,"stop_sequences":"END",)" + ok_msgs + "}", errc::invalid_request, "$.stop_sequences"},
      {R"({"model":"m","max_tokens":5,"stop_sequences":["a",1],)" + ok_msgs + "}", errc::invalid_request, "$.stop_sequences[1]"},
      {R"({"model":"m","max_tokens":5,"temperature":"hot",)" + ok_msgs + "}", errc::invalid_request, "$.temperature"},
      {R"({"model":"m","max_tokens":5,"top_k":2.5,)" + ok_msgs + "}", errc::invalid_request, "$.top_k"},
      {R"({"model":"m","max_tokens":5,"stream":"true",)" + ok_msgs + "}", errc::invalid_request, "$.stream"},
      {R"({"model":"m","max_tokens":5,"metadata":{"user_id":5},)" + ok_msgs + "}", errc::invalid_request, "$.metadata.user_id"},
      {R"({"model":"m","max_tokens":5,"thinking":{"type":"sometimes"},)" + ok_msgs + "}", errc::invalid_request, "$.thinking.type"},
      {R"({"model":"m","max_tokens":5,"thinking":{"type":"enabled"},)" + ok_msgs + "}", errc::invalid_request, "$.thinking.budget_tokens"},
      {R"({"model":"m","max_tokens":5,"thinking":true,)" + ok_msgs + "}", errc::invalid_request, "$.thinking"},
      {R"({"model":"m","max_tokens":5,"output_config":{"effort":3},)" + ok_msgs + "}", errc::invalid_request, "$.output_config.effort"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    const error e = decode_err(c.body);
    CHECK(e.code == c.code);
    CHECK(e.path == c.path);
    CHECK(e.http_status == 400);
    CHECK_FALSE(e.message.empty());
  }
}

TEST_CASE("10k-level nesting is an error with a path, not a crash") {
  std::string deep = R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"context_management":)";
  deep += std::string(10000, '[') + std::string(10000, ']') + "}";
  const error e = decode_err(deep);
  CHECK(e.code == errc::invalid_json);
  CHECK(e.path == "$");
  std::string deep_obj;
  for (int i = 0; i < 10000; ++i) deep_obj += "{\"a\":";
  CHECK(decode_err(deep_obj).code == errc::invalid_json);
}

TEST_CASE("a 50 MB body decodes and encodes") {
  std::string text(50u * 1024 * 1024, 'x');
  for (std::size_t i = 0; i < text.size(); i += 1000) text[i] = '\n';
  std::string body = R"({"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":")";
  body.reserve(body.size() + text.size() + 64);
  for (char c : text) {
    if (c == '\n') {
      body += "\\n";
    } else {
      body += c;
    }
  }
  body += R"("}]})";
  const chat_request req = decode_ok(body);
  REQUIRE(req.messages.size() == 1);
  CHECK(req.messages[0].joined_text().size() == text.size());
  const std::string out = encode_ok(req);
  CHECK(out.size() > text.size());
}

// ---------------------------------------------------------------------------------------------
// Responses.

TEST_CASE("an Anthropic response decodes and round-trips") {
  const std::string body = R"({"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5",
    "content":[{"type":"thinking","thinking":"plan","signature":"sigA"},
      {"type":"text","text":"Let me check.","citations":null},
      {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},
      {"type":"tool_use","id":"toolu_9","name":"Read","input":{"file_path":"/x"}}],
    "stop_reason":"tool_use","stop_sequence":null,
    "usage":{"input_tokens":12,"output_tokens":34,"cache_creation_input_tokens":5,"cache_read_input_tokens":100,
      "cache_creation":{"ephemeral_5m_input_tokens":5,"ephemeral_1h_input_tokens":0},"service_tier":"standard"},
    "container":null})";
  auto r = an::decode_response(body);
  REQUIRE(r);
  const chat_response& resp = *r;
  CHECK(resp.origin == dialect::anthropic);
  CHECK(resp.id == "msg_01XYZ");
  CHECK(resp.model == "claude-sonnet-4-5");
  CHECK(resp.finish == finish_reason::tool_calls);
  CHECK(resp.usage.present);
  CHECK(resp.usage.input_tokens == 12);
  CHECK(resp.usage.output_tokens == 34);
  CHECK(resp.usage.cache_write_tokens == 5);
  CHECK(resp.usage.cache_read_tokens == 100);
  CHECK(resp.usage.prompt_tokens() == 117);
  REQUIRE(resp.message.content.size() == 3);  // the server block is skipped
  CHECK(std::get<reasoning_block>(resp.message.content[0]).signature == "sigA");
  CHECK(std::get<tool_call_block>(resp.message.content[2]).arguments == R"({"file_path":"/x"})");
  REQUIRE(resp.extra.items.size() == 2);
  CHECK(resp.extra.items[0].first == "usage");
  CHECK(resp.extra.items[1].first == "container");

  auto out = an::encode_response(resp);
  REQUIRE(out);
  std::string expected = body;
  const auto server = expected.find(R"({"type":"server_tool_use")");
  expected.erase(server, expected.find(R"({"type":"tool_use")") - server);
  const auto cit = expected.find(R"(,"citations":null)");
  expected.erase(cit, 17);
  CHECK(canonical_json(*out) == canonical_json(expected));
}

TEST_CASE("decode_response reads stop reasons, stop sequences and null cache fields") {
  auto r = an::decode_response(R"({"id":"m","type":"message","role":"assistant","model":"x","content":[{"type":"text","text":"a"},{"type":"future_block","x":1}],
    "stop_reason":"stop_sequence","stop_sequence":"###","usage":{"input_tokens":1,"output_tokens":2,"cache_creation_input_tokens":null}})");
  REQUIRE(r);
  CHECK(r->finish == finish_reason::stop_sequence);
  CHECK(r->stop_sequence == "###");
  CHECK(r->message.content.size() == 1);
  CHECK(r->usage.cache_write_tokens == 0);
  auto err_body = an::decode_response(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  REQUIRE_FALSE(err_body);
  CHECK(err_body.error_value().code == errc::upstream_http);
  CHECK(err_body.error_value().http_status == 503);
  CHECK(err_body.error_value().message == "Overloaded");
  for (std::string_view bad : {R"({"id":"m","type":"message"})", R"({"content":{}})", R"({"content":[],"type":"completion"})",
                               R"({"content":[],"usage":{"input_tokens":"1"}})", R"({"content":[1]})", "[", "\"\xff\""}) {
    INFO(bad);
    auto e = an::decode_response(bad);
    REQUIRE_FALSE(e);
    CHECK((e.error_value().code == errc::invalid_request || e.error_value().code == errc::invalid_json));
    CHECK_FALSE(e.error_value().path.empty());
  }
}

TEST_CASE("encode_response from a foreign upstream follows A.4") {
  chat_response resp;
  resp.origin = dialect::openai;
  resp.model = "qwen3";
  resp.finish = finish_reason::stop;  // Ollama-style: calls but "stop"
  resp.message.content.emplace_back(call("", "Read", R"({"file_path":"/a"})"));
  resp.message.content.emplace_back(call("functions.Bash:1", "Bash", ""));
  resp.message.content.emplace_back(text_block{"", {}});
  resp.message.content.emplace_back(text_block{"I will read.", {}});
  resp.message.content.emplace_back(reasoning_block{"thinking...", "", false, ""});
  resp.extra.set("system_fingerprint", R"("fp")");
  auto out = an::encode_response(resp);
  REQUIRE(out);
  const std::string& o = *out;
  CHECK(string_at(o, "/id").rfind("msg_", 0) == 0);
  CHECK(string_at(o, "/type") == "message");
  CHECK(string_at(o, "/role") == "assistant");
  CHECK(json_at(o, "/content/0") == canonical_json(R"({"type":"thinking","thinking":"thinking...","signature":""})"));
  CHECK(json_at(o, "/content/1") == canonical_json(R"({"type":"text","text":"I will read."})"));
  CHECK(string_at(o, "/content/2/type") == "tool_use");
  CHECK(string_at(o, "/content/2/id").rfind("toolu_", 0) == 0);
  CHECK(valid_tool_id(string_at(o, "/content/2/id")));
  CHECK(string_at(o, "/content/3/id") == "functions_Bash_1");
  CHECK(json_at(o, "/content/3/input") == "{}");
  CHECK(json_at(o, "/content/4") == "<missing>");
  CHECK(string_at(o, "/stop_reason") == "tool_use");
  CHECK(json_at(o, "/stop_sequence") == "null");
  CHECK(json_at(o, "/usage") == canonical_json(
      R"({"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0})"));
  CHECK(o.find("system_fingerprint") == std::string::npos);
  // Same input, same synthesized ids.
  CHECK(*an::encode_response(resp) == o);

  chat_response text_only;
  text_only.origin = dialect::ollama;
  text_only.id = "chatcmpl-1";
  text_only.finish = finish_reason::length;
  text_only.message.content.emplace_back(text_block{"partial", {}});
  auto t = an::encode_response(text_only);
  REQUIRE(t);
  CHECK(string_at(*t, "/id") == "chatcmpl-1");
  CHECK(string_at(*t, "/stop_reason") == "max_tokens");
  text_only.finish = finish_reason::stop_sequence;
  text_only.stop_sequence = "END";
  CHECK(string_at(*an::encode_response(text_only), "/stop_sequence") == "END");

  chat_response bad = text_only;
  bad.message.content.emplace_back(call("c", "f", "not json"));
  auto b = an::encode_response(bad);
  REQUIRE_FALSE(b);
  CHECK(b.error_value().code == errc::unsupported);
  CHECK(b.error_value().path == "$.message.content[1].arguments");
}

// ---------------------------------------------------------------------------------------------
// Errors and finish reasons.

TEST_CASE("encode_error uses Anthropic's error types by status") {
  const std::vector<std::pair<int, std::string>> table = {
      {400, "invalid_request_error"}, {401, "authentication_error"}, {403, "permission_error"},
      {404, "not_found_error"},       {413, "request_too_large"},    {429, "rate_limit_error"},
      {500, "api_error"},             {503, "overloaded_error"},     {529, "overloaded_error"},
      {502, "api_error"},             {422, "invalid_request_error"}};
  for (const auto& [status, type] : table) {
    error e = make_error(errc::invalid_request, "bad thing", "$.messages[0]");
    e.http_status = status;
    const std::string body = an::encode_error(e);
    INFO(body);
    CHECK(string_at(body, "/type") == "error");
    CHECK(string_at(body, "/error/type") == type);
    CHECK(string_at(body, "/error/message") == "bad thing (at $.messages[0])");
  }
  const std::string bad = an::encode_error(make_error(errc::internal, "broken \xff text"));
  CHECK(canonical_json(bad).rfind("<invalid", 0) == std::string::npos);
  CHECK(string_at(bad, "/error/type") == "api_error");
}

TEST_CASE("decode_error reads Anthropic and other shapes, and 529 becomes 503") {
  error e = an::decode_error(529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  CHECK(e.code == errc::upstream_http);
  CHECK(e.http_status == 503);
  CHECK(e.message == "Overloaded");
  e = an::decode_error(429, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})");
  CHECK(e.http_status == 429);
  CHECK(e.message == "slow down");
  CHECK(an::decode_error(400, R"({"error":{"message":"oa style","type":"invalid_request_error"}})").message == "oa style");
  CHECK(an::decode_error(404, R"({"error":"model not found"})").message == "model not found");
  e = an::decode_error(502, "<html>Bad gateway</html>");
  CHECK(e.http_status == 502);
  CHECK(e.message == "upstream returned HTTP 502");
  CHECK(an::decode_error(500, "").message == "upstream returned HTTP 500");
  // An error event after 200: the status comes from the error type.
  CHECK(an::decode_error(200, R"({"type":"error","error":{"type":"rate_limit_error","message":"x"}})").http_status == 429);
}

TEST_CASE("finish reasons map both ways") {
  CHECK(an::parse_finish_reason("end_turn") == finish_reason::stop);
  CHECK(an::parse_finish_reason("stop_sequence") == finish_reason::stop_sequence);
  CHECK(an::parse_finish_reason("max_tokens") == finish_reason::length);
  CHECK(an::parse_finish_reason("tool_use") == finish_reason::tool_calls);
  CHECK(an::parse_finish_reason("refusal") == finish_reason::content_filter);
  CHECK(an::parse_finish_reason("pause_turn") == finish_reason::pause);
  CHECK(an::parse_finish_reason("model_context_window_exceeded") == finish_reason::length);
  CHECK(an::parse_finish_reason("compaction") == finish_reason::length);
  CHECK(an::parse_finish_reason("brand_new") == finish_reason::stop);
  CHECK(std::string(an::finish_reason_name(finish_reason::stop)) == "end_turn");
  CHECK(std::string(an::finish_reason_name(finish_reason::stop_sequence)) == "stop_sequence");
  CHECK(std::string(an::finish_reason_name(finish_reason::length)) == "max_tokens");
  CHECK(std::string(an::finish_reason_name(finish_reason::tool_calls)) == "tool_use");
  CHECK(std::string(an::finish_reason_name(finish_reason::content_filter)) == "refusal");
  CHECK(std::string(an::finish_reason_name(finish_reason::pause)) == "pause_turn");
  CHECK(std::string(an::finish_reason_name(finish_reason::none)) == "end_turn");
}
