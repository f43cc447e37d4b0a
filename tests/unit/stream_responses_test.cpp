// Tests of the OpenAI Responses stream encoder and decoder: the `response.*` event sequence
// Codex reads, from every upstream dialect, in any chunking.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <harness/stream.h>

#include "framing/sse.h"
#include "json_compare.h"
#include "test_support.h"

using namespace harness;
using harness_test::json_at;
using harness_test::string_at;

namespace {

std::string data(const std::string& rel) {
  return harness_test::read_file(harness_test::data_path(rel));
}

stream_encoder_options options(std::vector<std::string> freeform = {}) {
  stream_encoder_options o;
  o.model = "client-model";
  o.id = "resp_fixed";
  o.created = 1700000000;
  o.freeform_tools = std::move(freeform);
  return o;
}

std::string translate(dialect from, const std::string& input, std::size_t chunk = 0,
                      std::vector<std::string> freeform = {}) {
  stream_translator t(from, dialect::responses, options(std::move(freeform)));
  std::string out;
  const std::size_t step = chunk == 0 ? input.size() + 1 : chunk;
  for (std::size_t i = 0; i < input.size(); i += step) t.feed(std::string_view(input).substr(i, step), out);
  t.finish(out);
  return out;
}

struct sse {
  std::string name;
  std::string json;
};

std::vector<sse> events_of(const std::string& bytes) {
  std::vector<sse> out;
  detail::sse_reader r;
  auto on = [&](const detail::sse_event& e) { out.push_back({std::string(e.event), std::string(e.data)}); };
  r.feed(bytes, on);
  r.finish(on);
  return out;
}

std::vector<std::string> types(const std::vector<sse>& evs) {
  std::vector<std::string> out;
  for (const auto& e : evs) out.push_back(string_at(e.json, "/type"));
  return out;
}

// Shared invariants: event name = type, sequence numbers 0, 1, 2, ..., one terminal event last.
void check_well_formed(const std::vector<sse>& evs) {
  REQUIRE(evs.size() >= 3);
  for (std::size_t i = 0; i < evs.size(); ++i) {
    INFO(evs[i].json);
    CHECK(evs[i].name == string_at(evs[i].json, "/type"));
    CHECK(json_at(evs[i].json, "/sequence_number") == std::to_string(i));
  }
  CHECK(evs[0].name == "response.created");
  CHECK(evs[1].name == "response.in_progress");
  const std::string last = evs.back().name;
  const bool terminal = last == "response.completed" || last == "response.incomplete" ||
                        last == "response.failed";
  CHECK(terminal);
}

std::vector<stream_event> text_turn() {
  std::vector<stream_event> evs(7);
  evs[0].type = stream_event::kind::message_start;
  evs[1].type = stream_event::kind::block_start;
  evs[2].text = "Hel";
  evs[3].text = "lo";
  evs[4].type = stream_event::kind::block_stop;
  evs[5].type = stream_event::kind::finish;
  evs[5].finish = finish_reason::stop;
  evs[6].type = stream_event::kind::message_stop;
  return evs;
}

std::string encode(const std::vector<stream_event>& evs, std::vector<std::string> freeform = {}) {
  auto enc = make_stream_encoder(dialect::responses, options(std::move(freeform)));
  std::string out;
  for (const auto& e : evs) enc->encode(e, out);
  return out;
}

stream_event tool_start(std::size_t index, std::string id, std::string name) {
  stream_event e;
  e.type = stream_event::kind::block_start;
  e.index = index;
  e.block = block_type::tool_call;
  e.id = std::move(id);
  e.name = std::move(name);
  return e;
}

stream_event delta(std::size_t index, std::string text) {
  stream_event e;
  e.index = index;
  e.text = std::move(text);
  return e;
}

stream_event stop(std::size_t index) {
  stream_event e;
  e.type = stream_event::kind::block_stop;
  e.index = index;
  return e;
}

}  // namespace

