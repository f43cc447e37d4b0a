// Tests of the OpenAI Responses codec (requests, responses, errors), from real Codex captures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <harness/codec.h>
#include <harness/translate.h>

#include "codec/responses/responses.h"
#include "json_compare.h"
#include "test_support.h"

using namespace harness;
using harness_test::canonical_json;
using harness_test::json_at;
using harness_test::string_at;
namespace rs = harness::detail::responses;

namespace {

std::string capture(const std::string& name) {
  return harness_test::read_file(harness_test::data_path("captures/" + name));
}

chat_request decode_ok(std::string_view body) {
  auto r = rs::decode_request(body);
  INFO((r ? std::string() : r.error_value().describe()));
  REQUIRE(r);
  return *r;
}

std::string encode_ok(const chat_request& req) {
  auto r = rs::encode_request(req, {});
  INFO((r ? std::string() : r.error_value().describe()));
  REQUIRE(r);
  return *r;
}

error decode_err(std::string_view body) {
  auto r = rs::decode_request(body);
  REQUIRE_FALSE(r);
  CHECK(r.error_value().http_status == 400);
  return r.error_value();
}

void check_error(std::string_view body, errc code, std::string_view path) {
  INFO(body);
  const error e = decode_err(body);
  CHECK(e.code == code);
  CHECK(e.path == path);
}

std::string with_input(std::string_view input) {
  return R"({"model":"m","input":)" + std::string(input) + "}";
}

const tool_spec* find_tool(const chat_request& req, std::string_view name) {
  for (const auto& t : req.tools) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const std::vector<std::string> codex_captures = {"codex-01.request.json", "codex-02.request.json",
                                                 "codex-03.request.json", "codex-04.request.json"};

}  // namespace

// ---- real Codex requests ---------------------------------------------------------------------

TEST_CASE("Codex turn 1: developer and user items, function, namespace and hosted tools") {
  const chat_request req = decode_ok(capture("codex-01.request.json"));
  CHECK(req.origin == dialect::responses);
  CHECK(req.model == "test-model");
  CHECK(req.stream);
  REQUIRE(req.messages.size() == 4);
  CHECK(req.messages[0].role == role::developer);
  CHECK(req.messages[1].role == role::developer);
  CHECK(req.messages[1].content.size() == 2);  // two input_text parts
  CHECK(req.messages[3].role == role::user);
  CHECK(req.messages[3].joined_text() == "create hello.txt with a greeting");
  // 4 functions + the 5 tools of namespace multi_agent_v1 + 3 functions + web_search
  CHECK(req.tools.size() == 13);
  const tool_spec* exec = find_tool(req, "exec_command");
  REQUIRE(exec != nullptr);
  CHECK(exec->kind == "function");
  CHECK(exec->strict == false);
  CHECK(string_at(exec->parameters, "/properties/cmd/type") == "string");
  const tool_spec* spawn = find_tool(req, "spawn_agent");
  REQUIRE(spawn != nullptr);
  CHECK(spawn->kind == "function");
  CHECK(spawn->extra.find("$namespace") != nullptr);
  const tool_spec* web = find_tool(req, "web_search");
  REQUIRE(web != nullptr);
  CHECK(web->kind == "web_search");
  CHECK(req.tool_choice.kind == tool_choice::mode::auto_);
  CHECK(req.parallel_tool_calls == true);
  CHECK(req.extra.find("store") != nullptr);
  CHECK(*req.extra.find("include") == R"(["reasoning.encrypted_content"])");
  CHECK(req.extra.find("prompt_cache_key") != nullptr);
  CHECK(req.extra.find("client_metadata") != nullptr);
  CHECK(json_at(*req.extra.find("reasoning"), "/summary") == "\"auto\"");
  CHECK(req.reasoning.effort.empty());
  CHECK(freeform_tools(req).empty());
  const auto ns = tool_namespaces(req);
  CHECK(ns.size() == 5);
  CHECK(std::count(ns.begin(), ns.end(), std::pair<std::string, std::string>{"spawn_agent", "multi_agent_v1"}) == 1);
  CHECK(std::none_of(ns.begin(), ns.end(), [](const auto& p) { return p.first == "exec_command"; }));
}

TEST_CASE("calls to namespaced tools come back to a Responses client with their namespace") {
  const chat_request req = decode_ok(capture("codex-01.request.json"));
  chat_response resp;
  resp.id = "chatcmpl-ns";
  resp.model = "m";
  resp.finish = finish_reason::tool_calls;
  resp.message.content = {tool_call_block{"call_1", "spawn_agent", R"({"message":"go"})", {}},
                          tool_call_block{"call_2", "exec_command", R"({"cmd":"ls"})", {}}};
  auto out = encode_response(dialect::responses, resp, {freeform_tools(req), tool_namespaces(req)});
  REQUIRE(out);
  CHECK(string_at(*out, "/output/0/name") == "spawn_agent");
  CHECK(string_at(*out, "/output/0/namespace") == "multi_agent_v1");
  CHECK(json_at(*out, "/output/1/namespace") == "<missing>");
  // Other clients never see the member.
  auto chat = encode_response(dialect::openai, resp, {freeform_tools(req), tool_namespaces(req)});
  REQUIRE(chat);
  CHECK(chat->find("namespace") == std::string::npos);
}

TEST_CASE("Codex turn 2: function_call and function_call_output become a call and its result") {
  const chat_request req = decode_ok(capture("codex-02.request.json"));
  REQUIRE(req.messages.size() == 6);
  const message& a = req.messages[4];
  CHECK(a.role == role::assistant);
  const auto calls = a.tool_calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]->id == "call_22643f16f30944559777");
  CHECK(calls[0]->name == "exec_command");
  CHECK(string_at(calls[0]->arguments, "/cmd").find("hello.txt") != std::string::npos);
  const message& t = req.messages[5];
  CHECK(t.role == role::tool);
  REQUIRE(t.content.size() == 1);
  const auto& r = std::get<tool_result_block>(t.content[0]);
  CHECK(r.tool_call_id == "call_22643f16f30944559777");
  CHECK(r.name == "exec_command");
  CHECK(r.joined_text().rfind("Chunk ID:", 0) == 0);
}

