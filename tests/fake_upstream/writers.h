// Puts a Reply (or a Failure) on the wire in the request's dialect.
#pragma once

#include <string>
#include <vector>

#include "reply.h"

namespace fake {

struct StreamOptions {
  bool whole_text = false;  ///< the text goes out in one delta (fault-huge)
};

/// Gives each call the id its dialect uses (call_…, toolu_…, Ollama's call_ + 8).
void assign_call_ids(Dialect dialect, Reply &reply);

std::string render_json(const Request &req, const Reply &reply);
/// The stream as wire pieces, one per event/line, in order.
std::vector<std::string> render_stream(const Request &req, const Reply &reply,
                                       const StreamOptions &opt = {});
std::string stream_content_type(Dialect dialect);

/// HTTP error body.
std::string render_error(Dialect dialect, const Failure &failure);
/// The dialect's error event inside a stream that already started.
std::string render_stream_error(Dialect dialect, const Failure &failure);

namespace openai {
std::string json_body(const Request &req, const Reply &reply);
std::vector<std::string> stream(const Request &req, const Reply &reply, const StreamOptions &opt);
std::string error_body(const Failure &failure);
std::string stream_error(const Failure &failure);
}  // namespace openai

namespace anthropic {
std::string json_body(const Request &req, const Reply &reply);
std::vector<std::string> stream(const Request &req, const Reply &reply, const StreamOptions &opt);
std::string error_body(const Failure &failure);
std::string stream_error(const Failure &failure);
}  // namespace anthropic

namespace ollama {
std::string json_body(const Request &req, const Reply &reply);
std::vector<std::string> stream(const Request &req, const Reply &reply, const StreamOptions &opt);
std::string error_body(const Failure &failure);
std::string stream_error(const Failure &failure);
}  // namespace ollama

}  // namespace fake
