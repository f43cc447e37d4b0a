// Golden translation tests: real client captures (tests/data/captures) and hand-written expected
// outputs (tests/data/golden), checked against the rules of translation.md A.1-A.4, A.8,
// B.2-B.4 and C. Only the public API is used: what a program embedding libharness sees.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <harness/codec.h>
#include <harness/translate.h>

#include "json_compare.h"
#include "test_support.h"

using namespace harness;
using harness_test::canonical_json;
using harness_test::json_at;
using harness_test::string_at;

namespace {

// ---- small helpers -------------------------------------------------------------------------

std::string load(const std::string& rel) {
  return harness_test::read_file(harness_test::data_path(rel));
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string at(const std::string& base, std::size_t i) { return base + "/" + std::to_string(i); }

// json_at answers "<missing>" / "<invalid JSON>" for nothing there; canonical JSON never starts
// with '<'.
bool has(std::string_view json, const std::string& pointer) {
  const std::string v = json_at(json, pointer);
  return v.empty() || v[0] != '<';
}

std::size_t count(std::string_view json, const std::string& pointer) {
  std::size_t n = 0;
  while (has(json, at(pointer, n))) ++n;
  return n;
}

std::string ok(result<std::string> r, const std::string& what) {
  if (!r) FAIL(what << ": " << r.error_value().describe());
  return std::move(r).value();
}

chat_request decoded(dialect d, std::string_view body) {
  auto r = decode_request(d, body);
  if (!r) FAIL("decode " << to_string(d) << ": " << r.error_value().describe());
  return std::move(r).value();
}

std::string translated(dialect from, dialect to, std::string_view body,
                       const encode_options& options = {}) {
  return ok(translate_request(from, to, body, options),
            std::string("translate ") + to_string(from) + " -> " + to_string(to));
}

std::string translated_response(dialect from, dialect to, std::string_view body) {
  return ok(translate_response(from, to, body),
            std::string("translate response ") + to_string(from) + " -> " + to_string(to));
}

// Tool-call arguments as canonical JSON; "" (a zero-argument call streamed by OpenAI backends)
// means {} (translation.md A.1, C.7).
std::string args_json(const std::string& arguments) {
  return canonical_json(arguments.empty() ? std::string("{}") : arguments);
}

// Parameters of a tool as canonical JSON; none means the empty object schema (A.1).
std::string schema_json(const std::string& parameters) {
  return canonical_json(parameters.empty() ? std::string(R"({"type":"object","properties":{}})")
                                           : parameters);
}

// OpenAI and Ollama have no is_error flag: the text says it (translation.md A.2).
std::string result_text(const tool_result_block& r) {
  std::string t = r.joined_text();
  if (r.is_error) t = t.empty() ? "Error" : "Error: " + t;
  return t;
}

// ---- the captures -----------------------------------------------------------------------

struct capture {
  std::string name;
  dialect d;
};

// Every captured request body, by dialect (README.md there: codex-* are Responses API bodies,
// which libharness does not speak).
std::vector<capture> captured_requests() {
  std::vector<capture> out;
  for (const auto& entry :
       std::filesystem::directory_iterator(harness_test::data_path("captures"))) {
    const std::string name = entry.path().filename().string();
    if (!ends_with(name, ".request.json") || starts_with(name, "codex-")) continue;
    if (starts_with(name, "openai-sdk-") || starts_with(name, "ai-sdk-") ||
        starts_with(name, "opencode-")) {
      out.push_back({name, dialect::openai});
    } else if (starts_with(name, "anthropic-sdk-") || starts_with(name, "claude-code-")) {
      out.push_back({name, dialect::anthropic});
    } else {
      FAIL("capture " << name << " has no known client prefix: classify it here");
    }
  }
  std::sort(out.begin(), out.end(),
            [](const capture& a, const capture& b) { return a.name < b.name; });
  return out;
}

std::vector<capture> captures_of(dialect d) {
  std::vector<capture> out;
  for (auto& c : captured_requests()) {
    if (c.d == d) out.push_back(c);
  }
  return out;
}

std::string capture_body(const capture& c) { return load("captures/" + c.name); }

// ---- what a conversation means ------------------------------------------------------------
//
// The parts of a request that every dialect can carry, after the documented reshaping:
// system text hoisted and concatenated (A.1 / A.2 "text joined"), tool messages folded into
// user turns with results first (A.1, A.8.1), runs of one role merged (A.1), adjacent texts
// joined (A.2: assistant text blocks -> one string), empty texts dropped (A.8.5), is_error as
// an "Error: " prefix (A.2). Reasoning is not part of it: foreign reasoning without a signature
// must be dropped on the way to Anthropic (A.1), and OpenAI has no slot for the signature.

struct conversation {
  std::string system;
  std::vector<std::pair<std::string, std::vector<std::string>>> turns;
  std::vector<std::string> tools;
  std::vector<std::string> stop;
  std::optional<std::int64_t> max_tokens;
  std::string tool_choice;
  bool stream = false;
};

std::string image_item(const image_block& img) {
  return "image " + (img.url.empty() ? img.media_type + ";" + img.data : img.url);
}

conversation meaning(const chat_request& req) {
  conversation c;
  for (const auto& m : req.messages) {
    if (m.role == role::system || m.role == role::developer) {
      // Separate system texts (blocks or messages) reach one-string dialects one line apart.
      for (const auto& b : m.content) {
        if (const auto* t = std::get_if<text_block>(&b)) {
          c.system += (c.system.empty() ? "" : "\n") + t->text;
        }
      }
      continue;
    }
    const std::string who = m.role == role::assistant ? "assistant" : "user";
    std::vector<std::string> items;
    for (const auto& b : m.content) {
      if (const auto* t = std::get_if<text_block>(&b)) {
        if (!t->text.empty()) items.push_back("text " + t->text);
      } else if (const auto* img = std::get_if<image_block>(&b)) {
        items.push_back(image_item(*img));
      } else if (const auto* call = std::get_if<tool_call_block>(&b)) {
        items.push_back("call " + call->id + " " + call->name + " " + args_json(call->arguments));
      } else if (const auto* r = std::get_if<tool_result_block>(&b)) {
        std::string item = "result " + r->tool_call_id + " " + result_text(*r);
        for (const auto& part : r->content) {
          if (const auto* pimg = std::get_if<image_block>(&part)) item += " +" + image_item(*pimg);
        }
        items.push_back(item);
      }
    }
    if (items.empty()) continue;
    if (!c.turns.empty() && c.turns.back().first == who) {
      auto& prev = c.turns.back().second;
      prev.insert(prev.end(), items.begin(), items.end());
    } else {
      c.turns.emplace_back(who, std::move(items));
    }
  }
  for (auto& [who, items] : c.turns) {
    if (who == "user") {
      std::stable_partition(items.begin(), items.end(),
                            [](const std::string& s) { return starts_with(s, "result "); });
    }
    // Text pieces of one reply join as they are; a user's separate texts one line apart.
    const std::string separator = who == "user" ? "\n" : "";
    std::vector<std::string> joined;
    for (auto& item : items) {
      if (!joined.empty() && starts_with(item, "text ") && starts_with(joined.back(), "text ")) {
        joined.back() += separator + item.substr(5);
      } else {
        joined.push_back(std::move(item));
      }
    }
    items = std::move(joined);
  }
  for (const auto& t : req.tools) {
    c.tools.push_back(t.kind + " " + t.name + " " + schema_json(t.parameters));
  }
  c.stop = req.stop;
  c.max_tokens = req.max_tokens;
  c.tool_choice = std::to_string(static_cast<int>(req.tool_choice.kind)) + req.tool_choice.name;
  c.stream = req.stream;
  return c;
}

std::string describe(const conversation& c) {
  std::string out = "system: " + c.system + "\n";
  for (const auto& [who, items] : c.turns) {
    out += who + ":\n";
    for (const auto& item : items) out += "  " + item + "\n";
  }
  for (const auto& t : c.tools) out += "tool: " + t + "\n";
  for (const auto& s : c.stop) out += "stop: " + s + "\n";
  out += "max_tokens: " + (c.max_tokens ? std::to_string(*c.max_tokens) : std::string("-")) + "\n";
  out += "tool_choice: " + c.tool_choice + "\n";
  out += std::string("stream: ") + (c.stream ? "true" : "false") + "\n";
  return out;
}

// ---- tool calls and results as found on the wire ---------------------------------------

struct wire_call {
  std::string id, name, args;
  bool operator<(const wire_call& o) const {
    return std::tie(id, name, args) < std::tie(o.id, o.name, o.args);
  }
  bool operator==(const wire_call& o) const {
    return std::tie(id, name, args) == std::tie(o.id, o.name, o.args);
  }
};

std::string describe(const std::vector<wire_call>& calls) {
  std::string out;
  for (const auto& c : calls) out += c.id + " " + c.name + " " + c.args + "\n";
  return out;
}

struct expectations {
  std::vector<wire_call> calls;                              // in order
  std::vector<std::pair<std::string, std::string>> results;  // id, text (with Error: prefix)
  std::map<std::string, std::string> name_of;                // call id -> tool name
  std::vector<std::string> system_texts;                     // non-empty, in order
};

expectations expected_from(const chat_request& req) {
  expectations e;
  for (const auto& m : req.messages) {
    for (const auto& b : m.content) {
      if (const auto* call = std::get_if<tool_call_block>(&b)) {
        e.calls.push_back({call->id, call->name, args_json(call->arguments)});
        e.name_of[call->id] = call->name;
      } else if (const auto* r = std::get_if<tool_result_block>(&b)) {
        e.results.emplace_back(r->tool_call_id, result_text(*r));
      } else if (const auto* t = std::get_if<text_block>(&b)) {
        if ((m.role == role::system || m.role == role::developer) && !t->text.empty()) {
          e.system_texts.push_back(t->text);
        }
      }
    }
  }
  return e;
}

// Calls, results and structural rules of an OpenAI body.
struct openai_view {
  std::vector<wire_call> calls;
  std::vector<std::pair<std::string, std::string>> results;
  std::vector<std::string> roles;
  std::string system;
};

openai_view read_openai(const std::string& body) {
  openai_view v;
  const std::size_t n = count(body, "/messages");
  std::set<std::string> open_calls;  // ids of the last assistant turn's calls
  bool after_tools = false;          // only tool messages since that turn
  for (std::size_t i = 0; i < n; ++i) {
    const std::string mp = at("/messages", i);
    const std::string role_name = string_at(body, mp + "/role");
    v.roles.push_back(role_name);
    INFO("message " << i << ": " << json_at(body, mp).substr(0, 300));
    if (role_name == "system" || role_name == "developer") {
      const std::string text = string_at(body, mp + "/content");
      if (!text.empty()) v.system += (v.system.empty() ? "" : "\n") + text;
    }
    if (role_name == "assistant") {
      open_calls.clear();
      const std::size_t calls = count(body, mp + "/tool_calls");
      for (std::size_t j = 0; j < calls; ++j) {
        const std::string cp = at(mp + "/tool_calls", j);
        CHECK(string_at(body, cp + "/type") == "function");
        CHECK(json_at(body, cp + "/index") == "<missing>");  // not in non-streaming history
        const std::string args = string_at(body, cp + "/function/arguments");  // a string
        CHECK(args != "<not a string>");
        v.calls.push_back({string_at(body, cp + "/id"), string_at(body, cp + "/function/name"),
                           args_json(args)});
        open_calls.insert(v.calls.back().id);
      }
      // content null, never "", beside tool calls (A.2, B.8, C.16).
      if (calls > 0 && !has(body, mp + "/content/0")) {
        const std::string content = json_at(body, mp + "/content");
        if (content == "null" || content == R"("")") CHECK(content == "null");
      }
      after_tools = calls > 0;
    } else if (role_name == "tool") {
      const std::string id = string_at(body, mp + "/tool_call_id");
      // Tool messages follow the assistant turn that made the call, nothing in between (A.2).
      CHECK(after_tools);
      CHECK(open_calls.count(id) == 1);
      std::string text = string_at(body, mp + "/content");
      if (text == "<not a string>") {
        text.clear();
        for (std::size_t k = 0; has(body, at(mp + "/content", k)); ++k) {
          text += string_at(body, at(mp + "/content", k) + "/text");
        }
      }
      v.results.emplace_back(id, text);
    } else {
      after_tools = false;
    }
  }
  return v;
}

struct anthropic_view {
  std::vector<wire_call> calls;
  std::vector<std::pair<std::string, std::string>> results;
  std::vector<std::string> system_texts;
  std::vector<std::string> thinking;  // thinking texts of assistant turns, in order
};

// Reads an Anthropic request body and checks the A.8 rules on the way: alternating user /
// assistant turns starting with the user, no empty text blocks, tool_use ids unique and of the
// allowed pattern, every tool_use answered in the very next user turn whose tool_result blocks
// come first (A.8.1-A.8.3, A.8.5).
anthropic_view read_anthropic(const std::string& body, bool allow_system_entries = false) {
  anthropic_view v;
  const std::string sys = string_at(body, "/system");
  if (sys != "<missing>" && sys != "<not a string>") {
    v.system_texts.push_back(sys);
  } else {
    for (std::size_t k = 0; has(body, at("/system", k)); ++k) {
      CHECK(string_at(body, at("/system", k) + "/type") == "text");
      v.system_texts.push_back(string_at(body, at("/system", k) + "/text"));
      CHECK_FALSE(v.system_texts.back().empty());
    }
  }
  const std::size_t n = count(body, "/messages");
  std::string previous_role;
  std::set<std::string> pending;  // tool_use ids of the previous assistant turn
  std::set<std::string> all_ids;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string mp = at("/messages", i);
    const std::string role_name = string_at(body, mp + "/role");
    INFO("message " << i << ": " << json_at(body, mp).substr(0, 300));
    if (role_name == "system") {
      CHECK(allow_system_entries);
      continue;
    }
    CHECK((role_name == "user" || role_name == "assistant"));
    if (previous_role.empty()) CHECK(role_name == "user");
    CHECK(role_name != previous_role);  // runs merged (A.1)
    const std::size_t blocks = count(body, mp + "/content");
    if (blocks == 0) CHECK_FALSE(string_at(body, mp + "/content").empty());
    std::set<std::string> answered;
    bool seen_other = false;
    std::set<std::string> called;
    for (std::size_t j = 0; j < blocks; ++j) {
      const std::string bp = at(mp + "/content", j);
      const std::string type = string_at(body, bp + "/type");
      if (type == "text") {
        CHECK_FALSE(string_at(body, bp + "/text").empty());
      }
      if (type == "tool_use") {
        CHECK(role_name == "assistant");
        const std::string id = string_at(body, bp + "/id");
        CHECK(all_ids.insert(id).second);  // unique across the request (A.8.3)
        CHECK(std::all_of(id.begin(), id.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        }));
        const std::string input = json_at(body, bp + "/input");
        CHECK(input.substr(0, 1) == "{");  // an object (A.0)
        v.calls.push_back({id, string_at(body, bp + "/name"), input});
        called.insert(id);
      } else if (type == "tool_result") {
        CHECK(role_name == "user");
        CHECK_FALSE(seen_other);  // tool_result blocks first (A.1)
        const std::string id = string_at(body, bp + "/tool_use_id");
        CHECK(pending.count(id) == 1);  // answers the previous assistant turn (A.8.2)
        answered.insert(id);
        std::string text = string_at(body, bp + "/content");
        if (text == "<missing>") text.clear();
        if (text == "<not a string>") {
          text.clear();
          for (std::size_t k = 0; has(body, at(bp + "/content", k)); ++k) {
            if (string_at(body, at(bp + "/content", k) + "/type") == "text") {
              text += string_at(body, at(bp + "/content", k) + "/text");
            }
          }
        }
        if (json_at(body, bp + "/is_error") == "true") {
          text = text.empty() ? "Error" : "Error: " + text;
        }
        v.results.emplace_back(id, text);
      } else {
        seen_other = true;
      }
      if (type == "thinking") {
        CHECK(role_name == "assistant");
        CHECK(has(body, bp + "/signature"));
        v.thinking.push_back(string_at(body, bp + "/thinking"));
      }
    }
    if (role_name == "user" && !pending.empty()) CHECK(answered == pending);  // A.8.1
    pending = role_name == "assistant" ? called : std::set<std::string>();
    previous_role = role_name;
  }
  return v;
}