TEST_CASE("Codex with a known model: apply_patch is a freeform tool every upstream can call") {
  const chat_request req = decode_ok(capture("codex-03.request.json"));
  const tool_spec* patch = find_tool(req, "apply_patch");
  REQUIRE(patch != nullptr);
  CHECK(patch->kind == "function");
  CHECK(string_at(patch->parameters, "/properties/input/type") == "string");
  CHECK(json_at(patch->parameters, "/required") == R"(["input"])");
  // The grammar reaches the model through the description of `input`.
  CHECK(string_at(patch->parameters, "/properties/input/description").find("*** Begin Patch") !=
        std::string::npos);
  CHECK(freeform_tools(req) == std::vector<std::string>{"apply_patch"});
  CHECK(req.reasoning.effort == "medium");
  CHECK(json_at(*req.extra.find("text"), "/verbosity") == "\"low\"");
  CHECK(req.response_format.empty());
  const tool_spec* search = find_tool(req, "tool_search");
  REQUIRE(search != nullptr);
  CHECK(search->kind == "tool_search");

  // Onto every other dialect: apply_patch is an ordinary function, hosted tools are left out
  // (the gateway drops them before encoding and names them in x-harness-dropped-tools; the
  // Anthropic encoder on its own refuses them with their path rather than drop them silently).
  auto refused = encode_request(dialect::anthropic, req);
  REQUIRE_FALSE(refused);
  CHECK(refused.error_value().code == errc::unsupported);
  CHECK(refused.error_value().path.rfind("$.tools[", 0) == 0);
  chat_request functions_only = req;
  std::erase_if(functions_only.tools, [](const tool_spec& t) { return t.kind != "function"; });
  for (dialect d : {dialect::openai, dialect::anthropic, dialect::ollama}) {
    auto out = encode_request(d, functions_only);
    INFO(to_string(d));
    REQUIRE(out);
    CHECK(out->find("\"apply_patch\"") != std::string::npos);
    CHECK(out->find("web_search") == std::string::npos);
    CHECK(out->find("tool_search") == std::string::npos);
  }
  auto oa = encode_request(dialect::openai, req);
  REQUIRE(oa);
  CHECK(string_at(*oa, "/reasoning_effort") == "medium");
}

