// The native-call guard (guard_calls, stream_guard): repair of broken arguments, calls to
// tools the client did not offer, calls cut by the output limit; streams under any split of
// events into deltas and batches, and clean streams passed on byte for byte.
#include <catch2/catch.hpp>

#include <harness/fixer.h>
#include <harness/stream.h>

#include "test_support.h"

using namespace harness;

namespace {

std::vector<tool_spec> tools(std::initializer_list<const char*> names) {
  std::vector<tool_spec> out;
  for (const char* n : names) {
    tool_spec t;
    t.name = n;
    t.parameters = R"({"type":"object"})";
    out.push_back(t);
  }
  return out;
}

struct call {
  std::string name;
  std::string arguments;
};

// A stream as a decoder gives it: text (when any), then the calls, their arguments in
// `piece`-byte deltas (0: one delta), then the finish.
std::vector<stream_event> stream_of(const std::string& text, const std::vector<call>& calls,
                                    finish_reason finish, std::size_t piece = 0) {
  std::vector<stream_event> out;
  auto add = [&out](stream_event::kind k, std::size_t index = 0) -> stream_event& {
    stream_event& ev = out.emplace_back();
    ev.type = k;
    ev.index = index;
    return ev;
  };
  add(stream_event::kind::message_start).id = "msg";
  std::size_t index = 0;
  if (!text.empty()) {
    add(stream_event::kind::block_start, index).block = block_type::text;
    add(stream_event::kind::delta, index).text = text;
    add(stream_event::kind::block_stop, index);
    ++index;
  }
  for (std::size_t k = 0; k < calls.size(); ++k, ++index) {
    stream_event& start = add(stream_event::kind::block_start, index);
    start.block = block_type::tool_call;
    start.id = "call_" + std::to_string(k);
    start.name = calls[k].name;
    const std::string& args = calls[k].arguments;
    const std::size_t step = piece == 0 ? std::max<std::size_t>(args.size(), 1) : piece;
    for (std::size_t at = 0; at < args.size(); at += step) {
      stream_event& d = add(stream_event::kind::delta, index);
      d.block = block_type::tool_call;
      d.text = args.substr(at, step);
    }
    add(stream_event::kind::block_stop, index).block = block_type::tool_call;
  }
  add(stream_event::kind::finish).finish = finish;
  add(stream_event::kind::message_stop);
  return out;
}

// What a client would assemble from events, in one comparable line; checks the block order
// and that indexes count 0, 1, 2... with no gap.
std::string assemble(const std::vector<stream_event>& events) {
  std::string out;
  std::size_t next = 0;
  for (const auto& ev : events) {
    switch (ev.type) {
      case stream_event::kind::block_start:
        CHECK(ev.index == next);
        ++next;
        out += ev.block == block_type::tool_call ? "[call " + ev.name + " " : "[text ";
        break;
      case stream_event::kind::delta:
        CHECK(ev.index + 1 == next);
        out += ev.text;
        break;
      case stream_event::kind::block_stop:
        CHECK(ev.index + 1 == next);
        out += "]";
        break;
      case stream_event::kind::finish:
        out += std::string(" finish=") + to_string(ev.finish);
        break;
      case stream_event::kind::error:
        out += " error=" + ev.err.message;
        break;
      default:
        break;
    }
  }
  return out;
}

struct guarded {
  std::string assembled;
  guard_report report;
  std::vector<stream_event> events;
};

// Runs the guard over `events` handed over `batch` events at a time (0: all at once).
guarded guard_stream(std::vector<stream_event> events, const std::vector<tool_spec>& offered,
                     std::size_t batch = 0) {
  stream_guard guard(offered);
  guarded g;
  const std::size_t step = batch == 0 ? events.size() : batch;
  for (std::size_t at = 0; at < events.size(); at += step) {
    std::vector<stream_event> part(std::make_move_iterator(events.begin() + static_cast<std::ptrdiff_t>(at)),
                                   std::make_move_iterator(events.begin() + static_cast<std::ptrdiff_t>(std::min(at + step, events.size()))));
    guard.process(part);
    for (auto& ev : part) g.events.push_back(std::move(ev));
  }
  g.assembled = assemble(g.events);
  g.report = guard.report();
  return g;
}

// The same result whatever the argument deltas' size and the batches' size.
guarded guard_every_way(const std::string& text, const std::vector<call>& calls,
                        finish_reason finish, const std::vector<tool_spec>& offered) {
  guarded whole = guard_stream(stream_of(text, calls, finish), offered);
  for (std::size_t piece : {1, 7}) {
    for (std::size_t batch : {0, 1, 3}) {
      guarded other = guard_stream(stream_of(text, calls, finish, piece), offered, batch);
      CHECK(other.assembled == whole.assembled);
      CHECK(other.report.calls_passed == whole.report.calls_passed);
      CHECK(other.report.args_repaired == whole.report.args_repaired);
      CHECK(other.report.unknown_tools_dropped == whole.report.unknown_tools_dropped);
      CHECK(other.report.truncated_calls_refused == whole.report.truncated_calls_refused);
    }
  }
  return whole;
}

chat_response response_of(const std::string& text, const std::vector<call>& calls,
                          finish_reason finish, dialect origin = dialect::openai) {
  chat_response r;
  r.origin = origin;
  if (!text.empty()) r.message.content.emplace_back(text_block{text, {}});
  for (const auto& c : calls) {
    r.message.content.emplace_back(tool_call_block{"id_" + c.name, c.name, c.arguments, {}});
  }
  r.message.content_null = text.empty();
  r.finish = finish;
  return r;
}

std::string encode(dialect d, const std::vector<stream_event>& events) {
  stream_encoder_options o;
  o.model = "m";
  o.id = "fixed";
  o.created = 1700000000;
  o.include_usage = true;
  auto enc = make_stream_encoder(d, o);
  std::string out;
  for (const auto& ev : events) enc->encode(ev, out);
  return out;
}

std::vector<stream_event> decode(dialect d, const std::string& bytes) {
  auto dec = make_stream_decoder(d);
  std::vector<stream_event> out;
  dec->feed(bytes, out);
  dec->finish(out);
  return out;
}

}  // namespace

