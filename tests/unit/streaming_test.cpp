// Streaming translation: every pair of dialects, under every chunking, with the invariants of
// translation.md A.4a-A.6 and B.5.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <map>
#include <random>

#include <harness/stream.h>

#include "framing/ndjson.h"
#include "framing/sse.h"
#include "json_compare.h"
#include "test_support.h"

using namespace harness;
using harness_test::canonical_json;
using harness_test::json_at;
using harness_test::string_at;

namespace {

struct golden {
  const char* file;
  dialect from;
};

const golden goldens[] = {
    {"captures/openai-chat-tool_call.stream.sse", dialect::openai},
    {"captures/openai-chat-text.stream.sse", dialect::openai},
    {"captures/anthropic-messages-tool_use.stream.sse", dialect::anthropic},
    {"captures/anthropic-messages-text.stream.sse", dialect::anthropic},
    {"streams/anthropic-parallel.sse", dialect::anthropic},
    {"streams/ollama-tool-call.ndjson", dialect::ollama},
};

std::string translate(dialect from, dialect to, const std::string& input,
                      const std::vector<std::size_t>& cuts, bool include_usage = true) {
  stream_encoder_options o;
  o.model = "client-model";
  o.id = "fixed-id";
  o.created = 1700000000;
  o.include_usage = include_usage;
  stream_translator t(from, to, o);
  std::string out;
  std::size_t pos = 0;
  for (std::size_t cut : cuts) {
    t.feed(std::string_view(input).substr(pos, cut - pos), out);
    pos = cut;
  }
  t.feed(std::string_view(input).substr(pos), out);
  t.finish(out);
  return out;
}

std::vector<std::size_t> every_byte(std::size_t n) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < n; ++i) cuts.push_back(i);
  return cuts;
}

std::vector<std::size_t> random_cuts(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::size_t> cuts;
  std::size_t pos = 0;
  while (true) {
    pos += 1 + rng() % 23;
    if (pos >= n) break;
    cuts.push_back(pos);
  }
  return cuts;
}

// The data payloads of an SSE stream, in order.
std::vector<std::string> sse_data(const std::string& bytes) {
  std::vector<std::string> out;
  detail::sse_reader r;
  auto on = [&](const detail::sse_event& e) { out.emplace_back(e.data); };
  r.feed(bytes, on);
  r.finish(on);
  return out;
}

std::vector<std::string> sse_names(const std::string& bytes) {
  std::vector<std::string> out;
  detail::sse_reader r;
  auto on = [&](const detail::sse_event& e) { out.emplace_back(e.event); };
  r.feed(bytes, on);
  r.finish(on);
  return out;
}

std::vector<std::string> lines(const std::string& bytes) {
  std::vector<std::string> out;
  detail::ndjson_reader r;
  auto on = [&](std::string_view l) { out.emplace_back(l); };
  r.feed(bytes, on);
  r.finish(on);
  return out;
}

std::vector<stream_event> decode_all(dialect d, const std::string& input, std::size_t chunk) {
  auto dec = make_stream_decoder(d);
  std::vector<stream_event> events;
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    dec->feed(std::string_view(input).substr(i, chunk), events);
  }
  dec->finish(events);
  return events;
}

std::string describe(const std::vector<stream_event>& events) {
  std::string s;
  for (const auto& e : events) {
    s += std::to_string(static_cast<int>(e.type)) + "/" + std::to_string(e.index) + "/" + e.id +
         "/" + e.name + "/" + e.text + "/" + to_string(e.finish) + "/" +
         std::to_string(e.usage.output_tokens) + ";";
  }
  return s;
}

}  // namespace

TEST_CASE("decoders give the same events under every chunking") {
  for (const auto& g : goldens) {
    const std::string input = harness_test::read_file(harness_test::data_path(g.file));
    const auto whole = describe(decode_all(g.from, input, input.size()));
    INFO(g.file);
    CHECK(describe(decode_all(g.from, input, 1)) == whole);
    CHECK(describe(decode_all(g.from, input, 7)) == whole);
    CHECK(whole.find(std::to_string(static_cast<int>(stream_event::kind::message_stop))) !=
          std::string::npos);
  }
}