struct ollama_view {
  std::vector<wire_call> calls;
  std::vector<std::pair<std::string, std::string>> results;
  std::map<std::string, std::string> tool_names;  // tool_call_id -> tool_name of the results
  std::string system;
};

ollama_view read_ollama(const std::string& body) {
  ollama_view v;
  // Ollama streams when `stream` is absent: always explicit (B.1).
  CHECK((json_at(body, "/stream") == "true" || json_at(body, "/stream") == "false"));
  CHECK(json_at(body, "/tool_choice") == "<missing>");  // unsupported (B.2)
  const std::size_t n = count(body, "/messages");
  for (std::size_t i = 0; i < n; ++i) {
    const std::string mp = at("/messages", i);
    const std::string role_name = string_at(body, mp + "/role");
    INFO("message " << i << ": " << json_at(body, mp).substr(0, 300));
    CHECK((role_name == "system" || role_name == "user" || role_name == "assistant" ||
           role_name == "tool"));
    const std::string content = string_at(body, mp + "/content");
    CHECK(content != "<not a string>");  // always a string (B.2)
    CHECK(content != "<missing>");
    if (role_name == "system" && !content.empty()) {
      v.system += (v.system.empty() ? "" : "\n") + content;
    }
    for (std::size_t j = 0; has(body, at(mp + "/tool_calls", j)); ++j) {
      const std::string cp = at(mp + "/tool_calls", j);
      const std::string args = json_at(body, cp + "/function/arguments");
      CHECK(args.substr(0, 1) == "{");  // an object on Ollama (B.2)
      v.calls.push_back({string_at(body, cp + "/id"), string_at(body, cp + "/function/name"),
                         args});
    }
    if (role_name == "tool") {
      const std::string id = string_at(body, mp + "/tool_call_id");
      v.results.emplace_back(id, content);
      v.tool_names[id] = string_at(body, mp + "/tool_name");
    }
  }
  return v;
}