TEST_CASE("Codex turn 2 with apply_patch: custom_tool_call input is wrapped as {input}") {
  chat_request req = decode_ok(capture("codex-04.request.json"));
  const message& a = req.messages[req.messages.size() - 2];
  const auto calls = a.tool_calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]->name == "apply_patch");
  CHECK(string_at(calls[0]->arguments, "/input") ==
        "*** Begin Patch\n*** Add File: hello.txt\n+hello from capture server\n*** End Patch\n");
  const auto& r = std::get<tool_result_block>(req.messages.back().content[0]);
  CHECK(r.tool_call_id == calls[0]->id);
  CHECK(r.name == "apply_patch");

  // Effort medium, but the call has no signed thinking before it: Anthropic would answer 400
  // to thinking here (translation.md A.1), so none is asked for. Turn 1 still thinks.
  chat_request turn2 = req;
  std::erase_if(turn2.tools, [](const tool_spec& t) { return t.kind != "function"; });
  auto an = encode_request(dialect::anthropic, turn2);
  REQUIRE(an);
  CHECK(json_at(*an, "/thinking") == "<missing>");
  chat_request turn1 = decode_ok(capture("codex-03.request.json"));
  std::erase_if(turn1.tools, [](const tool_spec& t) { return t.kind != "function"; });
  auto first = encode_request(dialect::anthropic, turn1);
  REQUIRE(first);
  CHECK(string_at(*first, "/thinking/type") == "enabled");

  // Written back as Responses: the same custom items.
  const std::string out = encode_ok(req);
  const std::string items = json_at(out, "/input");
  CHECK(items.find(R"("type":"custom_tool_call")") != std::string::npos);
  CHECK(items.find(R"("type":"custom_tool_call_output")") != std::string::npos);
  CHECK(items.find(R"("input":"*** Begin Patch\n)") != std::string::npos);
}

TEST_CASE("every Codex capture round-trips through the canonical form unchanged") {
  for (const auto& name : codex_captures) {
    INFO(name);
    const chat_request first = decode_ok(capture(name));
    const std::string encoded = encode_ok(first);
    const chat_request second = decode_ok(encoded);
    CHECK(second == first);
    // and the body keeps its fields (item ids and statuses are not modelled)
    CHECK(json_at(encoded, "/tools") == json_at(capture(name), "/tools"));
    CHECK(json_at(encoded, "/client_metadata") == json_at(capture(name), "/client_metadata"));
    CHECK(json_at(encoded, "/reasoning") == json_at(capture(name), "/reasoning"));
  }
}

TEST_CASE("harness translate: a Codex request onto Chat Completions keeps the conversation") {
  auto out = translate_request(dialect::responses, dialect::openai, capture("codex-02.request.json"));
  REQUIRE(out);
  CHECK(string_at(*out, "/messages/0/role") == "system");  // the encoder's choice for developer
  CHECK(string_at(*out, "/messages/4/tool_calls/0/id") == "call_22643f16f30944559777");
  CHECK(string_at(*out, "/messages/5/role") == "tool");
  CHECK(string_at(*out, "/tools/0/function/name") == "exec_command");
  CHECK(json_at(*out, "/store") == "<missing>");  // Responses-only fields stay behind
}

// ---- every mapping ---------------------------------------------------------------------------

TEST_CASE("instructions and a string input: a system message, then the user's") {
  const chat_request req =
      decode_ok(R"({"input":"hi","model":"m","instructions":"Be brief.","max_output_tokens":300,
                   "temperature":0.2,"top_p":0.9,"stream":false,"user":"u-1","metadata":{"a":"b"}})");
  REQUIRE(req.messages.size() == 2);
  CHECK(req.messages[0].role == role::system);
  CHECK(req.messages[0].joined_text() == "Be brief.");
  CHECK(req.messages[1].role == role::user);
  CHECK(req.messages[1].joined_text() == "hi");
  CHECK(req.max_tokens == 300);
  CHECK(req.sampling.temperature == 0.2);
  CHECK(req.sampling.top_p == 0.9);
  CHECK(req.user == "u-1");
  CHECK(*req.extra.find("metadata") == R"({"a":"b"})");
  const std::string out = encode_ok(req);
  CHECK(string_at(out, "/instructions") == "Be brief.");
  CHECK(json_at(out, "/max_output_tokens") == "300");
  auto an = encode_request(dialect::anthropic, req);
  REQUIRE(an);
  CHECK(json_at(*an, "/system").find("Be brief.") != std::string::npos);
  CHECK(json_at(*an, "/max_tokens") == "300");
}

