// errors.cpp: Anthropic error bodies and stop-reason names (translation.md A.3, A.4, A.7).
#include "codec/anthropic/anthropic.h"
#include "codec/anthropic/internal.h"

namespace harness::detail::anthropic {
namespace {

const char* error_type_for(int status) noexcept {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 500:
      return "api_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

// For error bodies that arrive without a usable status (an SSE `error` event after 200).
int status_for(std::string_view type) noexcept {
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "billing_error") return 402;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "rate_limit_error") return 429;
  if (type == "overloaded_error") return 503;
  if (type == "timeout_error") return 504;
  return 500;
}

// The error message of an Anthropic, OpenAI or Ollama error body, with its type if given.
bool find_message(json_element doc, std::string_view& message_text, std::string_view& type) {
  json_element err;
  if (doc.at_key("error").get(err) == simdjson::SUCCESS) {
    if (err.get_string().get(message_text) == simdjson::SUCCESS) return true;  // Ollama
    if (err.at_key("type").get_string().get(type) != simdjson::SUCCESS) type = {};
    return err.at_key("message").get_string().get(message_text) == simdjson::SUCCESS;
  }
  return doc.at_key("message").get_string().get(message_text) == simdjson::SUCCESS;
}

}  // namespace

std::string encode_error(const error& err) {
  const std::string text = err.describe();
  std::string out;
  out.reserve(text.size() + 96);
  {
    json_writer w(out);
    w.start_object().member("type", "error").key("error").start_object();
    w.member("type", error_type_for(err.http_status)).member("message", text);
    w.end_object().end_object();
    if (w.ok()) return out;
  }
  // Invalid UTF-8 in the message: fall back to a fixed text so the body is always valid.
  out.clear();
  json_writer w(out);
  w.start_object().member("type", "error").key("error").start_object();
  w.member("type", error_type_for(err.http_status)).member("message", "request failed");
  w.end_object().end_object();
  return out;
}

error decode_error(int http_status, std::string_view body) {
  std::string_view message_text;
  std::string_view type;
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, body);
  const bool found = doc && find_message(*doc, message_text, type);
  int status = http_status;
  if (status < 400) status = type.empty() ? 502 : status_for(type);
  if (status == 529) status = 503;  // Anthropic "overloaded" is not a standard status (A.7)
  std::string text = found && !message_text.empty()
                         ? std::string(message_text)
                         : "upstream returned HTTP " + std::to_string(http_status);
  error out = make_error(errc::upstream_http, std::move(text));
  out.http_status = status;
  return out;
}

const char* finish_reason_name(finish_reason reason) noexcept {
  switch (reason) {
    case finish_reason::stop_sequence:
      return "stop_sequence";
    case finish_reason::length:
      return "max_tokens";
    case finish_reason::tool_calls:
      return "tool_use";
    case finish_reason::content_filter:
      return "refusal";
    case finish_reason::pause:
      return "pause_turn";
    case finish_reason::none:
    case finish_reason::stop:
    case finish_reason::error:
      return "end_turn";
  }
  return "end_turn";
}

finish_reason parse_finish_reason(std::string_view name) noexcept {
  if (name == "end_turn") return finish_reason::stop;
  if (name == "stop_sequence") return finish_reason::stop_sequence;
  if (name == "max_tokens" || name == "model_context_window_exceeded" || name == "compaction") {
    return finish_reason::length;
  }
  if (name == "tool_use") return finish_reason::tool_calls;
  if (name == "refusal") return finish_reason::content_filter;
  if (name == "pause_turn") return finish_reason::pause;
  return finish_reason::stop;
}

}  // namespace harness::detail::anthropic