std::string describe(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [a, b] : pairs) out += a + " => " + b + "\n";
  return out;
}

std::string describe(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += s + "\n";
  return out;
}

// Texts as a one-string dialect carries them: one line apart.
std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : "\n") + s;
  return out;
}

// Tools on the wire: (name, canonical schema) per dialect.
std::vector<std::string> wire_tools(dialect d, const std::string& body) {
  std::vector<std::string> out;
  for (std::size_t i = 0; has(body, at("/tools", i)); ++i) {
    const std::string tp = at("/tools", i);
    if (d == dialect::anthropic) {
      out.push_back(string_at(body, tp + "/name") + " " +
                    canonical_json(json_at(body, tp + "/input_schema")));
    } else {
      CHECK(string_at(body, tp + "/type") == "function");
      const std::string params = json_at(body, tp + "/function/parameters");
      out.push_back(string_at(body, tp + "/function/name") + " " +
                    (params == "<missing>" ? schema_json("") : params));
    }
  }
  return out;
}

std::vector<std::string> canonical_tools(const chat_request& req) {
  std::vector<std::string> out;
  for (const auto& t : req.tools) {
    if (t.kind == "function") out.push_back(t.name + " " + schema_json(t.parameters));
  }
  return out;
}

// ---- one-way checks of the captures ----------------------------------------------------

void check_openai_to_anthropic(const std::string& body) {
  const chat_request in = decoded(dialect::openai, body);
  const expectations e = expected_from(in);
  const std::string out = translated(dialect::openai, dialect::anthropic, body);
  INFO("anthropic body: " << out.substr(0, 600));
  const anthropic_view v = read_anthropic(out);

  // Tools never dropped (count, names, schemas) and tool_choice mapped (A.1).
  CHECK(count(out, "/tools") == in.tools.size());
  CHECK(describe(wire_tools(dialect::anthropic, out)) == describe(canonical_tools(in)));
  switch (in.tool_choice.kind) {
    case tool_choice::mode::unset: break;
    case tool_choice::mode::auto_: CHECK(string_at(out, "/tool_choice/type") == "auto"); break;
    case tool_choice::mode::none: CHECK(string_at(out, "/tool_choice/type") == "none"); break;
    case tool_choice::mode::required: CHECK(string_at(out, "/tool_choice/type") == "any"); break;
    case tool_choice::mode::tool:
      CHECK(string_at(out, "/tool_choice/type") == "tool");
      CHECK(string_at(out, "/tool_choice/name") == in.tool_choice.name);
      break;
  }
  // tool_calls <-> tool_use with the same ids and arguments; results with the same ids.
  CHECK(describe(v.calls) == describe(e.calls));
  CHECK(describe(v.results) == describe(e.results));
  // Every system message hoisted, in order (A.1).
  CHECK(describe(v.system_texts) == describe(e.system_texts));
  // max_tokens is required: the client's, else a default (A.1, A.8.6).
  if (in.max_tokens) {
    CHECK(json_at(out, "/max_tokens") == std::to_string(*in.max_tokens));
  } else {
    CHECK(std::stoll(json_at(out, "/max_tokens")) >= 4096);
  }
  // stop -> stop_sequences.
  if (!in.stop.empty()) {
    CHECK(count(out, "/stop_sequences") == in.stop.size());
    for (std::size_t i = 0; i < in.stop.size(); ++i) {
      CHECK(string_at(out, at("/stop_sequences", i)) == in.stop[i]);
    }
  }
  CHECK(json_at(out, "/stream") == (in.stream ? "true" : "<missing>"));
  // OpenAI-only fields are not sent: strict Anthropic backends reject them (A.1, A.8.10).
  for (const char* key : {"/stream_options", "/stop", "/max_completion_tokens",
                          "/parallel_tool_calls", "/reasoning_effort", "/user", "/n",
                          "/response_format"}) {
    INFO(key);
    CHECK(json_at(out, key) == "<missing>");
  }
  // Foreign reasoning (no signature) is never forwarded (A.1).
  CHECK(v.thinking.empty());
}

void check_anthropic_to_openai(const std::string& body) {
  const chat_request in = decoded(dialect::anthropic, body);
  const expectations e = expected_from(in);
  const std::string out = translated(dialect::anthropic, dialect::openai, body);
  INFO("openai body: " << out.substr(0, 600));
  const openai_view v = read_openai(out);

  CHECK(count(out, "/tools") == in.tools.size());
  CHECK(describe(wire_tools(dialect::openai, out)) == describe(canonical_tools(in)));
  CHECK(describe(v.calls) == describe(e.calls));
  CHECK(describe(v.results) == describe(e.results));
  // The top-level system comes first; every system text is kept, in order (A.2).
  if (has(body, "/system")) CHECK(v.roles.front() == "system");
  CHECK(v.system == joined(e.system_texts));
  for (const auto& r : v.roles) CHECK(r != "developer");
  // Parameters (A.2).
  CHECK(json_at(out, "/max_tokens") == std::to_string(*in.max_tokens));
  CHECK(count(out, "/stop") == in.stop.size());  // stop_sequences -> stop
  for (std::size_t i = 0; i < in.stop.size(); ++i) CHECK(string_at(out, at("/stop", i)) == in.stop[i]);
  if (in.stream) CHECK(json_at(out, "/stream_options/include_usage") == "true");
  if (!in.user.empty()) CHECK(string_at(out, "/user") == in.user);
  // Anthropic-only fields are not sent to OpenAI-compatible backends (A.2).
  for (const char* key : {"/system", "/stop_sequences", "/thinking", "/context_management",
                          "/output_config", "/metadata", "/top_k"}) {
    INFO(key);
    CHECK(json_at(out, key) == "<missing>");
  }
}

void check_openai_to_ollama(const std::string& body) {
  const chat_request in = decoded(dialect::openai, body);
  const expectations e = expected_from(in);
  const std::string out = translated(dialect::openai, dialect::ollama, body);
  INFO("ollama body: " << out.substr(0, 600));
  const ollama_view v = read_ollama(out);
  CHECK(count(out, "/tools") == in.tools.size());
  CHECK(describe(wire_tools(dialect::ollama, out)) == describe(canonical_tools(in)));
  CHECK(describe(v.calls) == describe(e.calls));
  CHECK(describe(v.results) == describe(e.results));
  for (const auto& [id, name] : v.tool_names) CHECK(name == e.name_of.at(id));  // B.2
  CHECK(v.system == joined(e.system_texts));
  CHECK(json_at(out, "/stream") == (in.stream ? "true" : "false"));
  if (in.max_tokens) CHECK(json_at(out, "/options/num_predict") == std::to_string(*in.max_tokens));
  CHECK(json_at(out, "/stream_options") == "<missing>");
}

