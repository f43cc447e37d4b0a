// response_decode.cpp: a `chat.completion` body -> chat_response.
#include <algorithm>
#include <string>

#include "json/parse_context.h"
#include "codec/openai/internal.h"
#include "codec/openai/openai.h"

namespace harness::detail::openai {
namespace {

bool read_count(json_object obj, std::string_view key, const json_path& p, std::int64_t& out,
                error& err) {
  json_element v;
  if (!find_field(obj, key, v)) return true;
  return read_int(v, p / key, out, err);
}

// usage: prompt_tokens includes cached tokens; canonical input_tokens does not (A.3/A.4).
bool decode_usage(json_element e, const json_path& p, usage& u, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  std::int64_t prompt = 0;
  if (!read_count(obj, "prompt_tokens", p, prompt, err) ||
      !read_count(obj, "completion_tokens", p, u.output_tokens, err) ||
      // LiteLLM-style extensions (translation.md A.3 usage table)
      !read_count(obj, "cache_creation_input_tokens", p, u.cache_write_tokens, err) ||
      !read_count(obj, "cache_read_input_tokens", p, u.cache_read_tokens, err)) {
    return false;
  }
  json_element v;
  json_object details;
  if (find_field(obj, "prompt_tokens_details", v)) {
    const json_path dp = p / "prompt_tokens_details";
    if (!read_object(v, dp, details, err) ||
        !read_count(details, "cached_tokens", dp, u.cache_read_tokens, err)) {
      return false;
    }
  }
  if (find_field(obj, "completion_tokens_details", v)) {
    const json_path dp = p / "completion_tokens_details";
    if (!read_object(v, dp, details, err) ||
        !read_count(details, "reasoning_tokens", dp, u.reasoning_tokens, err)) {
      return false;
    }
  }
  u.input_tokens = std::max<std::int64_t>(0, prompt - u.cache_read_tokens - u.cache_write_tokens);
  u.present = true;
  return true;
}

bool decode_choice(json_element e, const json_path& p, decode_state& st, chat_response& out,
                   error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  if (find_field(obj, "message", v) &&
      !decode_message(v, p / "message", st, out.message, err)) {
    return false;
  }
  if (find_field(obj, "finish_reason", v)) {
    std::string_view name;
    if (!read_string_view(v, p / "finish_reason", name, err)) return false;
    out.finish = parse_finish_reason(name);
  }
  // vLLM names the stop string that fired in `stop_reason` (an int is a stop token id).
  if (find_field(obj, "stop_reason", v) && v.is_string()) {
    out.stop_sequence.assign(v.get_string().value_unsafe());
    if (out.finish == finish_reason::stop) out.finish = finish_reason::stop_sequence;
  }
  return true;
}

std::string error_text(json_element e) {
  std::string_view s;
  json_object obj;
  json_element v;
  if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  if (e.get_object().get(obj) == simdjson::SUCCESS && find_field(obj, "message", v) &&
      v.get_string().get(s) == simdjson::SUCCESS) {
    return std::string(s);
  }
  return "the upstream answered with an error";
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
  json_object obj = *doc;
  error err;

  chat_response resp;
  resp.origin = dialect::openai;
  decode_state st;
  st.body = body;
  st.response = true;
  bool has_choices = false;
  json_element error_body;
  bool has_error = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    const json_path p = root / key;
    bool ok = true;
    if (key == "id") {
      ok = v.is_null() || read_string(v, p, resp.id, err);
    } else if (key == "model") {
      ok = v.is_null() || read_string(v, p, resp.model, err);
    } else if (key == "created") {
      ok = v.is_null() || read_int(v, p, resp.created, err);
    } else if (key == "object") {
      continue;  // always "chat.completion"; written back as such
    } else if (key == "choices") {
      json_array choices;
      ok = v.is_null() || read_array(v, p, choices, err);
      // One choice is the canonical turn; n > 1 is not translated (choices[1..] are dropped).
      json_element first;
      if (ok && !v.is_null() && choices.at(0).get(first) == simdjson::SUCCESS) {
        has_choices = true;
        ok = decode_choice(first, p[0], st, resp, err);
      }
    } else if (key == "usage") {
      ok = v.is_null() || decode_usage(v, p, resp.usage, err);
    } else if (key == "error" && !v.is_null()) {
      error_body = v;
      has_error = true;
    } else {
      resp.extra.items.emplace_back(std::string(key), raw_json(v));  // system_fingerprint, ...
    }
    if (!ok) return err;
  }
  if (has_error && !has_choices) {  // an error answered with status 200
    return make_error(errc::upstream_http, error_text(error_body));
  }
  if (has_error) resp.extra.items.emplace_back("error", raw_json(error_body));
  return resp;
}

}  // namespace harness::detail::openai
