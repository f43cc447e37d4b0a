// request_decode.cpp: a Responses request body (`POST /v1/responses`) -> chat_request.
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "json/parse_context.h"
#include "codec/responses/internal.h"
#include "codec/responses/responses.h"
#include "codec/responses/tools.h"

namespace harness::detail::responses {
namespace {

template <class T>
bool read_opt(json_element v, const json_path& p, std::optional<T>& out, error& err) {
  if (v.is_null()) return true;
  T value{};
  bool ok = false;
  if constexpr (std::is_same_v<T, double>) {
    ok = read_number(v, p, value, err);
  } else if constexpr (std::is_same_v<T, bool>) {
    ok = read_bool(v, p, value, err);
  } else {
    ok = read_int(v, p, value, err);
  }
  if (ok) out = value;
  return ok;
}

// reasoning: {effort, summary, ...}. effort is modelled; the whole object is kept too, so the
// summary setting reaches a Responses client's own dialect unchanged.
bool decode_reasoning(json_element v, const json_path& p, chat_request& req, error& err) {
  if (v.is_null()) return true;
  json_object obj;
  json_element e;
  if (!read_object(v, p, obj, err)) return false;
  if (find_field(obj, "effort", e) && !read_string(e, p / "effort", req.reasoning.effort, err)) {
    return false;
  }
  req.extra.items.emplace_back("reasoning", raw_json(v));
  return true;
}

// text: {format, verbosity}. A json_schema / json_object format becomes the canonical
// response_format (OpenAI Chat's shape); the object itself is kept for this dialect.
bool decode_text(json_element v, const json_path& p, chat_request& req, error& err) {
  if (v.is_null()) return true;
  json_object obj, format;
  json_element f;
  if (!read_object(v, p, obj, err)) return false;
  req.extra.items.emplace_back("text", raw_json(v));
  if (!find_field(obj, "format", f)) return true;
  const json_path fp = p / "format";
  std::string type;
  if (!read_object(f, fp, format, err) || !required_string(format, "type", fp, type, err)) {
    return false;
  }
  if (type == "json_object") {
    req.response_format = R"({"type":"json_object"})";
  } else if (type == "json_schema") {
    json_element schema;
    if (!required_field(format, "schema", fp, schema, err)) return false;
    std::string out;
    json_writer w(out);
    w.start_object().member("type", "json_schema").key("json_schema").start_object();
    for (auto field : format) {
      if (field.key != "type") w.member_raw(field.key, raw_json(field.value));
    }
    w.end_object().end_object();
    req.response_format = std::move(out);
  } else if (type != "text") {
    err = invalid(fp / "type", "text.format.type must be text, json_object or json_schema");
    return false;
  }
  return true;
}

// The system prompt given as `instructions`: first of all messages, as a plain string.
bool decode_instructions(json_element v, const json_path& p, chat_request& req, error& err) {
  if (v.is_null()) return true;
  message m;
  m.role = role::system;
  std::string text;
  if (!read_string(v, p, text, err)) return false;
  m.content.emplace_back(text_block{std::move(text), {}});
  req.messages.insert(req.messages.begin(), std::move(m));
  return true;
}

}  // namespace

result<chat_request> decode_request(std::string_view body) {
  parse_context pc;  // one-shot: fresh buffers
  return decode_request(body, pc);
}

result<chat_request> decode_request(std::string_view body, parse_context& pc) {
  auto doc = parse_json_object(pc.parser, body);
  if (!doc) return std::move(doc).error_value();
  const json_path root;
  json_object obj = *doc;
  error err;

  chat_request req;
  req.origin = dialect::responses;
  bool has_model = false, has_input = false;
  json_element instructions;
  bool has_instructions = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    const json_path p = root / key;
    bool ok = true;
    if (key == "model") {
      ok = read_string(v, p, req.model, err);
      has_model = true;
    } else if (key == "input") {
      has_input = !v.is_null();
      ok = v.is_null() || decode_input(v, p, req.messages, err);
    } else if (key == "instructions") {
      instructions = v;
      has_instructions = true;
    } else if (key == "previous_response_id" || key == "conversation") {
      if (!v.is_null()) {
        return unsupported(p, std::string(key) + " is not supported: this proxy is stateless and "
                              "keeps no responses; send the whole conversation in input (Codex: "
                              "keep store = false)");
      }
    } else if (key == "tools") {
      ok = decode_tools(v, p, req.tools, err);
    } else if (key == "tool_choice") {
      ok = decode_tool_choice(v, p, req, err);
    } else if (key == "parallel_tool_calls") {
      ok = read_opt(v, p, req.parallel_tool_calls, err);
    } else if (key == "max_output_tokens") {
      ok = read_opt(v, p, req.max_tokens, err);
    } else if (key == "temperature") {
      ok = read_opt(v, p, req.sampling.temperature, err);
    } else if (key == "top_p") {
      ok = read_opt(v, p, req.sampling.top_p, err);
    } else if (key == "stream") {
      ok = v.is_null() || read_bool(v, p, req.stream, err);
    } else if (key == "reasoning") {
      ok = decode_reasoning(v, p, req, err);
    } else if (key == "text") {
      ok = decode_text(v, p, req, err);
    } else if (key == "user") {
      ok = v.is_null() || read_string(v, p, req.user, err);
    } else {  // store, include, metadata, prompt_cache_key, client_metadata, truncation, ...
      req.extra.items.emplace_back(std::string(key), raw_json(v));
    }
    if (!ok) return err;
  }
  if (!has_model) return missing_field(root / "model");
  if (!has_input) return missing_field(root / "input");
  if (has_instructions && !decode_instructions(instructions, root / "instructions", req, err)) {
    return err;
  }
  return req;
}

}  // namespace harness::detail::responses