void check_anthropic_to_ollama(const std::string& body) {
  const chat_request in = decoded(dialect::anthropic, body);
  const expectations e = expected_from(in);
  const std::string out = translated(dialect::anthropic, dialect::ollama, body);
  INFO("ollama body: " << out.substr(0, 600));
  const ollama_view v = read_ollama(out);
  CHECK(count(out, "/tools") == in.tools.size());
  CHECK(describe(wire_tools(dialect::ollama, out)) == describe(canonical_tools(in)));
  CHECK(describe(v.calls) == describe(e.calls));
  CHECK(describe(v.results) == describe(e.results));
  for (const auto& [id, name] : v.tool_names) CHECK(name == e.name_of.at(id));  // B.2
  if (has(body, "/system")) CHECK(string_at(out, "/messages/0/role") == "system");
  CHECK(v.system == joined(e.system_texts));
  CHECK(json_at(out, "/options/num_predict") == std::to_string(*in.max_tokens));
  if (!in.stop.empty()) CHECK(count(out, "/options/stop") == in.stop.size());
  for (const char* key : {"/system", "/thinking", "/context_management", "/metadata"}) {
    INFO(key);
    CHECK(json_at(out, key) == "<missing>");
  }
}

// ---- round trips ---------------------------------------------------------------------

// The one normalisation of an OpenAI pass-through: an assistant tool-call turn whose content
// is "" is written with content null (translation.md A.2 "content: null + tool_calls", B.8,
// C.16: "" makes Ollama-served templates switch modes). In canonical JSON (keys sorted) such a
// message starts exactly like this.
std::string null_content_of_tool_turns(std::string canonical) {
  const std::string from = R"({"content":"","role":"assistant","tool_calls":)";
  const std::string to = R"({"content":null,"role":"assistant","tool_calls":)";
  for (auto pos = canonical.find(from); pos != std::string::npos; pos = canonical.find(from, pos)) {
    canonical.replace(pos, from.size(), to);
    pos += to.size();
  }
  return canonical;
}

void check_meaning_round_trip(dialect d, dialect via, const std::string& body) {
  const chat_request original = decoded(d, body);
  const std::string there = translated(d, via, body);
  INFO(to_string(via) << " body: " << there.substr(0, 800));
  const std::string back = translated(via, d, there);
  INFO("back: " << back.substr(0, 800));
  const chat_request again = decoded(d, back);
  const conversation before = meaning(original);
  conversation after = meaning(again);
  // What Anthropic requires is added, not lost: a max_tokens (A.1, A.8.6) and, for tool history
  // without tools, the called tools declared with tool_choice none (A.8.4).
  if (!before.max_tokens) after.max_tokens.reset();
  if (before.tools.empty()) {
    after.tools.clear();
    after.tool_choice = before.tool_choice;
  }
  CHECK(describe(after) == describe(before));
}

// ---- hand-made conversations --------------------------------------------------------------

const char* const tiny_png =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

std::string openai_tools() {
  return R"([
    {"type":"function","function":{"name":"glob","description":"Find files",
      "parameters":{"type":"object","properties":{"pattern":{"type":"string"}},"required":["pattern"]}}},
    {"type":"function","function":{"name":"read","description":"Read a file",
      "parameters":{"type":"object","properties":{"filePath":{"type":"string"}},"required":["filePath"]}}},
    {"type":"function","function":{"name":"bash","description":"Run a command",
      "parameters":{"type":"object","properties":{"command":{"type":"string"},"description":{"type":"string"}},"required":["command"]}}},
    {"type":"function","function":{"name":"edit","description":"Edit a file",
      "parameters":{"type":"object","properties":{"filePath":{"type":"string"},"oldString":{"type":"string"},"newString":{"type":"string"}}}}}])";
}

// Four tool turns (two with parallel calls), images as a data URL and an http URL, reasoning,
// stop sequences, a developer and a mid-conversation system message, content null and "",
// a zero-argument call with "" arguments, a tool result in parts.
std::string openai_conversation() {
  return std::string(R"({"model":"gpt-4o","max_tokens":2048,"stop":["</done>","END"],
  "temperature":0.3,"tool_choice":"auto","stream":true,"stream_options":{"include_usage":true},
  "tools":)") + openai_tools() + R"(,
  "messages":[
    {"role":"system","content":"You are a coding agent."},
    {"role":"developer","content":"Prefer small diffs."},
    {"role":"user","content":[{"type":"text","text":"What is in these pictures?"},
      {"type":"image_url","image_url":{"url":"data:image/png;base64,)" + tiny_png + R"("}},
      {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"low"}}]},
    {"role":"assistant","content":"A cat and a pixel. Let me look at the repo.","tool_calls":[
      {"id":"call_001","type":"function","function":{"name":"glob","arguments":"{\"pattern\":\"**/*.go\"}"}},
      {"id":"call_002","type":"function","function":{"name":"read","arguments":"{\"filePath\":\"/src/main.go\"}"}}]},
    {"role":"tool","tool_call_id":"call_001","content":"main.go\nutil.go"},
    {"role":"tool","tool_call_id":"call_002","content":"package main\n"},
    {"role":"assistant","content":null,"reasoning_content":"The tests come first.","tool_calls":[
      {"id":"call_003","type":"function","function":{"name":"bash","arguments":"{\"command\":\"go test ./...\",\"description\":\"run tests\"}"}},
      {"id":"call_004","type":"function","function":{"name":"bash","arguments":"{\"command\":\"go vet ./...\"}"}},
      {"id":"call_005","type":"function","function":{"name":"glob","arguments":""}}]},
    {"role":"tool","tool_call_id":"call_003","content":"ok"},
    {"role":"tool","tool_call_id":"call_004","content":[{"type":"text","text":"vet: "},{"type":"text","text":"clean"}]},
    {"role":"tool","tool_call_id":"call_005","content":"main.go"},
    {"role":"user","content":"Now fix util.go"},
    {"role":"system","content":"Reminder: be brief."},
    {"role":"assistant","content":"","tool_calls":[
      {"id":"call_006","type":"function","function":{"name":"edit","arguments":"{\"filePath\":\"/src/util.go\",\"oldString\":\"a\",\"newString\":\"b\"}"}}]},
    {"role":"tool","tool_call_id":"call_006","content":"edited"},
    {"role":"assistant","content":"Done."},
    {"role":"user","content":"thanks"}]})";
}

std::string anthropic_tools() {
  return R"([
    {"name":"Read","description":"Read a file","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]}},
    {"name":"Bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"},"timeout":{"type":"number"}},"required":["command"]},"cache_control":{"type":"ephemeral"}},
    {"name":"Write","description":"Write a file","input_schema":{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}}])";
}