TEST_CASE("message items: roles, content parts, images, files and refusals") {
  const chat_request req = decode_ok(with_input(R"([
    {"role":"system","content":"sys"},
    {"type":"message","role":"developer","content":[{"type":"input_text","text":"dev"}]},
    {"role":"user","content":[{"type":"input_text","text":"look"},
      {"type":"input_image","image_url":"data:image/png;base64,iVBORw0K","detail":"high"},
      {"type":"input_image","image_url":"https://x.test/a.jpg"},
      {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBER"}]},
    {"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok","annotations":[]},
      {"type":"refusal","refusal":"no"}]}])"));
  REQUIRE(req.messages.size() == 4);
  CHECK(req.messages[0].role == role::system);
  CHECK(req.messages[1].role == role::developer);
  const message& u = req.messages[2];
  REQUIRE(u.content.size() == 4);
  const auto& png = std::get<image_block>(u.content[1]);
  CHECK(png.media_type == "image/png");
  CHECK(png.data == "iVBORw0K");
  CHECK(png.detail == "high");
  CHECK(std::get<image_block>(u.content[2]).url == "https://x.test/a.jpg");
  CHECK(std::get<image_block>(u.content[3]).media_type == "application/pdf");
  CHECK(req.messages[3].role == role::assistant);
  CHECK(req.messages[3].joined_text() == "okno");
  // images go back as input_image parts, the PDF as an input_file
  const std::string out = encode_ok(req);
  CHECK(string_at(out, "/instructions") == "sys");  // a leading plain system message
  CHECK(string_at(out, "/input/1/content/1/image_url") == "data:image/png;base64,iVBORw0K");
  CHECK(string_at(out, "/input/1/content/3/type") == "input_file");
  CHECK(decode_ok(out) == req);
}

TEST_CASE("reasoning items: summary text and encrypted_content survive as thinking + signature") {
  const chat_request req = decode_ok(with_input(R"([{"role":"user","content":"q"},
    {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"think"}],
     "encrypted_content":"SIG=="},
    {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
    {"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"r"}]}])"));
  REQUIRE(req.messages.size() == 3);
  const message& a = req.messages[1];
  REQUIRE(a.content.size() == 2);  // reasoning and the call share one assistant turn
  const auto& r = std::get<reasoning_block>(a.content[0]);
  CHECK(r.text == "think");
  CHECK(r.signature == "SIG==");
  const auto& res = std::get<tool_result_block>(req.messages[2].content[0]);
  CHECK(res.parts_form);
  CHECK(res.joined_text() == "r");
  // Anthropic gets the signature back on its thinking block.
  auto an = encode_request(dialect::anthropic, req);
  REQUIRE(an);
  CHECK(string_at(*an, "/messages/1/content/0/type") == "thinking");
  CHECK(string_at(*an, "/messages/1/content/0/signature") == "SIG==");
  CHECK(decode_ok(encode_ok(req)) == req);
}

TEST_CASE("tool_choice, parallel_tool_calls and text.format map to their canonical fields") {
  const std::string tools =
      R"("tools":[{"type":"function","name":"f","parameters":{"type":"object"}},
                  {"type":"custom","name":"g","description":"free"}])";
  auto choice = [&](std::string_view c) {
    return decode_ok(R"({"model":"m","input":"x",)" + tools + R"(,"tool_choice":)" +
                     std::string(c) + "}");
  };
  CHECK(choice(R"("none")").tool_choice.kind == tool_choice::mode::none);
  CHECK(choice(R"("required")").tool_choice.kind == tool_choice::mode::required);
  const chat_request fn = choice(R"({"type":"function","name":"f"})");
  CHECK(fn.tool_choice.kind == tool_choice::mode::tool);
  CHECK(fn.tool_choice.name == "f");
  const chat_request custom = choice(R"({"type":"custom","name":"g"})");
  CHECK(custom.tool_choice.name == "g");
  CHECK(json_at(encode_ok(custom), "/tool_choice") == R"({"name":"g","type":"custom"})");
  const chat_request hosted = choice(R"({"type":"web_search_preview"})");
  CHECK(hosted.tool_choice.kind == tool_choice::mode::unset);
  CHECK(hosted.extra.find("tool_choice") != nullptr);
  auto oa = encode_request(dialect::openai, fn);
  REQUIRE(oa);
  CHECK(json_at(*oa, "/tool_choice") == R"({"function":{"name":"f"},"type":"function"})");

  const chat_request p = decode_ok(R"({"model":"m","input":"x","parallel_tool_calls":false,
      "text":{"format":{"type":"json_schema","name":"out","strict":true,
              "schema":{"type":"object","properties":{"a":{"type":"string"}}}}}})");
  CHECK(p.parallel_tool_calls == false);
  CHECK(string_at(p.response_format, "/type") == "json_schema");
  CHECK(string_at(p.response_format, "/json_schema/name") == "out");
  CHECK(json_at(p.response_format, "/json_schema/strict") == "true");
  // A chat request's response_format becomes text.format on the way to Responses.
  auto back = translate_request(dialect::openai, dialect::responses,
                                R"({"model":"m","messages":[{"role":"user","content":"x"}],
      "response_format":{"type":"json_schema","json_schema":{"name":"o","schema":{"type":"object"}}}})");
  REQUIRE(back);
  CHECK(string_at(*back, "/text/format/type") == "json_schema");
  CHECK(string_at(*back, "/text/format/name") == "o");
  CHECK(json_at(*back, "/store") == "false");
}

