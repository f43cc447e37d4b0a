// corpus.cpp: deterministic benchmark inputs grown from the real captures (see corpus.h).
#include "corpus.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>

namespace bench {
namespace {

// ---- small helpers -------------------------------------------------------------------------

struct rng {
  std::uint64_t s;
  explicit rng(std::uint64_t seed) : s(seed) {}
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
  template <class T, std::size_t N>
  const T& pick(const T (&a)[N]) { return a[below(N)]; }
};

std::string hex_id(rng& r, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += digits[r.below(16)];
  return s;
}

// Truncates `s` to at most `size` bytes without splitting a UTF-8 sequence.
void utf8_truncate(std::string& s, std::size_t size) {
  if (s.size() <= size) return;
  std::size_t cut = size;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
}

const char* const k_sentences[] = {
    "Let me look at how the parser handles this case first.",
    "The failing test expects the header to be trimmed before it is compared.",
    "I'll read the configuration loader to see where the default comes from.",
    "That explains it: the buffer is reused after the string_view was taken.",
    "Now I'll run the unit tests again to confirm the fix — they should all pass.",
    "The café menu renders correctly now; the encoder no longer double-escapes \"é\".",
    "Next, I need to update the call sites that still pass the old flag.",
    "Here is the plan: (1) reproduce, (2) bisect, (3) write a regression test.",
    "The build failed with a missing include; adding <string_view> should fix it.",
    "Everything compiles. I'll check the remaining warnings in the output.",
    "This function is hot in the profile, so avoid the extra copy here.",
    "I found three places where the timeout is hard-coded to 30 seconds.",
};

const char* const k_code_lines[] = {
    "#include <string_view>",
    "static int parse_header(std::string_view line, header& out) {",
    "  if (line.empty()) return -1;  // nothing to do",
    "\tconst char* p = line.data();",
    "  auto pos = line.find(\": \");",
    "  std::printf(\"%s=%d\\n\", name.c_str(), value);",
    "def load(path: str) -> dict:",
    "    with open(path, \"r\", encoding=\"utf-8\") as f:",
    "        return json.load(f)  # héllo wörld",
    "export async function fetchJson(url: string): Promise<unknown> {",
    "  const res = await fetch(url, { headers: { \"content-type\": \"application/json\" } });",
    "  return path.replace(/\\\\/g, '/');",
    "}",
    "",
    "  for (std::size_t i = 0; i < n; ++i) sum += v[i];",
    "    raise ValueError(f\"bad value: {value!r}\")",
    "  throw new Error(`unexpected token ${tok} at ${pos}`);",
    "// TODO(perf): avoid the copy — reuse the buffer",
    "  if err != nil {\n\t\treturn fmt.Errorf(\"open %q: %w\", path, err)\n\t}",
    "SELECT id, name FROM users WHERE email = 'a@b.c' AND active = 1;",
};

const char* const k_paths[] = {
    "src/server/http_parser.cpp", "src/config/loader.py",   "web/src/api/client.ts",
    "include/util/strings.h",     "tests/test_loader.py",   "cmd/gateway/main.go",
    "docs/architecture.md",       "src/codec/json_writer.cpp",
};

const char* const k_commands[] = {
    "ls -la src", "git status --short", "npm test -- --silent", "make -j2 2>&1 | tail -20",
    "pytest -q tests/test_loader.py", "grep -rn \"TODO\" src | head",
};

const char* const k_shell_lines[] = {
    "drwxr-xr-x  5 dev dev  4096 Nov 26 09:12 server",
    "-rw-r--r--  1 dev dev 18231 Nov 26 09:10 http_parser.cpp",
    " M src/server/http_parser.cpp",
    "?? tests/test_http_parser.py",
    "PASS  web/src/api/client.test.ts (2.114 s)",
    "[ 42%] Building CXX object src/CMakeFiles/core.dir/codec/json_writer.cpp.o",
    "tests/test_loader.py::test_defaults PASSED                             [ 50%]",
    "warning: unused variable 'len' [-Wunused-variable]",
};

std::string lines_of(rng& r, const char* const* pool, std::size_t pool_n, std::size_t size,
                     bool numbered, bool tab_numbers) {
  std::string out;
  std::size_t n = 1;
  while (out.size() < size) {
    if (numbered) {
      char buf[32];
      if (tab_numbers) std::snprintf(buf, sizeof buf, "%6zu\t", n);
      else std::snprintf(buf, sizeof buf, "%05zu| ", n);
      out += buf;
    }
    out += pool[r.below(pool_n)];
    out += '\n';
    ++n;
  }
  return out;
}

std::string sentences(rng& r, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ' ';
    out += r.pick(k_sentences);
  }
  return out;
}

// ---- agent turns ---------------------------------------------------------------------------

enum class flavor { opencode, claude_code };

struct tool_turn {
  std::string prose;      // assistant text before the call ("" = none)
  std::string name;       // tool name
  std::string args;       // compact JSON object
  std::string result;     // tool output text
  std::string user_text;  // a user follow-up after the result ("" = none)
};

std::string json_object(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string s = "{";
  for (std::size_t i = 0; i < kv.size(); ++i) {
    if (i) s += ',';
    s += json_quote(kv[i].first);
    s += ':';
    s += json_quote(kv[i].second);
  }
  s += '}';
  return s;
}

tool_turn make_turn(rng& r, flavor f) {
  const bool cc = f == flavor::claude_code;
  const std::string path = std::string(cc ? "/home/dev/project/" : "/home/dev/project/") +
                           r.pick(k_paths);
  const std::string path_key = cc ? "file_path" : "filePath";
  tool_turn t;
  if (r.below(3) != 0) t.prose = sentences(r, r.between(1, 3));
  constexpr std::size_t ncode = sizeof k_code_lines / sizeof *k_code_lines;
  constexpr std::size_t nshell = sizeof k_shell_lines / sizeof *k_shell_lines;
  switch (r.below(cc ? 4 : 6)) {
    case 0:  // read
      t.name = cc ? "Read" : "read";
      t.args = json_object({{path_key, path}});
      t.result = lines_of(r, k_code_lines, ncode, r.between(1500, 6000), true, cc);
      if (!cc) t.result = "<file>\n" + t.result + "</file>";
      break;
    case 1: {  // bash
      t.name = cc ? "Bash" : "bash";
      t.args = json_object({{"command", r.pick(k_commands)},
                            {"description", "Inspect the working tree"}});
      t.result = lines_of(r, k_shell_lines, nshell, r.between(200, 2000), false, false);
      break;
    }
    case 2: {  // edit
      t.name = cc ? "Edit" : "edit";
      std::string old_s = lines_of(r, k_code_lines, ncode, r.between(80, 600), false, false);
      std::string new_s = lines_of(r, k_code_lines, ncode, r.between(80, 600), false, false);
      t.args = json_object({{path_key, path},
                            {cc ? "old_string" : "oldString", old_s},
                            {cc ? "new_string" : "newString", new_s}});
      t.result = cc ? "The file " + path + " has been updated." : "Edit applied successfully.";
      break;
    }
    case 3: {  // write
      t.name = cc ? "Write" : "write";
      t.args = json_object(
          {{path_key, path},
           {"content", lines_of(r, k_code_lines, ncode, r.between(500, 4000), false, false)}});
      t.result = cc ? "File created successfully at: " + path : "Wrote file successfully.";
      break;
    }
    case 4: {  // grep
      t.name = "grep";
      t.args = json_object({{"pattern", "parse_header\\("}, {"path", "/home/dev/project"}});
      std::string hits;
      std::size_t target = r.between(200, 1500);
      while (hits.size() < target) {
        hits += r.pick(k_paths);
        hits += ':' + std::to_string(r.between(1, 900)) + ": ";
        hits += r.pick(k_code_lines);
        hits += '\n';
      }
      t.result = "Found " + std::to_string(target / 60) + " matches\n" + hits;
      break;
    }
    default:  // glob
      t.name = "glob";
      t.args = json_object({{"pattern", "**/*.ts"}});
      for (std::size_t i = 0, n = r.between(5, 30); i < n; ++i) {
        t.result += "/home/dev/project/";
        t.result += r.pick(k_paths);
        t.result += '\n';
      }
      break;
  }
  if (r.below(8) == 0) t.user_text = sentences(r, 1);
  return t;
}

std::string openai_messages(const tool_turn& t, rng& r) {
  const std::string id = "call_" + hex_id(r, 20);
  std::string s = R"({"role":"assistant","content":)";
  s += t.prose.empty() ? std::string("null") : json_quote(t.prose);
  s += R"(,"tool_calls":[{"id":")" + id + R"(","type":"function","function":{"name":)";
  s += json_quote(t.name);
  s += R"(,"arguments":)" + json_quote(t.args) + "}}]},";
  s += R"({"role":"tool","tool_call_id":")" + id + R"(","content":)" + json_quote(t.result) + "}";
  if (!t.user_text.empty()) s += R"(,{"role":"user","content":)" + json_quote(t.user_text) + "}";
  return s;
}

std::string anthropic_messages(const tool_turn& t, rng& r) {
  const std::string id = "toolu_" + hex_id(r, 22);
  std::string s = R"({"role":"assistant","content":[)";
  if (!t.prose.empty()) s += R"({"type":"text","text":)" + json_quote(t.prose) + "},";
  s += R"({"type":"tool_use","id":")" + id + R"(","name":)" + json_quote(t.name) +
       R"(,"input":)" + t.args + "}]},";
  s += R"({"role":"user","content":[{"type":"tool_result","tool_use_id":")" + id +
       R"(","content":)" + json_quote(t.result) + "}";
  if (!t.user_text.empty()) s += R"(,{"type":"text","text":)" + json_quote(t.user_text) + "}";
  s += "]}";
  return s;
}