// Claude-Code-shaped: system blocks, thinking with signatures, three tool turns (parallel
// calls, an is_error result, a result in parts, user text after results), images as base64
// and URL sources, stop sequences.
std::string anthropic_conversation() {
  return std::string(R"({"model":"claude-sonnet-4-5","max_tokens":4096,"stop_sequences":["###"],
  "system":[{"type":"text","text":"You are Claude Code."},
            {"type":"text","text":" Be careful.","cache_control":{"type":"ephemeral"}}],
  "thinking":{"type":"enabled","budget_tokens":2048},"stream":true,
  "tools":)") + anthropic_tools() + R"(,
  "messages":[
    {"role":"user","content":[{"type":"text","text":"Look at this screenshot"},
      {"type":"image","source":{"type":"base64","media_type":"image/png","data":")" + tiny_png + R"("}},
      {"type":"image","source":{"type":"url","url":"https://example.com/shot.png"}}]},
    {"role":"assistant","content":[{"type":"thinking","thinking":"I should read both files.","signature":"sig-1"},
      {"type":"text","text":"Reading both."},
      {"type":"tool_use","id":"toolu_01","name":"Read","input":{"file_path":"/a.txt"}},
      {"type":"tool_use","id":"toolu_02","name":"Read","input":{"file_path":"/b.txt"}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"alpha"},
      {"type":"tool_result","tool_use_id":"toolu_02","content":[{"type":"text","text":"beta"}]}]},
    {"role":"assistant","content":[{"type":"thinking","thinking":"Run it.","signature":"sig-2"},
      {"type":"tool_use","id":"toolu_03","name":"Bash","input":{"command":"ls","timeout":1000}},
      {"type":"tool_use","id":"toolu_04","name":"Bash","input":{}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_03","content":"a.txt b.txt"},
      {"type":"tool_result","tool_use_id":"toolu_04","content":"missing command","is_error":true},
      {"type":"text","text":"Also write c.txt"}]},
    {"role":"assistant","content":[{"type":"tool_use","id":"toolu_05","name":"Write","input":{"file_path":"/c.txt","content":"gamma\n"}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_05","content":"written"}]},
    {"role":"assistant","content":[{"type":"text","text":"All done."}]},
    {"role":"user","content":"Great"}]})";
}

// ---- goldens -------------------------------------------------------------------------------

enum class kind { request, response };

struct golden {
  const char* name;
  kind k;
  dialect from, to;
};

constexpr golden goldens[] = {
    {"opencode-request-to-anthropic", kind::request, dialect::openai, dialect::anthropic},
    {"claude-code-request-to-openai", kind::request, dialect::anthropic, dialect::openai},
    {"anthropic-response-thinking-tool-to-openai", kind::response, dialect::anthropic,
     dialect::openai},
    {"ollama-response-no-ids-to-openai", kind::response, dialect::ollama, dialect::openai},
    {"openai-parallel-tool-results-to-ollama", kind::request, dialect::openai, dialect::ollama},
    {"openai-response-stop-with-tool-calls-to-anthropic", kind::response, dialect::openai,
     dialect::anthropic},
    {"openai-response-length-to-anthropic", kind::response, dialect::openai, dialect::anthropic},
    {"anthropic-response-stop-sequence-to-openai", kind::response, dialect::anthropic,
     dialect::openai},
};

}  // namespace

// ==== 1. every capture decodes and re-encodes to its own dialect unchanged ====================

TEST_CASE("the captures are all classified") {
  CHECK(captures_of(dialect::openai).size() == 13);
  CHECK(captures_of(dialect::anthropic).size() == 6);
}

TEST_CASE("every captured request round-trips through its own dialect") {
  for (const auto& c : captured_requests()) {
    INFO(c.name);
    const std::string body = capture_body(c);
    const chat_request req = decoded(c.d, body);
    CHECK(req.origin == c.d);
    const std::string out = ok(encode_request(c.d, req), "encode " + c.name);
    std::string expected = canonical_json(body);
    if (c.d == dialect::openai) expected = null_content_of_tool_turns(expected);
    CHECK(canonical_json(out) == expected);
  }
}

TEST_CASE("an OpenAI tool-call turn keeps content null, and \"\" becomes null") {
  // opencode-03 sends "" beside its tool call; openai-sdk-02 and ai-sdk-02 send null.
  for (const char* name : {"opencode-03", "openai-sdk-02", "ai-sdk-02"}) {
    INFO(name);
    const std::string body = load(std::string("captures/") + name + ".request.json");
    const std::string out = ok(encode_request(dialect::openai, decoded(dialect::openai, body)),
                               name);
    const std::size_t n = count(out, "/messages");
    bool saw_tool_turn = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!has(out, at("/messages", i) + "/tool_calls")) continue;
      saw_tool_turn = true;
      CHECK(json_at(out, at("/messages", i) + "/content") == "null");
    }
    CHECK(saw_tool_turn);
  }
}

TEST_CASE("stream:false sent by a client survives an OpenAI pass-through") {
  const std::string body = load("captures/openai-sdk-05.request.json");
  REQUIRE(json_at(body, "/stream") == "false");
  const std::string out = ok(encode_request(dialect::openai, decoded(dialect::openai, body)), "");
  CHECK(json_at(out, "/stream") == "false");
  // Turned on by the gateway, the request streams.
  chat_request req = decoded(dialect::openai, body);
  req.stream = true;
  CHECK(json_at(ok(encode_request(dialect::openai, req), ""), "/stream") == "true");
}

// ==== 2. every capture translates to the other dialects, rules checked on the output ==========

TEST_CASE("captured OpenAI requests translate to Anthropic by the rules") {
  for (const auto& c : captures_of(dialect::openai)) {
    INFO(c.name);
    check_openai_to_anthropic(capture_body(c));
  }
}

TEST_CASE("captured OpenAI requests translate to Ollama by the rules") {
  for (const auto& c : captures_of(dialect::openai)) {
    INFO(c.name);
    check_openai_to_ollama(capture_body(c));
  }
}

TEST_CASE("captured Anthropic requests translate to OpenAI by the rules") {
  for (const auto& c : captures_of(dialect::anthropic)) {
    INFO(c.name);
    check_anthropic_to_openai(capture_body(c));
  }
}

TEST_CASE("captured Anthropic requests translate to Ollama by the rules") {
  for (const auto& c : captures_of(dialect::anthropic)) {
    INFO(c.name);
    check_anthropic_to_ollama(capture_body(c));
  }
}

TEST_CASE("Claude Code's system blocks and mid-conversation system entry reach OpenAI") {
  const std::string body = load("captures/claude-code-02.request.json");
  const std::string out = translated(dialect::anthropic, dialect::openai, body);
  std::string top;
  for (std::size_t k = 0; has(body, at("/system", k)); ++k) {
    top += (top.empty() ? "" : "\n") + string_at(body, at("/system", k) + "/text");
  }
  CHECK(count(body, "/system") == 3);
  CHECK(string_at(out, "/messages/0/role") == "system");
  CHECK(string_at(out, "/messages/0/content") == top);
  // The role:"system" entry Claude Code 2.1.3xx puts in `messages` stays a system message.
  REQUIRE(string_at(body, "/messages/1/role") == "system");
  CHECK(string_at(out, "/messages/2/role") == "system");
  CHECK(string_at(out, "/messages/2/content") == string_at(body, "/messages/1/content"));
  // metadata.user_id -> user; thinking adaptive + effort -> reasoning_effort (A.2).
  CHECK(string_at(out, "/user") == string_at(body, "/metadata/user_id"));
  CHECK(string_at(out, "/reasoning_effort") == "medium");
  // defer_loading (an Anthropic-only key) is not copied into the function (A.2, LiteLLM #30557).
  CHECK(json_at(out, "/tools/10") ==
        canonical_json(R"({"type":"function","function":{"name":"DeferredToolPlaceholder",
          "description":"Reserved placeholder that keeps deferred tool loading active; never call this tool.",
          "parameters":{"type":"object","properties":{}}}})"));
}

TEST_CASE("an OpenCode agent turn reaches Anthropic: system hoisted, empty content not sent") {
  const std::string body = load("captures/opencode-03.request.json");
  const std::string out = translated(dialect::openai, dialect::anthropic, body);
  CHECK(string_at(out, "/system") == string_at(body, "/messages/0/content"));
  CHECK(count(out, "/messages") == 3);
  CHECK(string_at(out, "/messages/0/role") == "user");
  // content "" beside the call: only the tool_use block, no empty text (A.1, A.8.5).
  CHECK(json_at(out, "/messages/1/content") ==
        canonical_json(R"([{"type":"tool_use","id":"call_45756ae71c8c443f980d","name":"write",
          "input":{"filePath":"/tmp/accept-opencode.7UI6vf/work/hello.txt",
                   "content":"hello from capture server\n"}}])"));
  CHECK(json_at(out, "/messages/2/content") ==
        canonical_json(R"([{"type":"tool_result","tool_use_id":"call_45756ae71c8c443f980d",
          "content":"Wrote file successfully."}])"));
  CHECK(json_at(out, "/max_tokens") == "32000");
  CHECK(json_at(out, "/tool_choice") == R"({"type":"auto"})");
}

// ==== 3. meaning-preserving round trips =========================================================

TEST_CASE("captured OpenAI requests survive OpenAI -> Anthropic -> OpenAI") {
  for (const auto& c : captures_of(dialect::openai)) {
    INFO(c.name);
    check_meaning_round_trip(dialect::openai, dialect::anthropic, capture_body(c));
  }
}

TEST_CASE("captured Anthropic requests survive Anthropic -> OpenAI -> Anthropic") {
  for (const auto& c : captures_of(dialect::anthropic)) {
    INFO(c.name);
    check_meaning_round_trip(dialect::anthropic, dialect::openai, capture_body(c));
  }
}