TEST_CASE("stateful features are a clear 400 in the Responses error shape") {
  for (std::string_view key : {"previous_response_id", "conversation"}) {
    const std::string body = R"({"model":"m","input":"x",")" + std::string(key) + R"(":"resp_1"})";
    check_error(body, errc::unsupported, "$." + std::string(key));
    const std::string wire = encode_error(dialect::responses, decode_err(body));
    CHECK(string_at(wire, "/error/message").find("stateless") != std::string::npos);
    CHECK(string_at(wire, "/error/type") == "invalid_request_error");
    CHECK(string_at(wire, "/error/param") == "$." + std::string(key));
    CHECK(string_at(wire, "/error/code") == "unsupported");
  }
  CHECK(decode_ok(R"({"model":"m","input":"x","previous_response_id":null})").messages.size() == 1);
  check_error(with_input(R"([{"type":"item_reference","id":"msg_1"}])"), errc::unsupported,
              "$.input[0]");
}

TEST_CASE("bad input: an error with the JSON path, never a crash") {
  check_error("{", errc::invalid_json, "$");
  check_error("[]", errc::invalid_request, "$");
  check_error(R"({"input":"x"})", errc::invalid_request, "$.model");
  check_error(R"({"model":"m"})", errc::invalid_request, "$.input");
  check_error(R"({"model":7,"input":"x"})", errc::invalid_request, "$.model");
  check_error(with_input("5"), errc::invalid_request, "$.input");
  check_error(with_input(R"([{"role":"robot","content":"x"}])"), errc::invalid_request,
              "$.input[0].role");
  check_error(with_input(R"([{"role":"user"}])"), errc::invalid_request, "$.input[0].content");
  check_error(with_input(R"([{"role":"user","content":[{"type":"input_audio"}]}])"),
              errc::unsupported, "$.input[0].content[0].type");
  check_error(with_input(R"([{"type":"function_call","name":"f","arguments":"{}"}])"),
              errc::invalid_request, "$.input[0].call_id");
  check_error(with_input(R"([{"type":"function_call_output","call_id":"c","output":5}])"),
              errc::invalid_request, "$.input[0].output");
  check_error(with_input(R"([{"type":"computer_call","call_id":"c"}])"), errc::unsupported,
              "$.input[0].type");
  check_error(R"({"model":"m","input":"x","tools":[{"type":"function"}]})", errc::invalid_request,
              "$.tools[0].name");
  check_error(R"({"model":"m","input":"x","tools":[{"type":"namespace","name":"n","tools":[{"type":"function","name":1}]}]})",
              errc::invalid_request, "$.tools[0].tools[0].name");
  check_error(R"({"model":"m","input":"x","tool_choice":"sometimes"})", errc::invalid_request,
              "$.tool_choice");
  check_error(R"({"model":"m","input":"x","max_output_tokens":"many"})", errc::invalid_request,
              "$.max_output_tokens");
  check_error(R"({"model":"m","input":"x","text":{"format":{"type":"yaml"}}})",
              errc::invalid_request, "$.text.format.type");
  check_error("{\"model\":\"m\",\"input\":\"\xff\xfe\"}", errc::invalid_json, "$");
  const std::string deep =
      R"({"model":"m","input":"x","metadata":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
  check_error(deep, errc::invalid_json, "$");
  CHECK_FALSE(rs::decode_response(deep));
}