// Offset of the `]` closing the top-level "messages" array of `body`.
std::size_t messages_end(const std::string& body) {
  std::size_t pos = body.find("\"messages\":");
  if (pos == std::string::npos) std::abort();
  pos = body.find('[', pos);
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = pos; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') {
      if (--depth == 0) return i;
    }
  }
  std::abort();
}

std::string grow_request(const std::string& base, std::size_t target, flavor f, bool anthropic) {
  if (base.size() >= target) return base;
  rng r(0x5eed0000 + target);
  std::size_t end = messages_end(base);
  std::string added;
  while (base.size() + added.size() < target) {
    tool_turn t = make_turn(r, f);
    added += ",\n";
    added += anthropic ? anthropic_messages(t, r) : openai_messages(t, r);
  }
  std::string out;
  out.reserve(base.size() + added.size());
  out.append(base, 0, end);
  // The base's last message ends with whitespace before `]`; keep JSON valid either way.
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  out += added;
  out += '\n';
  out.append(base, end, std::string::npos);
  return out;
}

template <class F>
const std::string& cached(std::map<std::tuple<int, int, std::size_t>, std::string>& cache,
                          std::tuple<int, int, std::size_t> key, F make) {
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, make()).first;
  return it->second;
}

std::map<std::tuple<int, int, std::size_t>, std::string> g_cache;