TEST_CASE("a multi-turn OpenAI conversation survives OpenAI -> Anthropic -> OpenAI") {
  const std::string body = openai_conversation();
  check_meaning_round_trip(dialect::openai, dialect::anthropic, body);
  check_openai_to_anthropic(body);
  {
    // Ollama cannot fetch URLs (B.2): refused with a path, never dropped silently; the same
    // conversation without the http image translates.
    auto refused = translate_request(dialect::openai, dialect::ollama, body);
    REQUIRE_FALSE(refused);
    CHECK(refused.error_value().code == errc::unsupported);
    std::string b = body;
    const std::string url_part =
        R"(,
      {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"low"}})";
    const auto pos = b.find(url_part);
    REQUIRE(pos != std::string::npos);
    b.erase(pos, url_part.size());
    check_openai_to_ollama(b);
    const std::string ol = translated(dialect::openai, dialect::ollama, b);
    CHECK(json_at(ol, "/messages/2/images") == std::string(R"([")") + tiny_png + R"("])");
    CHECK(string_at(ol, "/messages/6/thinking") == "The tests come first.");  // B.2
    CHECK(json_at(ol, "/messages/6/tool_calls/2/function/arguments") == "{}");
  }

  const std::string an = translated(dialect::openai, dialect::anthropic, body);
  INFO(an);
  // Images: data URL -> base64 source, http URL -> url source, detail dropped (A.1).
  CHECK(json_at(an, "/messages/0/content/1") ==
        canonical_json(std::string(R"({"type":"image","source":{"type":"base64",
          "media_type":"image/png","data":")") + tiny_png + R"("}})"));
  CHECK(json_at(an, "/messages/0/content/2") ==
        canonical_json(R"({"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}})"));
  // Three system messages (system, developer, a later one) hoisted in order.
  CHECK(json_at(an, "/system") ==
        canonical_json(R"([{"type":"text","text":"You are a coding agent."},
          {"type":"text","text":"Prefer small diffs."},{"type":"text","text":"Reminder: be brief."}])"));
  // Three parallel results and the user's text in ONE user turn, results first (A.1, C.11).
  CHECK(string_at(an, "/messages/4/role") == "user");
  CHECK(count(an, "/messages/4/content") == 4);
  CHECK(string_at(an, "/messages/4/content/0/tool_use_id") == "call_003");
  CHECK(string_at(an, "/messages/4/content/1/tool_use_id") == "call_004");
  CHECK(string_at(an, "/messages/4/content/2/tool_use_id") == "call_005");
  CHECK(string_at(an, "/messages/4/content/3/text") == "Now fix util.go");
  // content null + reasoning without a signature: tool_use blocks only (A.1).
  CHECK(string_at(an, "/messages/3/content/0/type") == "tool_use");
  CHECK(json_at(an, "/messages/3/content/2/input") == "{}");  // "" arguments (C.7)
  CHECK(json_at(an, "/stop_sequences") == R"(["</done>","END"])");
  CHECK(json_at(an, "/temperature") == "0.3");

  const std::string back = translated(dialect::anthropic, dialect::openai, an);
  INFO(back);
  CHECK(string_at(back, "/messages/1/content/1/image_url/url") ==
        std::string("data:image/png;base64,") + tiny_png);
  CHECK(string_at(back, "/messages/1/content/2/image_url/url") == "https://example.com/cat.jpg");
  CHECK(json_at(back, "/messages/5/content") == "null");
  CHECK(json_at(back, "/stop") == R"(["</done>","END"])");
}

TEST_CASE("a multi-turn Anthropic conversation survives Anthropic -> OpenAI -> Anthropic") {
  const std::string body = anthropic_conversation();
  check_meaning_round_trip(dialect::anthropic, dialect::openai, body);
  check_anthropic_to_openai(body);

  const std::string oa = translated(dialect::anthropic, dialect::openai, body);
  INFO(oa);
  // System blocks -> one system message, texts one line apart (A.2).
  CHECK(json_at(oa, "/messages/0") ==
        R"({"content":"You are Claude Code.\n Be careful.","role":"system"})");
  // base64 -> data URL, url source -> URL (A.2).
  CHECK(string_at(oa, "/messages/1/content/1/image_url/url") ==
        std::string("data:image/png;base64,") + tiny_png);
  CHECK(string_at(oa, "/messages/1/content/2/image_url/url") == "https://example.com/shot.png");
  // thinking -> reasoning_content beside the text and calls (A.2).
  CHECK(string_at(oa, "/messages/2/reasoning_content") == "I should read both files.");
  CHECK(string_at(oa, "/messages/2/content") == "Reading both.");
  CHECK(json_at(oa, "/messages/2/tool_calls/1/function/arguments") ==
        R"("{\"file_path\":\"/b.txt\"}")");
  // One tool message per result, before the user's text (A.2); is_error said in the text.
  CHECK(json_at(oa, "/messages/3") ==
        R"({"content":"alpha","role":"tool","tool_call_id":"toolu_01"})");
  CHECK(json_at(oa, "/messages/4") ==
        R"({"content":"beta","role":"tool","tool_call_id":"toolu_02"})");
  CHECK(json_at(oa, "/messages/5/content") == "null");  // only thinking + tool_use
  CHECK(string_at(oa, "/messages/5/reasoning_content") == "Run it.");
  CHECK(string_at(oa, "/messages/5/tool_calls/1/function/arguments") == "{}");
  CHECK(string_at(oa, "/messages/7/content") == "Error: missing command");
  CHECK(json_at(oa, "/messages/8") == R"({"content":"Also write c.txt","role":"user"})");
  CHECK(json_at(oa, "/stop") == R"(["###"])");
  CHECK(json_at(oa, "/max_tokens") == "4096");
  CHECK(string_at(oa, "/reasoning_effort") == "medium");  // budget 2048 bucketed (A.2)

  // Back at Anthropic the same ids pair up again, and the thinking (unsigned now) is dropped
  // rather than forwarded (A.1): only Anthropic could verify a signature.
  const std::string back = translated(dialect::openai, dialect::anthropic, oa);
  INFO(back);
  const anthropic_view v = read_anthropic(back);
  CHECK(v.thinking.empty());
  CHECK(v.calls.size() == 5);
}

TEST_CASE("Anthropic thinking reaches Ollama as thinking, images as raw base64") {
  const std::string body = anthropic_conversation();
  // Ollama cannot fetch URLs (B.2): the URL image is refused with its path, not dropped.
  auto refused = translate_request(dialect::anthropic, dialect::ollama, body);
  REQUIRE_FALSE(refused);
  CHECK(refused.error_value().code == errc::unsupported);
  CHECK(refused.error_value().path.find("messages") != std::string::npos);

  std::string b = body;
  const std::string url_image =
      R"(,
      {"type":"image","source":{"type":"url","url":"https://example.com/shot.png"}})";
  const auto pos = b.find(url_image);
  REQUIRE(pos != std::string::npos);
  b.erase(pos, url_image.size());
  check_anthropic_to_ollama(b);
  const std::string out = translated(dialect::anthropic, dialect::ollama, b);
  CHECK(json_at(out, "/messages/1/images") == std::string(R"([")") + tiny_png + R"("])");
  CHECK(string_at(out, "/messages/2/thinking") == "I should read both files.");
  CHECK(string_at(out, "/messages/3/tool_name") == "Read");
  CHECK(string_at(out, "/messages/7/content") == "Error: missing command");
  CHECK(json_at(out, "/options/stop") == R"(["###"])");
}

TEST_CASE("tool_call_id is kept across ten turns, through Anthropic and back") {
  std::string messages = R"([{"role":"user","content":"go"})";
  std::vector<std::string> ids;
  for (int turn = 0; turn < 10; ++turn) {
    const std::string a = "call_t" + std::to_string(turn) + "a";
    const std::string b = "toolu_T" + std::to_string(turn) + "-b";
    ids.push_back(a);
    ids.push_back(b);
    messages += R"(,{"role":"assistant","content":null,"tool_calls":[)"
                R"({"id":")" + a + R"(","type":"function","function":{"name":"bash","arguments":"{\"n\":)" +
                std::to_string(turn) + R"(}"}},)"
                R"({"id":")" + b + R"(","type":"function","function":{"name":"read","arguments":"{}"}}]})";
    messages += R"(,{"role":"tool","tool_call_id":")" + a + R"(","content":"r)" +
                std::to_string(turn) + R"("})";
    messages += R"(,{"role":"tool","tool_call_id":")" + b + R"(","content":"s"})";
  }
  const std::string body = R"({"model":"m","messages":)" + messages + R"(],"tools":[
    {"type":"function","function":{"name":"bash","parameters":{"type":"object"}}},
    {"type":"function","function":{"name":"read","parameters":{"type":"object"}}}]})";
  check_openai_to_anthropic(body);
  check_openai_to_ollama(body);
  check_meaning_round_trip(dialect::openai, dialect::anthropic, body);
  const std::string an = translated(dialect::openai, dialect::anthropic, body);
  CHECK(count(an, "/messages") == 21);  // user + 10 x (assistant, merged results)
  const std::string back = translated(dialect::anthropic, dialect::openai, an);
  std::size_t k = 0;
  for (std::size_t i = 0; has(back, at("/messages", i)); ++i) {
    const std::string mp = at("/messages", i);
    if (string_at(back, mp + "/role") == "tool") {
      REQUIRE(k < ids.size());
      CHECK(string_at(back, mp + "/tool_call_id") == ids[k++]);
    }
  }
  CHECK(k == ids.size());
}