// ---- responses -------------------------------------------------------------------------------

TEST_CASE("a canonical response as a Responses object: items, statuses, usage") {
  chat_response resp;
  resp.id = "chatcmpl-9";
  resp.model = "client-model";
  resp.created = 1700000000;
  resp.finish = finish_reason::tool_calls;
  resp.usage = usage{100, 20, 30, 0, 5, true};
  resp.message.content = {reasoning_block{"plan", "SIG", false, {}}, text_block{"Writing.", {}},
                          tool_call_block{"call_1", "exec_command", R"({"cmd":"ls"})", {}},
                          tool_call_block{"toolu_2", "apply_patch", R"({"input":"*** Begin Patch\n"})", {}}};
  auto out = encode_response(dialect::responses, resp, {{"apply_patch"}, {}});
  REQUIRE(out);
  const std::string& j = *out;
  CHECK(string_at(j, "/id") == "resp_chatcmpl-9");
  CHECK(string_at(j, "/object") == "response");
  CHECK(json_at(j, "/created_at") == "1700000000");
  CHECK(string_at(j, "/status") == "completed");
  CHECK(json_at(j, "/incomplete_details") == "null");
  CHECK(string_at(j, "/output/0/type") == "reasoning");
  CHECK(string_at(j, "/output/0/summary/0/text") == "plan");
  CHECK(string_at(j, "/output/0/encrypted_content") == "SIG");
  CHECK(string_at(j, "/output/1/type") == "message");
  CHECK(string_at(j, "/output/1/role") == "assistant");
  CHECK(string_at(j, "/output/1/content/0/type") == "output_text");
  CHECK(string_at(j, "/output/1/content/0/text") == "Writing.");
  CHECK(json_at(j, "/output/1/content/0/annotations") == "[]");
  CHECK(string_at(j, "/output/2/type") == "function_call");
  CHECK(string_at(j, "/output/2/id").rfind("fc_", 0) == 0);
  CHECK(string_at(j, "/output/2/call_id") == "call_1");
  CHECK(string_at(j, "/output/2/arguments") == R"({"cmd":"ls"})");
  CHECK(string_at(j, "/output/2/status") == "completed");
  CHECK(string_at(j, "/output/3/type") == "custom_tool_call");
  CHECK(string_at(j, "/output/3/call_id") == "toolu_2");
  CHECK(string_at(j, "/output/3/input") == "*** Begin Patch\n");
  CHECK(json_at(j, "/usage/input_tokens") == "130");  // cache reads included, as OpenAI counts
  CHECK(json_at(j, "/usage/input_tokens_details/cached_tokens") == "30");
  CHECK(json_at(j, "/usage/output_tokens") == "20");
  CHECK(json_at(j, "/usage/output_tokens_details/reasoning_tokens") == "5");
  CHECK(json_at(j, "/usage/total_tokens") == "150");
  // decoded back: the same turn
  auto back = rs::decode_response(j);
  REQUIRE(back);
  CHECK(back->message.content.size() == 4);
  CHECK(back->finish == finish_reason::tool_calls);
  CHECK(back->usage == resp.usage);
  // without the freeform list, the call is an ordinary function_call
  auto plain = encode_response(dialect::responses, resp);
  REQUIRE(plain);
  CHECK(string_at(*plain, "/output/3/type") == "function_call");
}

