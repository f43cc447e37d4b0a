// The request as the fake understands it, whatever dialect it came in.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "json.h"

namespace fake {

enum class Dialect { openai, anthropic, ollama };

struct ToolCall {
  std::string id;
  std::string name;
  Json arguments;  ///< an object when the call is well formed
};

struct ToolResult {
  std::string id;    ///< tool_call_id / tool_use_id ("" when the dialect gave none)
  std::string name;  ///< tool_name (Ollama) or the name of the matching call
  std::string content;
};

struct Message {
  std::string role;  ///< system / user / assistant / tool, as sent
  std::string text;  ///< all text parts joined
  std::vector<ToolCall> calls;
  std::vector<ToolResult> results;
};

struct ToolDef {
  std::string name;
  Json schema;  ///< JSON schema of the arguments (object)
};

/// An HTTP error to answer with; `kind` is dialect-neutral and mapped by the writers.
struct Failure {
  int status = 400;
  std::string kind;  ///< invalid_request, not_found, rate_limit, server, overloaded
  std::string message;
};

/// tool_choice, dialect-neutral: auto, none (no calls), any (some call), or one named tool.
struct ToolChoice {
  enum class Mode { automatic, none, any, named } mode = Mode::automatic;
  std::string name;
};

struct Request {
  Dialect dialect = Dialect::openai;
  Json body;
  std::string model;
  bool stream = false;
  bool include_usage = false;
  bool thinking = false;  ///< the request asks for reasoning output
  bool thinking_omitted = false;  ///< Anthropic thinking.display "omitted": signature only
  std::optional<long long> max_tokens;
  std::string system;
  std::vector<Message> messages;
  std::vector<ToolDef> tools;
  ToolChoice tool_choice;
  Json output_schema;  ///< structured-output schema (response_format / output_format / format)
  std::size_t body_chars = 0;

  /// The last message carries tool results.
  bool ends_with_tool_result() const;
  /// Text of the last user message (ignoring tool results).
  std::string last_user_text() const;
  /// Name of the call with that id, searching the history backwards ("" when unknown).
  std::string call_name(std::string_view id) const;
};

/// Reads and normalises a request body; a Failure for bodies the real service would reject
/// before looking at the conversation (invalid JSON, missing model or messages).
std::variant<Request, Failure> read_request(Dialect dialect, std::string_view body);

/// Dialect-specific checks the real services make (tool pairing, field types, required fields).
std::optional<Failure> validate(const Request &req);
/// The Anthropic part of validate() (translation.md A.8).
std::optional<Failure> validate_anthropic(const Request &req);

}  // namespace fake