TEST_CASE("ids Anthropic would refuse are sanitised the same way on calls and results") {
  const std::string body = R"({"model":"m","messages":[{"role":"user","content":"go"},
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"functions.Bash:0","type":"function","function":{"name":"bash","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"functions.Bash:0","content":"ok"}],
    "tools":[{"type":"function","function":{"name":"bash"}}]})";
  const std::string out = translated(dialect::openai, dialect::anthropic, body);
  CHECK(string_at(out, "/messages/1/content/0/id") == "functions_Bash_0");
  CHECK(string_at(out, "/messages/2/content/0/tool_use_id") == "functions_Bash_0");
  // A tool without parameters gets the empty object schema (A.1).
  CHECK(json_at(out, "/tools/0/input_schema") == R"({"properties":{},"type":"object"})");
}

TEST_CASE("max_tokens is defaulted per model for Anthropic") {
  const auto max_for = [](const std::string& model, const encode_options& options = {}) {
    const std::string body =
        R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})";
    return json_at(translated(dialect::openai, dialect::anthropic, body, options), "/max_tokens");
  };
  CHECK(max_for("claude-3-5-sonnet-20241022") == "8192");
  CHECK(max_for("claude-3-7-sonnet-latest") == "64000");
  CHECK(max_for("claude-sonnet-4-5") == "64000");
  CHECK(max_for("claude-opus-4-1") == "32000");
  CHECK(max_for("anthropic/claude-haiku-4-5") == "64000");
  CHECK(max_for("gpt-4o") == "32000");  // unknown family: never LiteLLM's 4096 (C.8)
  encode_options options;
  options.default_max_tokens = 12345;
  CHECK(max_for("claude-sonnet-4-5", options) == "12345");
  // The client's value wins; max_completion_tokens is the newer name of the same limit.
  const std::string body = R"({"model":"claude-sonnet-4-5","max_completion_tokens":777,
    "messages":[{"role":"user","content":"hi"}]})";
  CHECK(json_at(translated(dialect::openai, dialect::anthropic, body), "/max_tokens") == "777");
  // Above the thinking budget (A.8.6).
  const std::string thinking = R"({"model":"claude-sonnet-4-5","max_tokens":1000,
    "reasoning_effort":"high","messages":[{"role":"user","content":"hi"}]})";
  const std::string out = translated(dialect::openai, dialect::anthropic, thinking);
  CHECK(std::stoll(json_at(out, "/max_tokens")) > std::stoll(json_at(out, "/thinking/budget_tokens")));
}

TEST_CASE("stop and stop_sequences map both ways") {
  const std::string one = R"({"model":"m","stop":"END","messages":[{"role":"user","content":"hi"}]})";
  CHECK(json_at(translated(dialect::openai, dialect::anthropic, one), "/stop_sequences") ==
        R"(["END"])");
  CHECK(json_at(translated(dialect::openai, dialect::ollama, one), "/options/stop") == R"(["END"])");
  // Whitespace-only sequences are refused by Anthropic: dropped (A.1).
  const std::string blank =
      R"({"model":"m","stop":["\n\n","STOP"],"messages":[{"role":"user","content":"hi"}]})";
  CHECK(json_at(translated(dialect::openai, dialect::anthropic, blank), "/stop_sequences") ==
        R"(["STOP"])");
  const std::string an = R"({"model":"m","max_tokens":5,"stop_sequences":["a","b"],
    "messages":[{"role":"user","content":"hi"}]})";
  CHECK(json_at(translated(dialect::anthropic, dialect::openai, an), "/stop") == R"(["a","b"])");
  CHECK(json_at(translated(dialect::anthropic, dialect::ollama, an), "/options/stop") ==
        R"(["a","b"])");
}

TEST_CASE("tool calls and results between OpenAI and Ollama: objects, strings, tool_name") {
  const std::string body = R"({"model":"qwen3","messages":[{"role":"user","content":"go"},
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"call_a","type":"function","function":{"name":"read","arguments":"{\"path\":\"a\",\"n\":1}"}},
      {"id":"call_b","type":"function","function":{"name":"glob","arguments":"{\"pattern\":\"*\"}"}}]},
    {"role":"tool","tool_call_id":"call_b","content":"x"},
    {"role":"tool","tool_call_id":"call_a","content":[{"type":"text","text":"y"}]}],
    "tools":[{"type":"function","function":{"name":"read"}},{"type":"function","function":{"name":"glob"}}]})";
  const std::string ol = translated(dialect::openai, dialect::ollama, body);
  CHECK(json_at(ol, "/messages/1/tool_calls/0/function/arguments") == R"({"n":1,"path":"a"})");
  CHECK(json_at(ol, "/messages/1/content") == R"("")");  // null -> "" (B.2)
  CHECK(string_at(ol, "/messages/2/tool_name") == "glob");
  CHECK(string_at(ol, "/messages/3/tool_name") == "read");
  CHECK(string_at(ol, "/messages/3/content") == "y");  // parts joined (B.2)
  // And back: arguments become strings again, ids kept.
  const std::string oa = translated(dialect::ollama, dialect::openai, ol);
  CHECK(string_at(oa, "/messages/1/tool_calls/0/id") == "call_a");
  CHECK(canonical_json(string_at(oa, "/messages/1/tool_calls/0/function/arguments")) ==
        R"({"n":1,"path":"a"})");
  CHECK(string_at(oa, "/messages/2/tool_call_id") == "call_b");
  CHECK(string_at(oa, "/messages/3/tool_call_id") == "call_a");
}

TEST_CASE("an Ollama request without ids gets stable, unique ids that pair with the results") {
  // Ollama < 0.12.10: calls without ids, results linked by tool_name only (B.3).
  const std::string body = R"({"model":"llama3.1","messages":[{"role":"user","content":"go"},
    {"role":"assistant","content":"","tool_calls":[
      {"function":{"name":"read","arguments":{"path":"a"}}},
      {"function":{"name":"read","arguments":{"path":"b"}}},
      {"function":{"name":"glob","arguments":{}}}]},
    {"role":"tool","tool_name":"read","content":"A"},
    {"role":"tool","tool_name":"read","content":"B"},
    {"role":"tool","tool_name":"glob","content":"G"}],"stream":false})";
  const std::string oa = translated(dialect::ollama, dialect::openai, body);
  CHECK(oa == translated(dialect::ollama, dialect::openai, body));  // stable
  std::set<std::string> ids;
  for (std::size_t j = 0; j < 3; ++j) {
    const std::string id = string_at(oa, at("/messages/1/tool_calls", j) + "/id");
    CHECK(starts_with(id, "call_"));
    ids.insert(id);
    CHECK(string_at(oa, at("/messages", 2 + j) + "/tool_call_id") == id);  // paired in order
  }
  CHECK(ids.size() == 3);  // unique
  check_meaning_round_trip(dialect::openai, dialect::anthropic, oa);
}

TEST_CASE("an Ollama response without ids: stable ids, distinct per call and per body") {
  const std::string body = R"({"model":"qwen3","created_at":"2025-06-01T12:00:00Z",
    "message":{"role":"assistant","content":"","tool_calls":[
      {"function":{"name":"read","arguments":{"path":"a"}}},
      {"function":{"name":"read","arguments":{"path":"a"}}}]},
    "done":true,"done_reason":"stop","prompt_eval_count":10,"eval_count":3})";
  const std::string a = translated_response(dialect::ollama, dialect::openai, body);
  CHECK(a == translated_response(dialect::ollama, dialect::openai, body));
  const std::string id0 = string_at(a, "/choices/0/message/tool_calls/0/id");
  const std::string id1 = string_at(a, "/choices/0/message/tool_calls/1/id");
  CHECK(id0 != id1);  // two identical calls still differ
  std::string other = body;
  other.replace(other.find("\"a\"}}}]"), 3, "\"c\"");
  const std::string c = translated_response(dialect::ollama, dialect::openai, other);
  CHECK(string_at(c, "/choices/0/message/tool_calls/0/id") != id0);
  // The same ids for an Anthropic client (sanitised form of the same id).
  const std::string an = translated_response(dialect::ollama, dialect::anthropic, body);
  CHECK(string_at(an, "/content/0/id") == id0);
  CHECK(string_at(an, "/stop_reason") == "tool_use");
}