TEST_CASE("finish reasons: length is incomplete with max_output_tokens, filters too") {
  chat_response resp;
  resp.model = "m";
  resp.message.content = {text_block{"cut", {}}};
  resp.finish = finish_reason::length;
  auto out = encode_response(dialect::responses, resp);
  REQUIRE(out);
  CHECK(string_at(*out, "/status") == "incomplete");
  CHECK(string_at(*out, "/incomplete_details/reason") == "max_output_tokens");
  CHECK(json_at(*out, "/usage") == "null");
  auto back = rs::decode_response(*out);
  REQUIRE(back);
  CHECK(back->finish == finish_reason::length);
  resp.finish = finish_reason::content_filter;
  out = encode_response(dialect::responses, resp);
  REQUIRE(out);
  CHECK(string_at(*out, "/incomplete_details/reason") == "content_filter");
  resp.finish = finish_reason::stop;
  out = encode_response(dialect::responses, resp);
  REQUIRE(out);
  CHECK(string_at(*out, "/status") == "completed");
}

TEST_CASE("captured Responses replies decode, and translate to the other dialects") {
  auto fc = rs::decode_response(capture("openai-responses-function_call.response.json"));
  REQUIRE(fc);
  CHECK(fc->finish == finish_reason::tool_calls);
  const auto calls = fc->message.tool_calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]->name == "exec_command");
  CHECK(calls[0]->id.rfind("call_", 0) == 0);
  CHECK(fc->usage.present);
  auto text = rs::decode_response(capture("openai-responses-text.response.json"));
  REQUIRE(text);
  CHECK(text->message.joined_text() == "Done. CAPTURE_OK");
  CHECK(text->finish == finish_reason::stop);
  auto an = translate_response(dialect::responses, dialect::anthropic,
                               capture("openai-responses-function_call.response.json"));
  REQUIRE(an);
  CHECK(string_at(*an, "/stop_reason") == "tool_use");
  CHECK(string_at(*an, "/content/0/name") == "exec_command");
  // and an Anthropic reply as Codex would receive it
  auto rsp = translate_response(dialect::anthropic, dialect::responses,
                                capture("anthropic-messages-tool_use.response.json"));
  REQUIRE(rsp);
  CHECK(string_at(*rsp, "/object") == "response");
  CHECK(string_at(*rsp, "/output/0/type") == "message");
  CHECK(string_at(*rsp, "/output/1/type") == "function_call");
  CHECK(string_at(*rsp, "/output/1/name") == "Write");
  CHECK(string_at(string_at(*rsp, "/output/1/arguments"), "/content") == "hello from capture server\n");
}

TEST_CASE("upstream error bodies read in OpenAI's shape") {
  const error e = decode_error(dialect::responses, 429,
                               R"({"error":{"message":"slow down","type":"rate_limit_error"}})");
  CHECK(e.message == "slow down");
  CHECK(e.http_status == 429);
  CHECK(parse_dialect("responses") == dialect::responses);
  CHECK(std::string(to_string(dialect::responses)) == "responses");
}

TEST_CASE("truncated and corrupted Codex bodies are errors, never crashes") {
  const std::string body = capture("codex-04.request.json");
  std::size_t errors = 0, tries = 0;
  for (std::size_t n = 0; n + 2 < body.size(); n += 61) {  // the body ends in "}\n"
    const std::string_view cut(body.data(), n);
    errors += rs::decode_request(cut) ? 0 : 1;
    errors += rs::decode_response(cut) ? 0 : 1;
    tries += 2;
  }
  CHECK(errors == tries);  // no proper prefix is a whole body
  // Type confusion at every structural position: each value swapped for a number.
  std::size_t decoded = 0;
  for (std::size_t at = body.find(": "); at != std::string::npos; at = body.find(": ", at + 1)) {
    std::string mutated = body;
    const std::size_t end = mutated.find_first_of(",\n", at);
    mutated.replace(at + 2, end - at - 2, "7");
    auto r = rs::decode_request(mutated);
    if (r) {
      ++decoded;
      for (dialect d : {dialect::openai, dialect::ollama, dialect::responses}) {
        (void)encode_request(d, *r).has_value();
      }
    } else {
      CHECK_FALSE(r.error_value().path.empty());
    }
  }
  CHECK(decoded > 0);  // unknown fields and free-form values take a number fine
}
