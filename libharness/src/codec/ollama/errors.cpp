// errors.cpp: Ollama error bodies ({"error":"message"}, translation.md B.1) and finish reason
// names (B.4).
#include "codec/ollama/internal.h"
#include "codec/ollama/ollama.h"

namespace harness::detail::ollama {
namespace {

// `s` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD, so an
// error body is always valid JSON whatever the message holds.
std::string valid_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 16);
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    if (i + len <= s.size() && is_valid_utf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// The message of an error body: {"error":"..."} (native) or {"error":{"message":"..."}} (an
// OpenAI-style layer in front of Ollama). Empty when neither is there.
std::string error_message(std::string_view body) {
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, body);
  if (!doc) return {};
  json_element e;
  if ((*doc)["error"].get(e) != simdjson::SUCCESS) return {};
  std::string_view text;
  if (e.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (e["message"].get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  return {};
}

}  // namespace

std::string encode_error(const error& err) {
  std::string out;
  json_writer w(out);
  w.start_object().member("error", valid_utf8(err.describe())).end_object();
  return w.ok() ? out : std::string(R"({"error":"internal error"})");
}

error decode_error(int http_status, std::string_view body) {
  error err;
  err.code = errc::upstream_http;
  err.message = error_message(body);
  if (err.message.empty()) {
    err.message = "upstream error (HTTP " + std::to_string(http_status) + ")";
  }
  if (http_status == 529) {
    err.http_status = 503;
  } else if (http_status < 400 || http_status > 599) {
    // An error line inside a 200 stream (translation.md B.1) is still the upstream's failure.
    err.http_status = 502;
  } else {
    err.http_status = http_status;
  }
  // Tools sent to a model without the capability (translation.md E, Crush): a client error,
  // whatever status the server used; the text is kept so the gateway can recognise it.
  if (err.message.find("does not support tools") != std::string::npos) err.http_status = 400;
  return err;
}

const char* finish_reason_name(finish_reason reason) noexcept {
  // Ollama knows only "stop" and "length"; tool turns end with "stop" (translation.md B.4).
  return reason == finish_reason::length ? "length" : "stop";
}

finish_reason parse_finish_reason(std::string_view name) noexcept {
  // "stop", "load", "unload", "" and anything unknown end the turn normally.
  return name == "length" ? finish_reason::length : finish_reason::stop;
}

}  // namespace harness::detail::ollama
