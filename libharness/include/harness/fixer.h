// fixer.h: the tool fixer's transforms over canonical values (pure; no I/O).
//
// A gateway applies them per model from its config (model_policy); an embedder can call them
// directly. Each is a function from canonical value to canonical value, or (stream_fixer) a
// stage from stream events to stream events.
//
// The functions change only the value passed by reference (callers own it) and never fail:
// what cannot be fixed is left as it was. They are reentrant; a stream_fixer is one per stream.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <harness/dialect.h>
#include <harness/request.h>
#include <harness/response.h>
#include <harness/stream.h>
#include <harness/tool.h>

namespace harness {
inline namespace v0 {

/// What a fix did, for logs and counters.
struct fix_report {
  bool tools_stripped = false;
  bool tools_emulated = false;
  int calls_rescued = 0;
  std::string rescue_family;  ///< format family of the first rescued call
};

/// For a model that crashes on tool schemas: removes tools, tool_choice and
/// parallel_tool_calls, and flattens earlier tool calls and tool results into plain text, so
/// the conversation survives (a backend also refuses tool history without tools: A.1).
void strip_tools(chat_request& request);

/// Removes the tools only their own provider runs (kind other than "function": Anthropic server
/// tools such as web_search_*, Responses hosted tools) when `upstream` cannot run them: for an
/// Anthropic client unless `upstream` is Anthropic, always for a Responses client. A
/// tool_choice naming a removed tool becomes `auto` (`unset` when no tool is left), as does
/// `required` with no tool left. Returns the removed tools' names, in order, for the client
/// and the log.
std::vector<std::string> drop_hosted_tools(chat_request& request, dialect upstream);

/// True when drop_hosted_tools(request, upstream) would remove a tool.
bool has_hosted_tools(const chat_request& request, dialect upstream);

/// For a chat-only model: describes the offered tools in a system message, asks for a JSON
/// call envelope {"name": ..., "arguments": {...}} (or {"answer": ...}), rewrites tool history
/// into that envelope, and removes native tools. When `constrain` is set (Ollama backends), the
/// envelope is also imposed as the response JSON schema. Returns the offered tools: pass them
/// to unwrap_emulated() to turn the reply back into tool calls.
std::vector<tool_spec> emulate_tools(chat_request& request, bool constrain);

/// Turns an emulated reply (see emulate_tools) into real tool calls or plain text.
fix_report unwrap_emulated(chat_response& response, const std::vector<tool_spec>& tools);

/// Promotes tool calls that the model printed as text (any format of rescue.h) into real tool
/// calls, only for `tools`. A reply with nothing to rescue is left byte-for-byte unchanged.
fix_report rescue_response(chat_response& response, const std::vector<tool_spec>& tools);

/// The streaming form of rescue_response: a stage between a stream decoder and an encoder.
/// Text deltas go through a stream_rescuer: text that cannot start a call is released at once,
/// calls come out as complete tool-call blocks, and the finish says tool_calls when any was
/// rescued. Other events pass through, renumbered. One per stream; not thread-safe.
class stream_fixer {
 public:
  explicit stream_fixer(std::vector<tool_spec> tools);
  ~stream_fixer();
  stream_fixer(stream_fixer&&) noexcept;
  stream_fixer& operator=(stream_fixer&&) noexcept;

  /// Replaces `events` by the fixed events (in place; the vector's storage is reused).
  void process(std::vector<stream_event>& events);
  const fix_report& report() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// What the native-call guard did (guard_calls, stream_guard), for logs and counters.
struct guard_report {
  int calls_passed = 0;             ///< native calls passed on to the client (repaired or not)
  int args_repaired = 0;            ///< of those, calls whose arguments were repaired
  int unknown_tools_dropped = 0;    ///< calls naming a tool the client did not offer
  int truncated_calls_refused = 0;  ///< calls cut off by the output limit
};

/// Checks the tool calls an upstream made natively before they reach the client (routes where
/// the fixer is on). Each call, in order:
///  - naming a tool not in `offered` (when `offered` is not empty) -> dropped: the client has no
///    such tool, and most clients end the turn with an error on an unknown name;
///  - the last block of a reply that ended at the output limit (finish `length`) whose arguments
///    are not a complete JSON object -> dropped: it would run a tool with half its input
///    (translation.md, stop reasons). From an Anthropic upstream, whose whole reply carries the
///    parsed part of a cut input as an object, such a final call is dropped whatever it holds;
///  - arguments that are not a JSON object -> repaired with repair_arguments(); arguments that
///    cannot be repaired (or are empty, which codecs read as {}) pass as they came, so the
///    client's own validation reports them to the model instead of the call vanishing.
/// When calls were dropped and none is left, a `tool_calls` finish becomes `stop` (the client
/// gets the model's text, possibly none); `length` stays `length`. A reply with nothing to fix
/// is left unchanged.
guard_report guard_calls(chat_response& response, const std::vector<tool_spec>& offered);

/// The streaming form of guard_calls: a stage between a stream decoder and the next stage
/// (before stream_fixer). A tool-call block is held from its block_start to its block_stop (to
/// the finish, when it is invalid and could be the call the limit cut), then passed on as it
/// came, repaired (one argument delta), or dropped; later blocks are renumbered. Everything
/// else passes at once, untouched. Cost is linear in the stream; memory is the held call.
/// One per stream; not thread-safe.
class stream_guard {
 public:
  explicit stream_guard(const std::vector<tool_spec>& offered);
  ~stream_guard();
  stream_guard(stream_guard&&) noexcept;
  stream_guard& operator=(stream_guard&&) noexcept;

  /// Replaces `events` by the guarded events (in place; the vector's storage is reused).
  void process(std::vector<stream_event>& events);
  const guard_report& report() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// A complete response as the event sequence a stream of it would give (for answering a
/// streaming client from a non-streaming upstream call).
std::vector<stream_event> response_events(const chat_response& response);

}  // namespace v0
}  // namespace harness
