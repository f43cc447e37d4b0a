// response_decode.cpp: a Responses `response` object -> chat_response.
#include <algorithm>
#include <string>

#include "json/parse_context.h"
#include "codec/responses/internal.h"
#include "codec/responses/responses.h"

namespace harness::detail::responses {
namespace {

constexpr std::string_view modelled[] = {"id",     "object", "created_at",         "status",
                                         "error",  "model",  "incomplete_details", "output",
                                         "usage"};

bool is_modelled(std::string_view key) {
  for (auto k : modelled) {
    if (k == key) return true;
  }
  return false;
}

void read_usage(json_object obj, usage& u) {
  json_element v, d;
  json_object details;
  std::int64_t n = 0;
  u.present = true;
  if (find_field(obj, "input_tokens", v) && get_optional(v.get_int64(), n)) u.input_tokens = n;
  if (find_field(obj, "output_tokens", v) && get_optional(v.get_int64(), n)) u.output_tokens = n;
  if (find_field(obj, "input_tokens_details", v) && get_optional(v.get_object(), details) &&
      find_field(details, "cached_tokens", d) && get_optional(d.get_int64(), n)) {
    u.cache_read_tokens = n;
    u.input_tokens -= std::min(n, u.input_tokens);  // canonical input excludes cache reads
  }
  if (find_field(obj, "output_tokens_details", v) && get_optional(v.get_object(), details) &&
      find_field(details, "reasoning_tokens", d) && get_optional(d.get_int64(), n)) {
    u.reasoning_tokens = n;
  }
}

}  // namespace

result<chat_response> decode_response(std::string_view body) {
  parse_context pc;  // one-shot: fresh buffers
  return decode_response(body, pc);
}

result<chat_response> decode_response(std::string_view body, parse_context& pc) {
  auto doc = parse_json_object(pc.parser, body);
  if (!doc) return std::move(doc).error_value();
  const json_path root;
  json_object obj = *doc, sub;
  json_element v;
  error err;
  chat_response resp;
  resp.origin = dialect::responses;
  if (find_field(obj, "id", v) && !read_string(v, root / "id", resp.id, err)) return err;
  if (find_field(obj, "model", v) && !read_string(v, root / "model", resp.model, err)) return err;
  if (find_field(obj, "created_at", v) && !read_int(v, root / "created_at", resp.created, err)) {
    return err;
  }
  json_array output;
  if (!required_field(obj, "output", root, v, err) || !read_array(v, root / "output", output, err) ||
      !decode_output_items(output, root / "output", resp.message, err)) {
    return err;
  }
  std::string status = "completed", reason;
  if (find_field(obj, "status", v) && !read_string(v, root / "status", status, err)) return err;
  if (find_field(obj, "incomplete_details", v) && get_optional(v.get_object(), sub) &&
      find_field(sub, "reason", v)) {
    (void)read_string(v, root / "incomplete_details" / "reason", reason, err);
  }
  if (!resp.message.tool_calls().empty()) {
    resp.finish = finish_reason::tool_calls;
  } else if (status == "incomplete") {
    resp.finish = reason == "content_filter" ? finish_reason::content_filter : finish_reason::length;
  } else if (status == "failed") {
    resp.finish = finish_reason::error;
  } else {
    resp.finish = finish_reason::stop;
  }
  if (find_field(obj, "usage", v) && get_optional(v.get_object(), sub)) read_usage(sub, resp.usage);
  for (auto field : obj) {
    if (!is_modelled(field.key)) resp.extra.items.emplace_back(std::string(field.key), raw_json(field.value));
  }
  return resp;
}

}  // namespace harness::detail::responses