TEST_CASE("a text turn: the official event sequence with ids and indexes") {
  const auto evs = events_of(encode(text_turn()));
  check_well_formed(evs);
  CHECK(types(evs) == std::vector<std::string>{
                          "response.created", "response.in_progress", "response.output_item.added",
                          "response.content_part.added", "response.output_text.delta",
                          "response.output_text.delta", "response.output_text.done",
                          "response.content_part.done", "response.output_item.done",
                          "response.completed"});
  CHECK(string_at(evs[0].json, "/response/id") == "resp_fixed");
  CHECK(string_at(evs[0].json, "/response/status") == "in_progress");
  CHECK(string_at(evs[0].json, "/response/model") == "client-model");
  CHECK(json_at(evs[0].json, "/response/output") == "[]");
  const std::string item = string_at(evs[2].json, "/item/id");
  CHECK(item.rfind("msg_", 0) == 0);
  CHECK(string_at(evs[2].json, "/item/type") == "message");
  CHECK(string_at(evs[2].json, "/item/status") == "in_progress");
  for (std::size_t i = 3; i <= 7; ++i) {
    CHECK(string_at(evs[i].json, "/item_id") == item);
    CHECK(json_at(evs[i].json, "/output_index") == "0");
    CHECK(json_at(evs[i].json, "/content_index") == "0");
  }
  CHECK(string_at(evs[4].json, "/delta") == "Hel");
  CHECK(string_at(evs[6].json, "/text") == "Hello");
  CHECK(string_at(evs[7].json, "/part/text") == "Hello");
  CHECK(string_at(evs[8].json, "/item/content/0/text") == "Hello");
  CHECK(string_at(evs[8].json, "/item/status") == "completed");
  CHECK(string_at(evs[9].json, "/response/status") == "completed");
  CHECK(string_at(evs[9].json, "/response/output/0/content/0/text") == "Hello");
}

TEST_CASE("parallel tool calls from Anthropic: reasoning, text, two function_call items") {
  const std::string out = translate(dialect::anthropic, data("streams/anthropic-parallel.sse"));
  const auto evs = events_of(out);
  check_well_formed(evs);
  const std::string done = evs.back().json;
  CHECK(string_at(done, "/type") == "response.completed");
  CHECK(string_at(done, "/response/output/0/type") == "reasoning");
  CHECK(string_at(done, "/response/output/0/summary/0/text") == "Two tools.");
  CHECK(string_at(done, "/response/output/0/encrypted_content") == "sig==");
  CHECK(string_at(done, "/response/output/1/type") == "message");
  CHECK(string_at(done, "/response/output/2/type") == "function_call");
  CHECK(string_at(done, "/response/output/2/call_id") == "toolu_A");
  CHECK(string_at(done, "/response/output/2/name") == "Read");
  CHECK(string_at(done, "/response/output/3/type") == "function_call");
  CHECK(string_at(done, "/response/output/3/call_id") == "toolu_B");
  // usage: input counts cache reads and writes, as OpenAI does
  CHECK(json_at(done, "/response/usage/input_tokens") == "62");
  CHECK(json_at(done, "/response/usage/input_tokens_details/cached_tokens") == "7");
  // argument deltas concatenate to the done arguments, per output_index
  for (const char* index : {"2", "3"}) {
    std::string args, final_args;
    for (const auto& e : evs) {
      if (json_at(e.json, "/output_index") != index) continue;
      if (e.name == "response.function_call_arguments.delta") args += string_at(e.json, "/delta");
      if (e.name == "response.function_call_arguments.done") final_args = string_at(e.json, "/arguments");
    }
    INFO(index);
    CHECK(!args.empty());
    CHECK(args == final_args);
  }
  // The golden file pins the whole sequence byte for byte, with the options of `harness-cli
  // translate --from anthropic --to responses --kind stream` (model and id echoed from the
  // upstream) and created_at fixed. It was reviewed event by event against the API reference.
  stream_encoder_options cli;
  cli.created = 1700000000;
  cli.include_usage = true;
  stream_translator golden(dialect::anthropic, dialect::responses, cli);
  std::string pinned;
  golden.feed(data("streams/anthropic-parallel.sse"), pinned);
  golden.finish(pinned);
  CHECK(pinned == data("streams/anthropic-parallel.responses.sse"));
}