// Write calls of about 4 KB of file content each, to fill a response up to `target`.
std::vector<std::pair<std::string, std::string>> write_calls(rng& r, std::size_t target) {
  std::vector<std::pair<std::string, std::string>> calls;  // path, content
  std::size_t total = 0;
  constexpr std::size_t ncode = sizeof k_code_lines / sizeof *k_code_lines;
  // 2 to 6 KB of content per call; a body of a few KB gets one call, sized so that the whole
  // body (envelope, prose, escaping) comes to about `target` / 0.9.
  const bool small = target < 8000;
  while (total < target) {
    const std::size_t size = small ? std::max<std::size_t>(target, 700) - 600 : r.between(2000, 6000);
    std::string content = lines_of(r, k_code_lines, ncode, size, false, false);
    total += content.size() + 120;
    calls.emplace_back(std::string("/home/dev/project/") + r.pick(k_paths), std::move(content));
    if (small) break;
  }
  return calls;
}

// Splits `s` into pieces of 5..30 bytes, never inside a UTF-8 sequence.
std::vector<std::string> small_pieces(rng& r, const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = r.between(5, 30);
    std::size_t end = std::min(s.size(), i + n);
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    out.emplace_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

// A text of about `pieces` * 17.5 bytes.
std::string text_for_pieces(rng& r, std::size_t pieces) {
  std::string s;
  while (s.size() < pieces * 35 / 2) {
    if (!s.empty()) s += r.below(6) == 0 ? "\n\n" : " ";
    s += r.pick(k_sentences);
  }
  return s;
}

std::string args_for_pieces(rng& r, std::size_t pieces, std::size_t k) {
  constexpr std::size_t ncode = sizeof k_code_lines / sizeof *k_code_lines;
  std::string content = lines_of(r, k_code_lines, ncode, pieces * 35 / 2, false, false);
  return json_object({{"file_path", std::string("/home/dev/project/") + k_paths[k % 8]},
                      {"content", content}});
}

void add_event(stream_corpus& c, std::string ev) {
  c.joined += ev;
  c.events.push_back(std::move(ev));
}

}  // namespace