TEST_CASE("guard: a clean stream passes byte for byte") {
  struct capture {
    const char* file;
    dialect d;
    std::vector<tool_spec> offered;
  };
  const capture captures[] = {
      {"captures/openai-chat-tool_call.stream.sse", dialect::openai, tools({"write", "read"})},
      {"captures/anthropic-messages-tool_use.stream.sse", dialect::anthropic, tools({"Write"})},
      {"streams/anthropic-parallel.sse", dialect::anthropic, tools({"Read", "TodoList"})},
      {"captures/openai-chat-text.stream.sse", dialect::openai, tools({"write"})},
  };
  for (const auto& c : captures) {
    INFO(c.file);
    const auto events = decode(c.d, harness_test::read_file(harness_test::data_path(c.file)));
    REQUIRE(events.size() > 3);
    for (std::size_t batch : {0, 1, 2}) {
      guarded g = guard_stream(events, c.offered, batch);
      for (dialect to : {dialect::openai, dialect::anthropic, dialect::ollama}) {
        CHECK(encode(to, g.events) == encode(to, events));
      }
      CHECK(g.report.args_repaired == 0);
      CHECK(g.report.unknown_tools_dropped == 0);
      CHECK(g.report.truncated_calls_refused == 0);
    }
    // Upstream bytes one at a time, each piece's events through the guard as they come.
    const std::string bytes = harness_test::read_file(harness_test::data_path(c.file));
    auto dec = make_stream_decoder(c.d);
    stream_guard guard(c.offered);
    std::vector<stream_event> all;
    std::vector<stream_event> piece;
    for (std::size_t i = 0; i <= bytes.size(); ++i) {
      if (i < bytes.size()) {
        dec->feed(std::string_view(bytes).substr(i, 1), piece);
      } else {
        dec->finish(piece);
      }
      guard.process(piece);
      for (auto& ev : piece) all.push_back(std::move(ev));
      piece.clear();
    }
    CHECK(encode(c.d, all) == encode(c.d, events));
  }
}

TEST_CASE("guard: broken arguments are repaired, in any chunking") {
  const auto offered = tools({"read", "write"});
  guarded g = guard_every_way("", {{"read", "{'path': 'a.txt', 'limit': 5,}"}},
                              finish_reason::tool_calls, offered);
  CHECK(g.assembled == R"([call read {"path":"a.txt","limit":5}] finish=tool_calls)");
  CHECK(g.report.calls_passed == 1);
  CHECK(g.report.args_repaired == 1);

  chat_response r = response_of("", {{"read", "{'path': 'a.txt', 'limit': 5,}"}},
                                finish_reason::tool_calls);
  const guard_report rep = guard_calls(r, offered);
  CHECK(rep.args_repaired == 1);
  REQUIRE(r.message.tool_calls().size() == 1);
  CHECK(r.message.tool_calls()[0]->arguments == R"({"path":"a.txt","limit":5})");
}

TEST_CASE("guard: valid, empty and unrepairable arguments pass as they came") {
  const auto offered = tools({"read", "write"});
  const std::vector<call> calls = {
      {"read", R"({"path": "a.txt"})"}, {"write", ""}, {"write", R"({"content": "cut inside)"}};
  guarded g = guard_every_way("Doing it.", calls, finish_reason::tool_calls, offered);
  CHECK(g.assembled ==
        R"([text Doing it.][call read {"path": "a.txt"}][call write ][call write {"content": "cut inside] finish=tool_calls)");
  CHECK(g.report.calls_passed == 3);
  CHECK(g.report.args_repaired == 0);

  chat_response r = response_of("Doing it.", calls, finish_reason::tool_calls);
  const chat_response before = r;
  const guard_report rep = guard_calls(r, offered);
  CHECK(rep.calls_passed == 3);
  CHECK(r == before);
}

