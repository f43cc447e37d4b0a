// rescue.h: promote tool calls that a model printed as text into real tool calls.
//
// Models without (or with broken) native tool calling print calls as text: Hermes
// <tool_call> tags, [TOOL_CALLS], <|python_tag|>, bare or fenced JSON, pythonic lists, XML
// parameters, DeepSeek/Kimi special-token sections, Harmony headers and more (the 38 formats of
// docs/rescue-formats.md). The rescuer finds them, validates the tool name against the tools
// that were offered, and returns the calls, the remaining prose (`content`) and the reasoning.
// Genuine prose is left alone; whatever cannot be rescued stays content with its original
// bytes. Nothing here fails: bad model output degrades to content.
//
// Content rule: tool-call spans, reasoning blocks and pure markup are removed; the text left
// between removed spans forms segments, each trimmed, empty ones dropped, joined with "\n\n";
// no text at all gives std::nullopt. Reasoning uses the same rule on the inside of reasoning
// blocks.
//
// Thread-safety: rescue_text and the JSON helpers are pure and reentrant. A stream_rescuer is a
// single-stream object: use one per response, from one thread at a time.
// Complexity: linear in the input for both entry points, whatever the chunking.
#pragma once

#include <harness/result.h>
#include <harness/tool.h>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harness {
inline namespace v0 {

/// Whether the reply may begin inside a reasoning block whose opening tag was written by the
/// chat template (a "forced-open" <think>), so that the output only shows the closing tag.
enum class reasoning_start {
  /// If the first reasoning marker of the reply (outside code spans and outside the JSON
  /// strings of a call) is a closer (</think>, [/THINK], </seed:think>, <|END_THINKING|>, ...)
  /// with no opener before it, the text before it is reasoning. A reply that opens with a call,
  /// JSON or a fence, or whose first such marker is an opener or a Harmony/Gemma channel, starts
  /// as content. A stream_rescuer must hold the start of the reply until this is decided (for
  /// plain prose: until the end of the stream); set `open` or `closed` when the template is
  /// known so that nothing is held for it.
  detect,
  open,    ///< the reply starts in reasoning (released as reasoning at once)
  closed,  ///< the reply starts as content (released as content at once)
};

/// What the request offered; copied by the rescuer.
struct rescue_options {
  /// Names of the offered tools. A call is promoted only if its name is one of these (or of
  /// `tools`); nothing is rescued when both are empty. Case is significant.
  std::vector<std::string> tools_offered;
  /// Full definitions: names count as offered, and `parameters` (JSON Schema) types values.
  std::vector<tool_spec> tools;
  /// Simple schema alternative: tool -> parameter -> JSON Schema type ("integer", "array", ...).
  /// Takes precedence over `tools[i].parameters` for the parameters it names.
  std::map<std::string, std::map<std::string, std::string>> param_types;
  reasoning_start reasoning = reasoning_start::detect;
};

/// One promoted call.
struct rescued_call {
  std::string id;         ///< deterministic: call_<hash of the raw text and position>
  std::string name;       ///< an offered tool name
  std::string arguments;  ///< compact JSON object text
  std::string family;     ///< format family that matched ("hermes", "bare_json", ...)
  std::string native_id;  ///< the model's own id when the format carries one (Kimi), else ""
  std::string raw;        ///< the original bytes of the call span (markers included)
  friend bool operator==(const rescued_call&, const rescued_call&) = default;
};

/// The outcome for a whole reply.
struct rescue_result {
  std::vector<rescued_call> calls;
  std::optional<std::string> content;
  std::optional<std::string> reasoning;
  friend bool operator==(const rescue_result&, const rescue_result&) = default;
};

/// Finds the calls in a finished reply. Pure; never fails.
rescue_result rescue_text(std::string_view text, const rescue_options& options);

/// One piece of streamed output. Content and reasoning are deltas (appended in order); a call
/// is always complete. Deltas never split a UTF-8 sequence of valid input.
struct rescue_event {
  enum class kind { content, reasoning, call };
  kind type = kind::content;
  std::string text;   ///< kind::content / kind::reasoning
  rescued_call call;  ///< kind::call
};
using rescue_events = std::vector<rescue_event>;

/// Appends `events` to `into` (content and reasoning concatenated, calls in order). Folding
/// every event of a stream this way gives exactly rescue_text's result for the same text.
void accumulate(rescue_result& into, const rescue_events& events);

/// Incremental rescuer: feed the reply in chunks of any size and get released output at once.
///
/// Text that cannot start a call is released immediately; only a possible call prefix (a
/// partial marker, an open call, an untagged JSON candidate that must turn out to be the last
/// thing in the reply, or a forced-open reasoning prefix under reasoning_start::detect) is held
/// back. Under any chunking the events of feed()...finish() fold (see accumulate) to exactly
/// rescue_text(whole text). Total work is linear in the input.
class stream_rescuer {
 public:
  /// Keeps `options` (move them in to avoid copying the tools' schemas).
  explicit stream_rescuer(rescue_options options);
  ~stream_rescuer();
  stream_rescuer(stream_rescuer&&) noexcept;
  stream_rescuer& operator=(stream_rescuer&&) noexcept;
  stream_rescuer(const stream_rescuer&) = delete;
  stream_rescuer& operator=(const stream_rescuer&) = delete;

  /// Appends the events released by `chunk` to `out`. Ignored after finish().
  void feed(std::string_view chunk, rescue_events& out);
  /// End of the reply: decides everything held back and appends the last events.
  void finish(rescue_events& out);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// `result` as one JSON object: {"id":<id_json>,"calls":[{"name":..,"arguments":{..}}],
/// "content":string|null,"reasoning":string|null}. `id_json` is written as given (raw JSON).
std::string rescue_result_json(const rescue_result& result, std::string_view id_json = "null");

/// Runs one line of the rescue corpus format ({"id", "text", "tools_offered", optional
/// "param_types", other keys ignored}) and returns rescue_result_json for it. `chunk_size` 0
/// uses rescue_text; N > 0 feeds a stream_rescuer N-byte chunks. A line that is not such an
/// object is errc::invalid_json / errc::invalid_request with the JSON path.
result<std::string> rescue_jsonl_line(std::string_view line, std::size_t chunk_size = 0);

}  // namespace v0
}  // namespace harness
