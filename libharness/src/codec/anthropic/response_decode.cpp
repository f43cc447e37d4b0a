// response_decode.cpp: Anthropic Messages response body -> canonical chat_response.
#include "json/parse_context.h"
#include "codec/anthropic/anthropic.h"
#include "codec/anthropic/internal.h"

namespace harness::detail::anthropic {
namespace {

bool read_count(json_element e, const json_path& p, std::int64_t& out, error& err) {
  if (e.is_null()) return true;  // cache fields may be null
  return read_int(e, p, out, err);
}

bool decode_usage(json_element e, const json_path& p, chat_response& resp, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  auto& u = resp.usage;
  u.present = true;
  for (auto field : obj) {
    const std::string_view key = field.key;
    std::int64_t* target = key == "input_tokens"                  ? &u.input_tokens
                           : key == "output_tokens"               ? &u.output_tokens
                           : key == "cache_creation_input_tokens" ? &u.cache_write_tokens
                           : key == "cache_read_input_tokens"     ? &u.cache_read_tokens
                                                                  : nullptr;
    if (target != nullptr && !read_count(field.value, p / key, *target, err)) return false;
  }
  // cache_creation, server_tool_use, service_tier, ...: kept for an Anthropic client.
  std::string rest = object_without(obj, [](std::string_view key, json_element) {
    return key == "input_tokens" || key == "output_tokens" ||
           key == "cache_creation_input_tokens" || key == "cache_read_input_tokens";
  });
  if (rest != "{}") resp.extra.set("usage", std::move(rest));
  return true;
}

// Responses are read leniently: unknown block types are skipped (a newer API version must
// not cost the client its turn), unlike requests where the client must hear about them.
bool decode_content(json_element e, const json_path& p, message& msg, error& err) {
  json_array blocks;
  if (!read_array(e, p, blocks, err)) return false;
  msg.parts_form = true;
  msg.content.reserve(blocks.size());
  std::size_t j = 0;
  for (json_element block : blocks) {
    const json_path bp = p[j++];
    json_object obj;
    if (!read_object(block, bp, obj, err)) return false;
    json_element t;
    std::string_view type;
    if (!find_field(obj, "type", t)) {
      err = missing_field(bp / "type");
      return false;
    }
    if (!read_string_view(t, bp / "type", type, err)) return false;
    if (type == "text") {
      text_block text;
      if (!decode_text(obj, bp, text, err)) return false;
      msg.content.emplace_back(std::move(text));
    } else if (type == "thinking" || type == "redacted_thinking") {
      reasoning_block r;
      if (!(type == "thinking" ? decode_thinking(obj, bp, r, err)
                               : decode_redacted(obj, bp, r, err))) {
        return false;
      }
      msg.content.emplace_back(std::move(r));
    } else if (type == "tool_use") {
      tool_call_block call;
      if (!decode_tool_use(obj, bp, call, err)) return false;
      msg.content.emplace_back(std::move(call));
    }
  }
  return true;
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
  error err;
  json_object top = *doc;

  std::string_view type;
  if (top.at_key("type").get_string().get(type) == simdjson::SUCCESS && type == "error") {
    // An error body where a message was expected (e.g. after HTTP 200 from a gateway).
    return decode_error(0, body);
  }
  chat_response resp;
  resp.origin = dialect::anthropic;
  bool has_content = false;
  for (auto field : top) {
    const std::string_view key = field.key;
    const json_path p = root / key;
    json_element v = field.value;
    if (key == "id") {
      if (!v.is_null() && !read_string(v, p, resp.id, err)) return err;
    } else if (key == "model") {
      if (!v.is_null() && !read_string(v, p, resp.model, err)) return err;
    } else if (key == "type") {
      std::string_view t;
      if (!read_string_view(v, p, t, err)) return err;
      if (t != "message") return invalid(p, "expected \"message\"");
    } else if (key == "role") {
      std::string_view r;
      if (!read_string_view(v, p, r, err)) return err;
      if (r != "assistant") return invalid(p, "expected \"assistant\"");
    } else if (key == "content") {
      if (!decode_content(v, p, resp.message, err)) return err;
      has_content = true;
    } else if (key == "stop_reason") {
      std::string_view reason;
      if (!v.is_null()) {
        if (!read_string_view(v, p, reason, err)) return err;
        resp.finish = parse_finish_reason(reason);
      }
    } else if (key == "stop_sequence") {
      if (!v.is_null() && !read_string(v, p, resp.stop_sequence, err)) return err;
    } else if (key == "usage") {
      if (!v.is_null() && !decode_usage(v, p, resp, err)) return err;
    } else {
      resp.extra.set(std::string(key), raw_json(v));  // container, stop_details, ...
    }
  }
  if (!has_content) return missing_field(root / "content");
  return resp;
}

}  // namespace harness::detail::anthropic