TEST_CASE("feed_each hands over the same events as feed, in a reused object") {
  struct copy_sink final : stream_event_sink {
    std::vector<stream_event> events;
    std::vector<const stream_event*> addresses;
    void on_event(const stream_event& ev) override {
      events.push_back(ev);
      addresses.push_back(&ev);
    }
  };
  for (const auto& g : goldens) {
    const std::string input = harness_test::read_file(harness_test::data_path(g.file));
    INFO(g.file);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, input.size()}) {
      auto dec = make_stream_decoder(g.from);
      copy_sink sink;
      for (std::size_t i = 0; i < input.size(); i += chunk) {
        dec->feed_each(std::string_view(input).substr(i, chunk), sink);
      }
      dec->finish_each(sink);
      CHECK(describe(sink.events) == describe(decode_all(g.from, input, chunk)));
      REQUIRE(sink.events.size() > 2);
      // One object, refilled for every event: nothing is allocated per event.
      CHECK(sink.addresses.front() == sink.addresses.back());
    }
  }
}

TEST_CASE("translation output is byte-identical for whole, 1-byte and random chunking") {
  for (const auto& g : goldens) {
    const std::string input = harness_test::read_file(harness_test::data_path(g.file));
    for (dialect to : {dialect::openai, dialect::anthropic, dialect::ollama}) {
      INFO(g.file << " -> " << to_string(to));
      const std::string whole = translate(g.from, to, input, {});
      CHECK_FALSE(whole.empty());
      CHECK(translate(g.from, to, input, every_byte(input.size())) == whole);
      for (unsigned seed : {1U, 2U, 3U}) {
        CHECK(translate(g.from, to, input, random_cuts(input.size(), seed)) == whole);
      }
    }
  }
}

TEST_CASE("Anthropic to OpenAI: tool calls indexed per call, ids once, finish and usage") {
  const std::string input =
      harness_test::read_file(harness_test::data_path("streams/anthropic-parallel.sse"));
  const auto chunks = sse_data(translate(dialect::anthropic, dialect::openai, input, {}));
  REQUIRE(chunks.size() >= 6);
  CHECK(chunks.back() == "[DONE]");
  CHECK(string_at(chunks.front(), "/choices/0/delta/role") == "assistant");

  std::map<std::string, std::string> args;  // tool index -> concatenated arguments
  std::vector<std::string> first_ids;
  std::string text;
  std::string reasoning;
  std::string finish;
  std::string usage_chunk;
  for (const auto& c : chunks) {
    if (c == "[DONE]") continue;
    CHECK(string_at(c, "/object") == "chat.completion.chunk");
    CHECK(string_at(c, "/id") == "fixed-id");
    if (json_at(c, "/choices") == "[]") {
      usage_chunk = c;
      continue;
    }
    CHECK(json_at(c, "/usage") == "null");  // only the usage chunk carries usage
    if (json_at(c, "/choices/0/delta/content") != "<missing>") text += string_at(c, "/choices/0/delta/content");
    if (json_at(c, "/choices/0/delta/reasoning_content") != "<missing>") {
      reasoning += string_at(c, "/choices/0/delta/reasoning_content");
    }
    if (json_at(c, "/choices/0/finish_reason") != "null") finish = string_at(c, "/choices/0/finish_reason");
    for (int k = 0; k < 4; ++k) {
      const std::string p = "/choices/0/delta/tool_calls/" + std::to_string(k);
      if (json_at(c, p) == "<missing>") break;
      const std::string idx = json_at(c, p + "/index");
      if (json_at(c, p + "/id") != "<missing>") {
        first_ids.push_back(string_at(c, p + "/id"));
        CHECK(string_at(c, p + "/type") == "function");
        CHECK(json_at(c, p + "/function/name") != "<missing>");
      } else {
        CHECK(json_at(c, p + "/function/name") == "<missing>");  // name only on the first chunk
      }
      args[idx] += string_at(c, p + "/function/arguments");
    }
  }
  CHECK(text == "On it — ");
  CHECK(reasoning == "Two tools.");
  CHECK(first_ids == std::vector<std::string>{"toolu_A", "toolu_B"});
  REQUIRE(args.size() == 2);
  CHECK(canonical_json(args["0"]) == R"({"file_path":"/a.txt"})");
  CHECK(args["1"] == "{}");  // zero-argument call still gets valid JSON (C.7)
  CHECK(finish == "tool_calls");
  REQUIRE_FALSE(usage_chunk.empty());
  CHECK(json_at(usage_chunk, "/usage/prompt_tokens") == "62");  // 50 + 7 read + 5 write
  CHECK(json_at(usage_chunk, "/usage/completion_tokens") == "42");
  CHECK(json_at(usage_chunk, "/usage/prompt_tokens_details/cached_tokens") == "7");
}