const std::string& data_file(std::string_view relative) {
  static std::map<std::string, std::string, std::less<>> files;
  auto it = files.find(relative);
  if (it != files.end()) return it->second;
  std::string path = std::string(HARNESS_BENCH_DATA_DIR) + "/" + std::string(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "harness-bench: cannot read %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return files.emplace(std::string(relative), ss.str()).first->second;
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8 + 2);
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string prose(std::size_t size) {
  rng r(0x9105e + size);
  std::string s;
  s.reserve(size + 128);
  while (s.size() < size) {
    if (!s.empty()) s += r.below(5) == 0 ? "\n\n" : " ";
    s += r.pick(k_sentences);
  }
  utf8_truncate(s, size);
  while (s.size() < size) s += '.';
  return s;
}

std::string code(std::size_t size) {
  rng r(0xc0de + size);
  constexpr std::size_t ncode = sizeof k_code_lines / sizeof *k_code_lines;
  std::string s = lines_of(r, k_code_lines, ncode, size, false, false);
  utf8_truncate(s, size);
  while (s.size() < size) s += ' ';
  return s;
}

std::string human_size(std::size_t bytes) {
  char buf[32];
  if (bytes >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1048576.0);
  else if (bytes >= 1024) std::snprintf(buf, sizeof buf, "%.1f KB", bytes / 1024.0);
  else std::snprintf(buf, sizeof buf, "%zu B", bytes);
  return buf;
}

const std::string& openai_request(request_base base, std::size_t target) {
  return cached(g_cache, {0, static_cast<int>(base), target}, [&] {
    const std::string& b = data_file(base == request_base::sdk
                                         ? "captures/openai-sdk-02.request.json"
                                         : "captures/opencode-03.request.json");
    return grow_request(b, target, flavor::opencode, false);
  });
}

const std::string& anthropic_request(request_base base, std::size_t target) {
  return cached(g_cache, {1, static_cast<int>(base), target}, [&] {
    const std::string& b = data_file(base == request_base::sdk
                                         ? "captures/anthropic-sdk-02.request.json"
                                         : "captures/claude-code-02.request.json");
    return grow_request(b, target, flavor::claude_code, true);
  });
}

const std::string& openai_response(std::size_t target) {
  return cached(g_cache, {2, 0, target}, [&] {
    if (target < 1024) return data_file("captures/openai-chat-tool_call.response.json");
    rng r(0x0a1 + target);
    std::string s = R"({"id":"chatcmpl-84b6c5af7b67411b9319a230","object":"chat.completion",)"
                    R"("created":1795685337,"model":"test-model","system_fingerprint":"fp_capture",)"
                    R"("choices":[{"index":0,"message":{"role":"assistant","content":)";
    s += json_quote(text_for_pieces(r, target / 10 / 17 + 1));
    s += R"(,"tool_calls":[)";
    auto calls = write_calls(r, target * 9 / 10);
    for (std::size_t i = 0; i < calls.size(); ++i) {
      if (i) s += ',';
      std::string args = json_object({{"filePath", calls[i].first}, {"content", calls[i].second}});
      s += R"({"id":"call_)" + hex_id(r, 20) +
           R"(","type":"function","function":{"name":"write","arguments":)" + json_quote(args) +
           "}}";
    }
    s += R"(]},"logprobs":null,"finish_reason":"tool_calls"}],)"
         R"("usage":{"prompt_tokens":7467,"completion_tokens":12,"total_tokens":7479}})";
    return s;
  });
}

const std::string& anthropic_response(std::size_t target) {
  return cached(g_cache, {3, 0, target}, [&] {
    if (target < 1024) return data_file("captures/anthropic-messages-tool_use.response.json");
    rng r(0x0a2 + target);
    std::string s = R"({"id":"msg_4ff073c1432b4796be46a1a0","type":"message","role":"assistant",)"
                    R"("model":"claude-opus-5-5","content":[{"type":"text","text":)";
    s += json_quote(text_for_pieces(r, target / 10 / 17 + 1));
    s += "}";
    for (auto& [path, content] : write_calls(r, target * 9 / 10)) {
      s += R"(,{"type":"tool_use","id":"toolu_)" + hex_id(r, 22) + R"(","name":"Write","input":)" +
           json_object({{"file_path", path}, {"content", content}}) + "}";
    }
    s += R"(],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":12678,)"
         R"("output_tokens":15,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}})";
    return s;
  });
}