TEST_CASE("guard: a call to a tool that was not offered is dropped") {
  const auto offered = tools({"read"});
  // Between two kept blocks: the later block is renumbered (assemble checks the indexes).
  guarded g = guard_every_way("Let me look.",
                              {{"delete_everything", R"({"path":"/"})"}, {"read", R"({"path":"a"})"}},
                              finish_reason::tool_calls, offered);
  CHECK(g.assembled == R"([text Let me look.][call read {"path":"a"}] finish=tool_calls)");
  CHECK(g.report.unknown_tools_dropped == 1);
  CHECK(g.report.calls_passed == 1);

  // Every call dropped: a text turn, finish stop.
  g = guard_every_way("Let me look.", {{"delete_everything", "{}"}}, finish_reason::tool_calls,
                      offered);
  CHECK(g.assembled == "[text Let me look.] finish=stop");
  g = guard_every_way("", {{"delete_everything", "{}"}, {"rm", "{}"}}, finish_reason::tool_calls,
                      offered);
  CHECK(g.assembled == " finish=stop");
  CHECK(g.report.unknown_tools_dropped == 2);
  // The client still gets a whole, valid stream.
  const std::string bytes = encode(dialect::openai, g.events);
  CHECK(bytes.find(R"("finish_reason":"stop")") != std::string::npos);
  CHECK(bytes.find("tool_calls") == std::string::npos);
  CHECK(bytes.find("[DONE]") != std::string::npos);

  chat_response r = response_of("", {{"delete_everything", "{}"}}, finish_reason::tool_calls);
  const guard_report rep = guard_calls(r, offered);
  CHECK(rep.unknown_tools_dropped == 1);
  CHECK(r.message.content.empty());
  CHECK_FALSE(r.message.content_null);
  CHECK(r.finish == finish_reason::stop);
}

TEST_CASE("guard: with no tools offered, names are not checked") {
  guarded g = guard_every_way("", {{"anything", "{}"}}, finish_reason::tool_calls, {});
  CHECK(g.assembled == "[call anything {}] finish=tool_calls");
  CHECK(g.report.unknown_tools_dropped == 0);
}

TEST_CASE("guard: a call cut by the output limit is refused, and the finish stays length") {
  const auto offered = tools({"read", "write"});
  guarded g = guard_every_way("I will write it.",
                              {{"read", R"({"path":"a"})"}, {"write", R"({"path": "b", "content": "hel)"}},
                              finish_reason::length, offered);
  CHECK(g.assembled == R"([text I will write it.][call read {"path":"a"}] finish=length)");
  CHECK(g.report.truncated_calls_refused == 1);
  CHECK(g.report.calls_passed == 1);

  // Cut where repair could close it, or before any argument: still half a call.
  for (const char* cut : {R"({"path": "b")", ""}) {
    g = guard_every_way("", {{"write", cut}}, finish_reason::length, offered);
    CHECK(g.assembled == " finish=length");
    CHECK(g.report.truncated_calls_refused == 1);
  }
  // Whole arguments at the limit: the call was complete.
  g = guard_every_way("", {{"write", R"({"path":"b"})"}}, finish_reason::length, offered);
  CHECK(g.assembled == R"([call write {"path":"b"}] finish=length)");
  // A broken call that is not the last block was not cut: it is repaired.
  g = guard_every_way("", {{"write", "{'path': 'b'}"}, {"read", R"({"path":"a"})"}},
                      finish_reason::length, offered);
  CHECK(g.assembled == R"([call write {"path":"b"}][call read {"path":"a"}] finish=length)");

  chat_response r = response_of("I will write it.", {{"write", R"({"path": "b", "content": "hel)"}},
                                finish_reason::length);
  guard_report rep = guard_calls(r, offered);
  CHECK(rep.truncated_calls_refused == 1);
  CHECK(r.message.tool_calls().empty());
  CHECK(r.message.joined_text() == "I will write it.");
  CHECK(r.finish == finish_reason::length);

  // From Anthropic, the cut input arrives parsed as an object: the final call is refused anyway.
  r = response_of("", {{"write", R"({"path":"b"})"}}, finish_reason::length, dialect::anthropic);
  rep = guard_calls(r, offered);
  CHECK(rep.truncated_calls_refused == 1);
  CHECK(r.message.content.empty());
}

TEST_CASE("guard: a stream that fails inside a call does not pass the half call on") {
  auto events = stream_of("Hi", {{"write", R"({"path": "b", "con)"}}, finish_reason::tool_calls);
  // Replace block_stop, finish and message_stop by an error.
  events.resize(events.size() - 3);
  stream_event& err = events.emplace_back();
  err.type = stream_event::kind::error;
  err.err = make_error(errc::upstream_transport, "reset");
  guarded g = guard_stream(events, tools({"write"}));
  CHECK(g.assembled == "[text Hi] error=reset");
  CHECK(g.report.calls_passed == 0);
}
