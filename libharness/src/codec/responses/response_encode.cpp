// response_encode.cpp: chat_response (any origin) -> a Responses `response` object.
#include <string>

#include "codec/responses/internal.h"
#include "codec/responses/responses.h"
#include "ir/ids.h"

namespace harness::detail::responses {

std::string response_id(const chat_response& resp) {
  if (resp.id.rfind("resp_", 0) == 0) return resp.id;
  if (!resp.id.empty()) return "resp_" + sanitize_call_id(resp.id);
  return synthesize_call_id(resp.model + '\n' + resp.message.joined_text(), 0, "resp_");
}

result<std::string> encode_response(const chat_response& resp, const response_options& options) {
  const std::string id = response_id(resp);
  finish_reason finish = resp.finish;
  std::string out;
  out.reserve(512 + resp.message.joined_text().size());
  json_writer w(out);
  w.start_object().member("id", id).member("object", "response");
  w.member_int("created_at", resp.created).member("status", status_for(finish));
  w.key("error");
  if (finish == finish_reason::error) {
    w.start_object().member("code", "server_error");
    w.member("message", "the upstream failed during generation").end_object();
  } else {
    w.null();
  }
  w.key("incomplete_details");
  if (*incomplete_reason(finish) != '\0') {
    w.start_object().member("reason", incomplete_reason(finish)).end_object();
  } else {
    w.null();
  }
  w.member("model", resp.model).key("output").start_array();
  write_output_items(w, resp.message, id, options, "completed");
  w.end_array();
  if (resp.usage.present) {
    write_usage(w, resp.usage);
  } else {
    w.key("usage").null();
  }
  if (resp.origin == dialect::responses) {
    for (const auto& [key, raw] : resp.extra.items) w.member_raw(key, raw);
  }
  w.end_object();
  if (!w.ok()) {
    return make_error(errc::unsupported, "the response holds text that is not valid UTF-8");
  }
  return out;
}

result<std::string> encode_response(const chat_response& resp) { return encode_response(resp, {}); }

}  // namespace harness::detail::responses