const stream_corpus& anthropic_stream(std::size_t deltas, std::size_t tools) {
  static std::map<std::pair<std::size_t, std::size_t>, stream_corpus> cache;
  auto it = cache.find({deltas, tools});
  if (it != cache.end()) return it->second;
  stream_corpus c;
  rng r(0xa57 + deltas * 31 + tools);
  auto ev = [&](const char* type, const std::string& data) {
    add_event(c, std::string("event: ") + type + "\ndata: " + data + "\n\n");
  };
  ev("message_start",
     R"({"type":"message_start","message":{"id":"msg_d9bfce0077044634abb3a589","type":"message",)"
     R"("role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,)"
     R"("stop_sequence":null,"usage":{"input_tokens":12678,"output_tokens":1,)"
     R"("cache_creation_input_tokens":0,"cache_read_input_tokens":2048}}})");
  ev("ping", R"({"type":"ping"})");
  std::size_t index = 0;
  auto delta = [&](const char* dtype, const char* field, const std::string& piece) {
    ev("content_block_delta", R"({"type":"content_block_delta","index":)" +
                                  std::to_string(index) + R"(,"delta":{"type":")" + dtype +
                                  R"(",")" + field + R"(":)" + json_quote(piece) + "}}");
    ++c.delta_events;
  };
  auto stop = [&] {
    ev("content_block_stop",
       R"({"type":"content_block_stop","index":)" + std::to_string(index) + "}");
    ++index;
  };
  // thinking
  ev("content_block_start", R"({"type":"content_block_start","index":0,)"
                            R"("content_block":{"type":"thinking","thinking":"","signature":""}})");
  for (auto& p : small_pieces(r, text_for_pieces(r, deltas))) delta("thinking_delta", "thinking", p);
  ev("content_block_delta",
     R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta",)"
     R"("signature":"EqQBCkgIARABGAIiQL2mFpGl3mFMUaeWbQx9ZpmGcOyNzpOEnb2EcA0ZbYPBbj8LA=="}})");
  stop();
  // text
  ev("content_block_start", R"({"type":"content_block_start","index":1,)"
                            R"("content_block":{"type":"text","text":""}})");
  for (auto& p : small_pieces(r, text_for_pieces(r, 4 * deltas))) delta("text_delta", "text", p);
  stop();
  // tool calls
  for (std::size_t k = 0; k < tools; ++k) {
    ev("content_block_start", R"({"type":"content_block_start","index":)" +
                                  std::to_string(index) +
                                  R"(,"content_block":{"type":"tool_use","id":"toolu_)" +
                                  hex_id(r, 22) + R"(","name":"Write","input":{}}})");
    delta("input_json_delta", "partial_json", "");
    for (auto& p : small_pieces(r, args_for_pieces(r, deltas, k)))
      delta("input_json_delta", "partial_json", p);
    stop();
  }
  ev("message_delta",
     R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},)"
     R"("usage":{"output_tokens":)" + std::to_string(c.delta_events) + "}}");
  ev("message_stop", R"({"type":"message_stop"})");
  return cache.emplace(std::make_pair(deltas, tools), std::move(c)).first->second;
}

const stream_corpus& ollama_stream(std::size_t deltas, std::size_t tools) {
  static std::map<std::pair<std::size_t, std::size_t>, stream_corpus> cache;
  auto it = cache.find({deltas, tools});
  if (it != cache.end()) return it->second;
  stream_corpus c;
  rng r(0x011a + deltas * 31 + tools);
  std::size_t ms = 0;
  auto stamp = [&] {
    char buf[48];
    std::snprintf(buf, sizeof buf, "2026-11-26T09:%02zu:%02zu.%03zuZ", (ms / 60000) % 60,
                  (ms / 1000) % 60, ms % 1000);
    ms += 23;
    return std::string(buf);
  };
  auto line = [&](const std::string& message, const std::string& tail) {
    add_event(c, R"({"model":"qwen3:8b","created_at":")" + stamp() + R"(","message":)" + message +
                     tail + "\n");
  };
  for (auto& p : small_pieces(r, text_for_pieces(r, deltas))) {
    line(R"({"role":"assistant","content":"","thinking":)" + json_quote(p) + "}",
         R"(,"done":false})");
    ++c.delta_events;
  }
  for (auto& p : small_pieces(r, text_for_pieces(r, 4 * deltas))) {
    line(R"({"role":"assistant","content":)" + json_quote(p) + "}", R"(,"done":false})");
    ++c.delta_events;
  }
  if (tools > 0) {
    std::string calls;
    for (std::size_t k = 0; k < tools; ++k) {
      if (k) calls += ',';
      calls += R"({"function":{"index":)" + std::to_string(k) + R"(,"name":"write","arguments":)" +
               args_for_pieces(r, deltas, k) + "}}";
    }
    line(R"({"role":"assistant","content":"","tool_calls":[)" + calls + "]}", R"(,"done":false})");
  }
  line(R"({"role":"assistant","content":""})",
       R"(,"done":true,"done_reason":"stop","total_duration":4130912000,"load_duration":21000000,)"
       R"("prompt_eval_count":7467,"prompt_eval_duration":350000000,"eval_count":)" +
           std::to_string(c.delta_events) + R"(,"eval_duration":3700000000})");
  return cache.emplace(std::make_pair(deltas, tools), std::move(c)).first->second;
}

}  // namespace bench