TEST_CASE("finish reasons map both ways") {
  const auto anthropic_body = [](const std::string& reason) {
    return R"({"id":"msg_1","type":"message","role":"assistant","model":"claude",
      "content":[{"type":"text","text":"hi"}],"stop_reason":)" + reason +
           R"(,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}})";
  };
  const auto openai_body = [](const std::string& reason) {
    return R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt",
      "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":)" +
           reason + R"(}]})";
  };
  const auto ollama_body = [](const std::string& reason, bool calls) {
    return std::string(R"({"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"hi")") +
           (calls ? R"(,"tool_calls":[{"function":{"name":"f","arguments":{}}}])" : "") +
           R"(},"done":true,"done_reason":)" + reason + "}";
  };
  // Anthropic -> OpenAI (A.3 table).
  const std::pair<const char*, const char*> an_to_oa[] = {
      {R"("end_turn")", "stop"},        {R"("stop_sequence")", "stop"},
      {R"("max_tokens")", "length"},    {R"("tool_use")", "tool_calls"},
      {R"("pause_turn")", "stop"},      {R"("refusal")", "content_filter"},
      {R"("model_context_window_exceeded")", "length"},
      {R"("compaction")", "length"},    {R"("something_new")", "stop"},
      {"null", "stop"}};
  for (const auto& [from, to] : an_to_oa) {
    INFO(from);
    CHECK(string_at(translated_response(dialect::anthropic, dialect::openai, anthropic_body(from)),
                    "/choices/0/finish_reason") == to);
  }
  // OpenAI -> Anthropic (A.4).
  const std::pair<const char*, const char*> oa_to_an[] = {
      {R"("stop")", "end_turn"},           {R"("length")", "max_tokens"},
      {R"("tool_calls")", "tool_use"},     {R"("content_filter")", "refusal"},
      {R"("function_call")", "tool_use"},  {R"("something_new")", "end_turn"}};
  for (const auto& [from, to] : oa_to_an) {
    INFO(from);
    CHECK(string_at(translated_response(dialect::openai, dialect::anthropic, openai_body(from)),
                    "/stop_reason") == to);
  }
  // Ollama -> OpenAI (B.4): stop with calls is a tool turn; load/unload/"" end normally.
  CHECK(string_at(translated_response(dialect::ollama, dialect::openai, ollama_body(R"("stop")", false)),
                  "/choices/0/finish_reason") == "stop");
  CHECK(string_at(translated_response(dialect::ollama, dialect::openai, ollama_body(R"("stop")", true)),
                  "/choices/0/finish_reason") == "tool_calls");
  CHECK(string_at(translated_response(dialect::ollama, dialect::openai, ollama_body(R"("length")", false)),
                  "/choices/0/finish_reason") == "length");
  for (const char* r : {R"("load")", R"("unload")", R"("")"}) {
    INFO(r);
    CHECK(string_at(translated_response(dialect::ollama, dialect::openai, ollama_body(r, false)),
                    "/choices/0/finish_reason") == "stop");
  }
  // OpenAI -> Ollama: only stop and length exist there (B.4).
  CHECK(string_at(translated_response(dialect::openai, dialect::ollama, openai_body(R"("length")")),
                  "/done_reason") == "length");
  CHECK(string_at(translated_response(dialect::openai, dialect::ollama, openai_body(R"("tool_calls")")),
                  "/done_reason") == "stop");
  CHECK(string_at(translated_response(dialect::anthropic, dialect::ollama, anthropic_body(R"("max_tokens")")),
                  "/done_reason") == "length");
}

TEST_CASE("captured upstream responses translate with ids, calls and finish reasons kept") {
  {
    const std::string body = load("captures/anthropic-messages-tool_use.response.json");
    const std::string oa = translated_response(dialect::anthropic, dialect::openai, body);
    CHECK(string_at(oa, "/id") == string_at(body, "/id"));
    CHECK(string_at(oa, "/choices/0/message/content") == "I'll write the file.");
    CHECK(string_at(oa, "/choices/0/message/tool_calls/0/id") == string_at(body, "/content/1/id"));
    CHECK(canonical_json(string_at(oa, "/choices/0/message/tool_calls/0/function/arguments")) ==
          json_at(body, "/content/1/input"));
    CHECK(string_at(oa, "/choices/0/finish_reason") == "tool_calls");
    CHECK(json_at(oa, "/usage/prompt_tokens") == "12678");
    const std::string ol = translated_response(dialect::anthropic, dialect::ollama, body);
    CHECK(json_at(ol, "/message/tool_calls/0/function/arguments") ==
          json_at(body, "/content/1/input"));
  }
  {
    const std::string body = load("captures/openai-chat-tool_call.response.json");
    const std::string an = translated_response(dialect::openai, dialect::anthropic, body);
    CHECK(count(an, "/content") == 1);  // content null: no empty text block
    CHECK(string_at(an, "/content/0/type") == "tool_use");
    CHECK(string_at(an, "/content/0/id") ==
          string_at(body, "/choices/0/message/tool_calls/0/id"));
    CHECK(json_at(an, "/content/0/input") ==
          canonical_json(string_at(body, "/choices/0/message/tool_calls/0/function/arguments")));
    CHECK(string_at(an, "/stop_reason") == "tool_use");
    CHECK(json_at(an, "/usage/input_tokens") == "7467");
    // Same dialect: unchanged (system_fingerprint included).
    CHECK(canonical_json(translated_response(dialect::openai, dialect::openai, body)) ==
          canonical_json(body));
  }
  for (const char* name : {"anthropic-messages-text", "anthropic-messages-tool_use"}) {
    INFO(name);
    const std::string body = load(std::string("captures/") + name + ".response.json");
    CHECK(canonical_json(translated_response(dialect::anthropic, dialect::anthropic, body)) ==
          canonical_json(body));
  }
}

// ==== 4. expected-output goldens ===============================================================

TEST_CASE("golden translations match their expected files") {
  for (const auto& g : goldens) {
    INFO(g.name);
    const std::string in = load(std::string("golden/") + g.name + ".in.json");
    const std::string expected = load(std::string("golden/") + g.name + ".expected.json");
    REQUIRE(canonical_json(expected)[0] != '<');
    const std::string out = g.k == kind::request ? translated(g.from, g.to, in)
                                                 : translated_response(g.from, g.to, in);
    CHECK(canonical_json(out) == canonical_json(expected));
    // Translating is deterministic: the same input gives the same bytes.
    const std::string again = g.k == kind::request ? translated(g.from, g.to, in)
                                                   : translated_response(g.from, g.to, in);
    CHECK(again == out);
  }
}

TEST_CASE("the golden request inputs also pass the rule checks") {
  check_openai_to_anthropic(load("golden/opencode-request-to-anthropic.in.json"));
  check_meaning_round_trip(dialect::openai, dialect::anthropic,
                           load("golden/opencode-request-to-anthropic.in.json"));
  check_anthropic_to_openai(load("golden/claude-code-request-to-openai.in.json"));
  check_meaning_round_trip(dialect::anthropic, dialect::openai,
                           load("golden/claude-code-request-to-openai.in.json"));
  check_openai_to_ollama(load("golden/openai-parallel-tool-results-to-ollama.in.json"));
}

TEST_CASE("every dialect refuses a body that is not a JSON object with 400 at the root") {
  for (dialect d : {dialect::openai, dialect::anthropic, dialect::ollama, dialect::responses}) {
    for (std::string_view body : {"[]", "\"hi\"", "42", "null"}) {
      INFO(to_string(d) << " " << body);
      auto req = decode_request(d, body);
      REQUIRE_FALSE(req);
      CHECK(req.error_value().http_status == 400);
      CHECK(req.error_value().path == "$");
      CHECK(req.error_value().message == "expected an object");
      auto resp = decode_response(d, body);
      REQUIRE_FALSE(resp);
      CHECK(resp.error_value().path == "$");
      CHECK(resp.error_value().message == "expected an object");
    }
  }
}