TEST_CASE("no usage chunk unless the client asked for it") {
  const std::string input =
      harness_test::read_file(harness_test::data_path("streams/anthropic-parallel.sse"));
  for (const auto& c : sse_data(translate(dialect::anthropic, dialect::openai, input, {}, false))) {
    CHECK(json_at(c, "/choices") != "[]");
    const std::string expected = c == "[DONE]" ? "<invalid JSON>" : "<missing>";
    CHECK(json_at(c, "/usage") == expected);
  }
}

TEST_CASE("OpenAI and Ollama to Anthropic: block lifecycle, input_json_delta, tool_use stop") {
  for (const auto* file : {"captures/openai-chat-tool_call.stream.sse", "streams/ollama-tool-call.ndjson"}) {
    INFO(file);
    const dialect from = std::string(file).find("ollama") != std::string::npos ? dialect::ollama : dialect::openai;
    const std::string input = harness_test::read_file(harness_test::data_path(file));
    const std::string out = translate(from, dialect::anthropic, input, {});
    const auto names = sse_names(out);
    const auto data = sse_data(out);
    REQUIRE(names.size() == data.size());
    REQUIRE(names.size() >= 5);
    CHECK(names.front() == "message_start");
    CHECK(names.back() == "message_stop");
    CHECK(names[names.size() - 2] == "message_delta");
    CHECK(json_at(data.front(), "/message/usage/input_tokens") != "<missing>");
    std::int64_t open = -1;
    std::int64_t expected_next = 0;
    std::string tool_json;
    for (std::size_t i = 0; i < names.size(); ++i) {
      CHECK(string_at(data[i], "/type") == names[i]);  // data type repeats the event name
      if (names[i] == "content_block_start") {
        CHECK(open == -1);  // never two open blocks
        open = std::stoll(json_at(data[i], "/index"));
        CHECK(open == expected_next++);
      } else if (names[i] == "content_block_delta") {
        CHECK(std::stoll(json_at(data[i], "/index")) == open);
        if (string_at(data[i], "/delta/type") == "input_json_delta") {
          tool_json += string_at(data[i], "/delta/partial_json");
        }
        const bool empty_text = string_at(data[i], "/delta/type") == "text_delta" &&
                                string_at(data[i], "/delta/text").empty();
        CHECK_FALSE(empty_text);
      } else if (names[i] == "content_block_stop") {
        CHECK(std::stoll(json_at(data[i], "/index")) == open);
        open = -1;
      }
    }
    CHECK(string_at(data[data.size() - 2], "/delta/stop_reason") == "tool_use");
    CHECK(json_at(data[data.size() - 2], "/usage/output_tokens") != "<missing>");
    CHECK(tool_json.find("hello") != std::string::npos);
  }
}

TEST_CASE("Ollama to OpenAI: arguments stringified, running index, stable ids, tool_calls finish") {
  const std::string input =
      harness_test::read_file(harness_test::data_path("streams/ollama-tool-call.ndjson"));
  const auto chunks = sse_data(translate(dialect::ollama, dialect::openai, input, {}));
  std::vector<std::string> ids;
  std::vector<std::string> indexes;
  std::string finish;
  for (const auto& c : chunks) {
    if (c == "[DONE]" || json_at(c, "/choices") == "[]") continue;
    if (json_at(c, "/choices/0/delta/tool_calls/0/id") != "<missing>") {
      ids.push_back(string_at(c, "/choices/0/delta/tool_calls/0/id"));
      indexes.push_back(json_at(c, "/choices/0/delta/tool_calls/0/index"));
    }
    if (json_at(c, "/choices/0/finish_reason") != "null") finish = string_at(c, "/choices/0/finish_reason");
  }
  REQUIRE(ids.size() == 2);
  CHECK(ids[0].rfind("call_", 0) == 0);
  CHECK(ids[1] == "call_abc12345");
  CHECK(indexes == std::vector<std::string>{"0", "1"});
  CHECK(finish == "tool_calls");  // native Ollama says "stop"; tool calls were sent
  // The same input decoded again gives the same synthesized id.
  const auto again = sse_data(translate(dialect::ollama, dialect::openai, input, every_byte(input.size())));
  CHECK(again == chunks);
}

