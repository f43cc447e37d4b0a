// errors.cpp: OpenAI error bodies (translation.md A.7) and finish-reason names (A.3, A.4a).
#include <string>

#include "codec/openai/internal.h"
#include "codec/openai/openai.h"

namespace harness::detail::openai {
namespace {

const char* error_type(int status) noexcept {
  switch (status) {
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

// Upstream error texts are shown to clients; a runaway body is cut at a UTF-8 boundary.
constexpr std::size_t max_message = 8192;

std::string message_of(json_element root) {
  std::string_view s;
  json_object obj;
  json_element v;
  if (root.get_object().get(obj) != simdjson::SUCCESS) return {};
  if (find_field(obj, "error", v)) {
    json_object inner;
    if (v.get_string().get(s) == simdjson::SUCCESS) return std::string(s);  // {"error":"..."}
    if (v.get_object().get(inner) == simdjson::SUCCESS && find_field(inner, "message", v) &&
        v.get_string().get(s) == simdjson::SUCCESS) {
      return std::string(s);  // {"error":{"message":...}}
    }
  }
  for (std::string_view key : {"message", "detail"}) {  // {"message":...}, FastAPI's {"detail":...}
    if (find_field(obj, key, v) && v.get_string().get(s) == simdjson::SUCCESS) {
      return std::string(s);
    }
  }
  return {};
}

}  // namespace

std::string encode_error(const error& err) {
  const bool valid = is_valid_utf8(err.message) && is_valid_utf8(err.path);
  std::string out;
  json_writer w(out);
  w.start_object().key("error").start_object();
  w.member("message", valid ? err.message : std::string("request failed"));
  w.member("type", error_type(err.http_status));
  if (err.path.empty() || !valid) {
    w.key("param").null();
  } else {
    w.member("param", err.path);
  }
  w.member("code", to_string(err.code));
  w.end_object().end_object();
  if (!w.ok()) {
    return R"({"error":{"message":"request failed","type":"api_error","param":null,"code":"internal"}})";
  }
  return out;
}

error decode_error(int http_status, std::string_view body) {
  std::string message;
  simdjson::dom::parser parser;
  if (auto doc = parse_json(parser, body)) message = message_of(*doc);
  if (message.size() > max_message) {
    message.resize(complete_utf8_prefix(std::string_view(message).substr(0, max_message)));
  }
  if (message.empty()) message = "upstream answered HTTP " + std::to_string(http_status);
  error e = make_error(errc::upstream_http, std::move(message));
  e.http_status = http_status == 529 ? 503 : http_status;  // 529 "overloaded" is Anthropic's
  return e;
}

// OpenAI has no stop_sequence / pause / error reasons: all read as a natural stop (A.3).
const char* finish_reason_name(finish_reason reason) noexcept {
  switch (reason) {
    case finish_reason::length: return "length";
    case finish_reason::tool_calls: return "tool_calls";
    case finish_reason::content_filter: return "content_filter";
    case finish_reason::none:
    case finish_reason::stop:
    case finish_reason::stop_sequence:
    case finish_reason::pause:
    case finish_reason::error: return "stop";
  }
  return "stop";
}

// Also reads raw Anthropic names that non-strict gateways pass through (Portkey, A.3).
finish_reason parse_finish_reason(std::string_view name) noexcept {
  if (name == "stop" || name == "end_turn") return finish_reason::stop;
  if (name == "length" || name == "max_tokens" || name == "model_context_window_exceeded") {
    return finish_reason::length;
  }
  if (name == "tool_calls" || name == "function_call" || name == "tool_use") {
    return finish_reason::tool_calls;
  }
  if (name == "content_filter" || name == "refusal") return finish_reason::content_filter;
  if (name == "stop_sequence") return finish_reason::stop_sequence;
  return finish_reason::stop;
}

}  // namespace harness::detail::openai