TEST_CASE("a freeform tool call streams as custom_tool_call input, unwrapped from {input}") {
  std::vector<stream_event> evs = text_turn();
  evs.erase(evs.begin() + 1, evs.begin() + 5);  // no text
  evs.insert(evs.begin() + 1, tool_start(0, "call_p", "apply_patch"));
  evs.insert(evs.begin() + 2, delta(0, R"({"inp)"));
  evs.insert(evs.begin() + 3, delta(0, R"(ut":"*** Begin Patch\n+hi\n)"));
  evs.insert(evs.begin() + 4, delta(0, R"(*** End Patch\n"})"));
  evs.insert(evs.begin() + 5, stop(0));
  evs[6].finish = finish_reason::tool_calls;
  const auto out = events_of(encode(evs, {"apply_patch"}));
  check_well_formed(out);
  CHECK(types(out) == std::vector<std::string>{
                          "response.created", "response.in_progress", "response.output_item.added",
                          "response.custom_tool_call_input.delta",
                          "response.custom_tool_call_input.done", "response.output_item.done",
                          "response.completed"});
  CHECK(string_at(out[2].json, "/item/type") == "custom_tool_call");
  CHECK(string_at(out[2].json, "/item/id").rfind("ctc_", 0) == 0);
  const std::string patch = "*** Begin Patch\n+hi\n*** End Patch\n";
  CHECK(string_at(out[3].json, "/delta") == patch);
  CHECK(string_at(out[4].json, "/input") == patch);
  CHECK(string_at(out[5].json, "/item/input") == patch);
  CHECK(string_at(out[5].json, "/item/call_id") == "call_p");
  CHECK(string_at(out[6].json, "/response/output/0/name") == "apply_patch");
  // the same call to a function tool stays a function_call with the JSON arguments
  const auto plain = events_of(encode(evs));
  CHECK(string_at(plain[2].json, "/item/type") == "function_call");
  CHECK(string_at(plain[3].json, "/type") == "response.function_call_arguments.delta");
}

TEST_CASE("a call to a tool of a namespace group carries its namespace in every item event") {
  std::vector<stream_event> evs = text_turn();
  evs.erase(evs.begin() + 1, evs.begin() + 5);  // no text
  evs.insert(evs.begin() + 1, tool_start(0, "call_s", "spawn_agent"));
  evs.insert(evs.begin() + 2, delta(0, R"({"task":"x"})"));
  evs.insert(evs.begin() + 3, stop(0));
  evs[4].finish = finish_reason::tool_calls;
  auto opt = options();
  opt.tool_namespaces = {{"spawn_agent", "multi_agent_v1"}};
  auto enc = make_stream_encoder(dialect::responses, std::move(opt));
  std::string bytes;
  for (const auto& e : evs) enc->encode(e, bytes);
  const auto out = events_of(bytes);
  check_well_formed(out);
  REQUIRE(out.size() == 7);
  CHECK(string_at(out[2].json, "/item/name") == "spawn_agent");
  CHECK(string_at(out[2].json, "/item/namespace") == "multi_agent_v1");
  CHECK(string_at(out[5].json, "/item/namespace") == "multi_agent_v1");
  CHECK(string_at(out[6].json, "/response/output/0/namespace") == "multi_agent_v1");
  // a tool outside any group has no namespace member at all
  const auto plain = events_of(encode(evs));
  CHECK(json_at(plain[2].json, "/item/namespace") == "<missing>");
  CHECK(json_at(plain[6].json, "/response/output/0/namespace") == "<missing>");
}

TEST_CASE("an upstream error mid-stream: an error event, then response.failed") {
  std::vector<stream_event> evs = text_turn();
  evs.resize(3);  // start, text block, one delta
  stream_event err;
  err.type = stream_event::kind::error;
  err.err = make_error(errc::upstream_http, "upstream exploded");
  evs.push_back(err);
  auto enc = make_stream_encoder(dialect::responses, options());
  std::string bytes;
  for (const auto& e : evs) enc->encode(e, bytes);
  CHECK(enc->closed());
  enc->encode(text_turn().back(), bytes);  // ignored once closed
  const auto out = events_of(bytes);
  check_well_formed(out);
  REQUIRE(out.size() >= 2);
  const sse& e = out[out.size() - 2];
  CHECK(e.name == "error");
  CHECK(string_at(e.json, "/message") == "upstream exploded");
  CHECK(string_at(e.json, "/code") == "server_error");
  CHECK(json_at(e.json, "/param") == "null");
  CHECK(string_at(out.back().json, "/response/status") == "failed");
  CHECK(string_at(out.back().json, "/response/error/message") == "upstream exploded");

  // A truncated upstream stream ends the same way (no cut stream for the client).
  const std::string cut = data("captures/openai-chat-tool_call.stream.sse").substr(0, 600);
  const auto truncated = events_of(translate(dialect::openai, cut));
  check_well_formed(truncated);
  CHECK(truncated.back().name == "response.failed");
  CHECK(truncated[truncated.size() - 2].name == "error");
}

TEST_CASE("length is response.incomplete with reason max_output_tokens") {
  std::vector<stream_event> evs = text_turn();
  evs[5].finish = finish_reason::length;
  const auto out = events_of(encode(evs));
  check_well_formed(out);
  CHECK(out.back().name == "response.incomplete");
  CHECK(string_at(out.back().json, "/response/status") == "incomplete");
  CHECK(string_at(out.back().json, "/response/incomplete_details/reason") == "max_output_tokens");
}

TEST_CASE("output is byte-identical for whole, 1-byte and random chunking of every upstream") {
  const std::vector<std::pair<std::string, dialect>> inputs = {
      {"captures/openai-chat-tool_call.stream.sse", dialect::openai},
      {"captures/openai-chat-text.stream.sse", dialect::openai},
      {"captures/anthropic-messages-tool_use.stream.sse", dialect::anthropic},
      {"streams/anthropic-parallel.sse", dialect::anthropic},
      {"streams/ollama-tool-call.ndjson", dialect::ollama},
      {"captures/openai-responses-function_call.stream.sse", dialect::responses},
      {"captures/openai-responses-text.stream.sse", dialect::responses},
  };
  for (const auto& [file, from] : inputs) {
    INFO(file);
    const std::string input = data(file);
    const std::string whole = translate(from, input);
    check_well_formed(events_of(whole));
    CHECK(events_of(whole).back().name == "response.completed");
    CHECK(translate(from, input, 1) == whole);
    std::mt19937 rng(7);
    stream_translator t(from, dialect::responses, options());
    std::string out;
    for (std::size_t pos = 0; pos < input.size();) {
      const std::size_t n = 1 + rng() % 37;
      t.feed(std::string_view(input).substr(pos, n), out);
      pos += n;
    }
    t.finish(out);
    CHECK(out == whole);
  }
}

TEST_CASE("a Responses upstream stream decodes to the same call and text") {
  const auto fc = events_of(translate(dialect::responses,
                                      data("captures/openai-responses-function_call.stream.sse")));
  const std::string done = fc.back().json;
  CHECK(string_at(done, "/response/output/0/type") == "function_call");
  CHECK(string_at(done, "/response/output/0/name") == "exec_command");
  CHECK(string_at(done, "/response/output/0/call_id").rfind("call_", 0) == 0);
  CHECK(string_at(string_at(done, "/response/output/0/arguments"), "/cmd").find("hello.txt") !=
        std::string::npos);
  CHECK(json_at(done, "/response/usage/output_tokens") == "15");
  const auto text = events_of(translate(dialect::responses,
                                        data("captures/openai-responses-text.stream.sse")));
  // The text is what the deltas said (capture_server's deltas end in a space its done text lacks).
  CHECK(string_at(text.back().json, "/response/output/0/content/0/text") == "Done. CAPTURE_OK ");

  // Responses -> Chat Completions: one tool call with its arguments.
  stream_translator t(dialect::responses, dialect::openai, stream_encoder_options{});
  std::string out;
  t.feed(data("captures/openai-responses-function_call.stream.sse"), out);
  t.finish(out);
  CHECK(out.find(R"("name":"exec_command")") != std::string::npos);
  CHECK(out.find(R"("finish_reason":"tool_calls")") != std::string::npos);
  CHECK(out.find("data: [DONE]") != std::string::npos);
}