TEST_CASE("upstream errors and truncation end the client stream properly") {
  const std::string anth_error =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
  auto oa = sse_data(translate(dialect::anthropic, dialect::openai, anth_error, {}));
  REQUIRE_FALSE(oa.empty());
  CHECK(string_at(oa.back(), "/error/message") == "Overloaded");

  // Truncated: no message_stop. Every client dialect gets a final error.
  const std::string full =
      harness_test::read_file(harness_test::data_path("captures/anthropic-messages-tool_use.stream.sse"));
  const std::string cut = full.substr(0, full.size() / 2);
  CHECK(string_at(sse_data(translate(dialect::anthropic, dialect::openai, cut, {})).back(),
                  "/error/message") == "upstream ended the stream early");
  const std::string to_anth = translate(dialect::anthropic, dialect::anthropic, cut, {});
  CHECK(sse_names(to_anth).back() == "error");
  CHECK(string_at(sse_data(to_anth).back(), "/error/type") == "api_error");
  const auto ol = lines(translate(dialect::anthropic, dialect::ollama, cut, {}));
  CHECK(json_at(ol.back(), "/error") != "<missing>");

  // Garbage instead of SSE.
  const std::string garbage = "<html>502 Bad Gateway</html>\n\nnot json at all\n";
  for (dialect from : {dialect::openai, dialect::anthropic, dialect::ollama}) {
    const auto out = sse_data(translate(from, dialect::openai, garbage, {}));
    REQUIRE_FALSE(out.empty());
    CHECK(json_at(out.back(), "/error/message") != "<missing>");
  }
  // An OpenAI upstream's in-band error.
  const std::string oa_err = "data: {\"error\":{\"message\":\"quota exceeded\",\"type\":\"x\"}}\n\n";
  CHECK(sse_names(translate(dialect::openai, dialect::anthropic, oa_err, {})).back() == "error");
  // Ollama's {"error": "..."} line.
  const std::string ol_err = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}\n{\"error\":\"model crashed\"}\n";
  CHECK(string_at(sse_data(translate(dialect::ollama, dialect::openai, ol_err, {})).back(),
                  "/error/message") == "model crashed");
}

TEST_CASE("an event with an empty data field ends the client stream with an error") {
  // fuzz_stream: "data:" with nothing after it reached simdjson as a null pointer (UB).
  const std::string empty_data = "event: response.created\ndata:\n\n";
  for (dialect from : {dialect::openai, dialect::anthropic, dialect::responses}) {
    stream_translator t(from, dialect::openai, {});
    std::string out;
    t.feed(empty_data, out);
    t.finish(out);
    CHECK(t.closed());
    const auto chunks = sse_data(out);
    REQUIRE_FALSE(chunks.empty());
    CHECK(json_at(chunks.back(), "/error/message") != "<missing>");
  }
}

TEST_CASE("an empty but complete upstream stream gives a well-formed empty message") {
  const std::string empty = "data: [DONE]\n\n";
  const auto names = sse_names(translate(dialect::openai, dialect::anthropic, empty, {}));
  REQUIRE(names.size() >= 3);
  CHECK(names.front() == "message_start");
  CHECK(names.back() == "message_stop");
}

TEST_CASE("OpenAI to OpenAI keeps text and tool calls (pass-through)") {
  const std::string input =
      harness_test::read_file(harness_test::data_path("captures/openai-chat-tool_call.stream.sse"));
  const auto chunks = sse_data(translate(dialect::openai, dialect::openai, input, {}));
  std::string args;
  std::string name;
  for (const auto& c : chunks) {
    if (c == "[DONE]" || json_at(c, "/choices") == "[]") continue;
    if (json_at(c, "/choices/0/delta/tool_calls/0/function/name") != "<missing>") {
      name = string_at(c, "/choices/0/delta/tool_calls/0/function/name");
    }
    if (json_at(c, "/choices/0/delta/tool_calls/0/function/arguments") != "<missing>") {
      args += string_at(c, "/choices/0/delta/tool_calls/0/function/arguments");
    }
  }
  CHECK(name == "write");
  CHECK(json_at(args, "/content") == "\"hello from capture server\\n\"");
}

#if !defined(__SANITIZE_ADDRESS__)
TEST_CASE("memory stays bounded by the largest event on a 100 MB stream") {
  // A long text stream, fed in 64 KiB pieces and translated; the output is dropped as it goes.
  const std::string delta =
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
      "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + std::string(200, 'x') + "\"}}\n\n";
  const std::string head =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
  std::string piece;
  while (piece.size() < 64 * 1024) piece += delta;
  stream_encoder_options o;
  o.model = "m";
  stream_translator t(dialect::anthropic, dialect::openai, o);
  std::string out;
  t.feed(head, out);
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  std::size_t total = 0;
  std::size_t produced = 0;
  while (total < 100u * 1024 * 1024) {
    t.feed(piece, out);
    total += piece.size();
    produced += out.size();
    out.clear();
  }
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  CHECK(produced > 50u * 1024 * 1024);  // the text really went through
  // ru_maxrss is in KiB: the translation must not have grown by anything like the stream.
  CHECK(after.ru_maxrss - before.ru_maxrss < 16 * 1024);
}
#endif
