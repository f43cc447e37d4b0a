#include "writers.h"

#include "wire.h"

namespace fake {

void assign_call_ids(Dialect dialect, Reply &reply) {
  for (ToolCall &c : reply.calls) {
    switch (dialect) {
      case Dialect::openai: c.id = make_id("call_", 24); break;
      case Dialect::anthropic: c.id = make_id("toolu_01", 22); break;
      case Dialect::ollama: c.id = make_id("call_", 8, "abcdefghijklmnopqrstuvwxyz0123456789"); break;
    }
  }
}

std::string render_json(const Request &req, const Reply &reply) {
  switch (req.dialect) {
    case Dialect::openai: return openai::json_body(req, reply);
    case Dialect::anthropic: return anthropic::json_body(req, reply);
    case Dialect::ollama: return ollama::json_body(req, reply);
  }
  return "";
}

std::vector<std::string> render_stream(const Request &req, const Reply &reply,
                                       const StreamOptions &opt) {
  switch (req.dialect) {
    case Dialect::openai: return openai::stream(req, reply, opt);
    case Dialect::anthropic: return anthropic::stream(req, reply, opt);
    case Dialect::ollama: return ollama::stream(req, reply, opt);
  }
  return {};
}

std::string stream_content_type(Dialect dialect) {
  return dialect == Dialect::ollama ? "application/x-ndjson" : "text/event-stream; charset=utf-8";
}

std::string render_error(Dialect dialect, const Failure &failure) {
  switch (dialect) {
    case Dialect::openai: return openai::error_body(failure);
    case Dialect::anthropic: return anthropic::error_body(failure);
    case Dialect::ollama: return ollama::error_body(failure);
  }
  return "";
}

std::string render_stream_error(Dialect dialect, const Failure &failure) {
  switch (dialect) {
    case Dialect::openai: return openai::stream_error(failure);
    case Dialect::anthropic: return anthropic::stream_error(failure);
    case Dialect::ollama: return ollama::stream_error(failure);
  }
  return "";
}

}  // namespace fake
