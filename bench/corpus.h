// corpus.h: benchmark inputs built from the real captures in tests/data.
//
// Small inputs are the captured bodies themselves. Large ones keep a captured body (its system
// prompt, tools and first turns) and append synthetic but realistic agent turns: assistant
// prose + a tool call (read / bash / grep / edit / write / glob for OpenCode, Read / Bash / Edit
// / Write for Claude Code) and the tool's result (numbered file listings, shell output, grep
// hits), with code text full of quotes, backslashes, tabs, newlines and some non-ASCII. Every
// generator is deterministic (fixed seed), so runs compare.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// Contents of tests/data/<relative>; aborts when missing.
const std::string& data_file(std::string_view relative);

/// Which captured body a request grows from.
enum class request_base {
  sdk,    ///< openai-sdk-02 / anthropic-sdk-02 (about 1.1 KB, one tool)
  agent,  ///< opencode-03 (33 KB) / claude-code-02 (56 KB): real agent system prompt and tools
};

/// An OpenAI Chat Completions request of about `target` bytes (at least the base's size).
const std::string& openai_request(request_base base, std::size_t target);
/// An Anthropic Messages request of about `target` bytes (at least the base's size).
const std::string& anthropic_request(request_base base, std::size_t target);

/// A non-streaming response of about `target` bytes: the capture (about 0.5 KB) when `target` <
/// 1024, else assistant prose plus parallel write-tool calls carrying file contents.
const std::string& openai_response(std::size_t target);
const std::string& anthropic_response(std::size_t target);

/// A long upstream stream, one entry per upstream event (an SSE event or an NDJSON line).
struct stream_corpus {
  std::vector<std::string> events;
  std::string joined;  ///< all events concatenated
  std::size_t delta_events = 0;
};

/// Anthropic Messages SSE: a thinking block, a text block and `tools` tool_use blocks, with
/// `deltas` thinking/text/input_json deltas of 5-30 bytes per block (text: 4x as many).
const stream_corpus& anthropic_stream(std::size_t deltas, std::size_t tools);
/// Ollama NDJSON: `deltas` thinking lines, 4 * `deltas` content lines of 5-30 bytes, then a
/// line with `tools` complete tool calls (same argument sizes as the Anthropic stream) and the
/// final done line.
const stream_corpus& ollama_stream(std::size_t deltas, std::size_t tools);

/// Plain prose (English, some punctuation and non-ASCII), no tool-call markers, `size` bytes.
std::string prose(std::size_t size);
/// Source-code-like text (quotes, backslashes, tabs, newlines), `size` bytes.
std::string code(std::size_t size);
/// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

/// "1.0 KB", "100 KB", "5.0 MB".
std::string human_size(std::size_t bytes);

}  // namespace bench
