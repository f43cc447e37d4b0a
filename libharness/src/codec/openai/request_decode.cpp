// request_decode.cpp: a Chat Completions request body -> chat_request.
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "json/parse_context.h"
#include "codec/openai/internal.h"
#include "codec/openai/openai.h"

namespace harness::detail::openai {
namespace {

// Keys of a function tool's `function` object that are not modelled are kept in tool_spec.extra
// under this prefix, so they are written back inside `function` (they never reach other
// dialects: extra is written only to the same dialect).
constexpr std::string_view function_key_prefix = "function.";

bool read_opt_string(json_element v, const json_path& p, std::string& out, error& err) {
  return v.is_null() || read_string(v, p, out, err);
}

// {name, description, parameters, strict} of a function tool (or of a legacy `functions` entry).
bool decode_function(json_object fn, const json_path& fp, tool_spec& tool, error& err) {
  bool has_name = false;
  for (auto field : fn) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    bool ok = true;
    if (key == "name") {
      ok = read_string(v, fp / "name", tool.name, err);
      has_name = true;
    } else if (key == "description") {
      ok = read_opt_string(v, fp / "description", tool.description, err);
    } else if (key == "parameters") {
      json_object schema;
      if (!v.is_null()) {
        ok = read_object(v, fp / "parameters", schema, err);
        if (ok) tool.parameters = raw_json(v);
      }
    } else if (key == "strict") {
      bool strict = false;
      if (!v.is_null()) {
        ok = read_bool(v, fp / "strict", strict, err);
        tool.strict = strict;
      }
    } else if (key == "cache_control" && tool.cache_control.empty() && v.is_object()) {
      tool.cache_control = raw_json(v);  // A.1: the marker may sit inside `function` too
    } else {
      tool.extra.items.emplace_back(std::string(function_key_prefix) + std::string(key),
                                    raw_json(v));
    }
    if (!ok) return false;
  }
  if (!has_name) {
    err = missing_field(fp / "name");
    return false;
  }
  return true;
}

bool decode_tool(json_element e, const json_path& p, tool_spec& tool, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  std::string_view type;
  if (!find_field(obj, "type", v)) {
    err = missing_field(p / "type");
    return false;
  }
  if (!read_string_view(v, p / "type", type, err)) return false;
  if (type != "function") {
    // custom, web_search, ...: the whole definition is kept so an openai upstream gets it as sent
    tool.kind.assign(type);
    for (auto field : obj) {
      tool.extra.items.emplace_back(std::string(field.key), raw_json(field.value));
      json_object inner;
      if (field.value.get_object().get(inner) == simdjson::SUCCESS &&
          find_field(inner, "name", v) && v.is_string()) {
        tool.name.assign(v.get_string().value_unsafe());
      }
    }
    return true;
  }
  bool has_function = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    if (key == "type") continue;
    if (key == "function") {
      json_object fn;
      if (!read_object(field.value, p / "function", fn, err)) return false;
      const json_path fp = p / "function";
      if (!decode_function(fn, fp, tool, err)) return false;
      has_function = true;
    } else if (key == "cache_control" && field.value.is_object()) {
      if (!tool.cache_control.empty()) {  // `function` had one too: that one stays where it was
        tool.extra.items.emplace_back(std::string(function_key_prefix) + "cache_control",
                                      std::move(tool.cache_control));
      }
      tool.cache_control = raw_json(field.value);
    } else {
      tool.extra.items.emplace_back(std::string(key), raw_json(field.value));
    }
  }
  if (!has_function) {
    err = missing_field(p / "function");
    return false;
  }
  return true;
}

bool decode_tools(json_element v, const json_path& p, bool legacy, chat_request& req,
                  error& err) {
  if (v.is_null()) return true;
  json_array tools;
  if (!read_array(v, p, tools, err)) return false;
  req.tools.reserve(req.tools.size() + tools.size());
  std::size_t i = 0;
  for (json_element t : tools) {
    tool_spec tool;
    const json_path tp = p[i++];
    if (legacy) {  // `functions` entries are bare function objects
      json_object fn;
      if (!read_object(t, tp, fn, err) || !decode_function(fn, tp, tool, err)) return false;
    } else if (!decode_tool(t, tp, tool, err)) {
      return false;
    }
    req.tools.push_back(std::move(tool));
  }
  return true;
}

// "auto" / "none" / "required" / {type:"function", function:{name}}. Other object forms
// (allowed_tools, custom) have no canonical mode and are kept raw in extra.
bool decode_tool_choice(json_element v, const json_path& p, chat_request& req, error& err) {
  if (v.is_null()) return true;
  auto& choice = req.tool_choice;
  if (v.is_string()) {
    const std::string_view s = v.get_string().value_unsafe();
    if (s == "auto") {
      choice.kind = tool_choice::mode::auto_;
    } else if (s == "none") {
      choice.kind = tool_choice::mode::none;
    } else if (s == "required") {
      choice.kind = tool_choice::mode::required;
    } else {
      err = invalid(p, "tool_choice must be \"auto\", \"none\", \"required\" or an object");
      return false;
    }
    return true;
  }
  json_object obj;
  if (!read_object(v, p, obj, err)) return false;
  json_element t;
  std::string_view type;
  if (!find_field(obj, "type", t)) {
    err = missing_field(p / "type");
    return false;
  }
  if (!read_string_view(t, p / "type", type, err)) return false;
  if (type != "function") {
    req.extra.items.emplace_back("tool_choice", raw_json(v));
    return true;
  }
  json_element fn;
  const json_path fp = p / "function";
  json_object fo;
  if (!find_field(obj, "function", fn)) {
    err = missing_field(fp);
    return false;
  }
  if (!read_object(fn, fp, fo, err)) return false;
  if (!find_field(fo, "name", t)) {
    err = missing_field(fp / "name");
    return false;
  }
  if (!read_string(t, fp / "name", choice.name, err)) return false;
  choice.kind = tool_choice::mode::tool;
  return true;
}

// Legacy top-level `function_call`: "none" / "auto" / {name}. tool_choice wins when both came.
bool decode_function_choice(json_element v, const json_path& p, tool_choice& out, error& err) {
  if (v.is_null()) return true;
  if (v.is_string()) {
    const std::string_view s = v.get_string().value_unsafe();
    if (s == "auto" || s == "none") {
      out.kind = s == "auto" ? tool_choice::mode::auto_ : tool_choice::mode::none;
      return true;
    }
    err = invalid(p, "function_call must be \"auto\", \"none\" or an object");
    return false;
  }
  json_object obj;
  json_element name;
  if (!read_object(v, p, obj, err)) return false;
  if (!find_field(obj, "name", name)) {
    err = missing_field(p / "name");
    return false;
  }
  out.kind = tool_choice::mode::tool;
  return read_string(name, p / "name", out.name, err);
}

bool decode_stop(json_element v, const json_path& p, chat_request& req, error& err) {
  if (v.is_null()) return true;
  if (v.is_string()) {
    req.stop.emplace_back(v.get_string().value_unsafe());
    req.stop_as_string = true;
    return true;
  }
  json_array arr;
  if (!read_array(v, p, arr, err)) {
    err = type_error(p, "a string or an array of strings");
    return false;
  }
  std::size_t i = 0;
  for (json_element s : arr) {
    std::string one;
    if (!read_string(s, p[i++], one, err)) return false;
    req.stop.push_back(std::move(one));
  }
  return true;
}

// stream_options: include_usage is modelled; any other key keeps the whole object in extra.
bool decode_stream_options(json_element v, const json_path& p, chat_request& req, error& err) {
  if (v.is_null()) return true;
  json_object obj;
  if (!read_object(v, p, obj, err)) return false;
  bool others = false;
  for (auto field : obj) {
    if (field.key != "include_usage") {
      others = true;
    } else if (!field.value.is_null() &&
               !read_bool(field.value, p / "include_usage", req.include_usage, err)) {
      return false;
    }
  }
  if (others) req.extra.items.emplace_back("stream_options", raw_json(v));
  return true;
}

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

bool decode_messages(json_element v, const json_path& p, decode_state& st, chat_request& req,
                     error& err) {
  json_array arr;
  if (!read_array(v, p, arr, err)) return false;
  req.messages.reserve(arr.size());
  std::size_t i = 0;
  for (json_element m : arr) {
    message msg;
    if (!decode_message(m, p[i++], st, msg, err)) return false;
    req.messages.push_back(std::move(msg));
  }
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
  req.origin = dialect::openai;
  decode_state st;
  st.body = body;
  bool has_model = false, has_messages = false, has_tool_choice = false;
  tool_choice legacy_choice;
  std::optional<std::int64_t> plain_max, completion_max;
  std::string plain_max_raw;

  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    const json_path p = root / key;
    bool ok = true;
    if (key == "model") {
      ok = read_string(v, p, req.model, err);
      has_model = true;
    } else if (key == "messages") {
      has_messages = true;
      ok = decode_messages(v, p, st, req, err);
    } else if (key == "tools" || key == "functions") {
      ok = decode_tools(v, p, key == "functions", req, err);
    } else if (key == "tool_choice") {
      ok = decode_tool_choice(v, p, req, err);
      has_tool_choice = !v.is_null();
    } else if (key == "function_call") {
      ok = decode_function_choice(v, p, legacy_choice, err);
    } else if (key == "parallel_tool_calls") {
      ok = read_opt(v, p, req.parallel_tool_calls, err);
    } else if (key == "max_completion_tokens") {
      ok = read_opt(v, p, completion_max, err);
    } else if (key == "max_tokens") {
      ok = read_opt(v, p, plain_max, err);
      if (ok && !v.is_null()) plain_max_raw = raw_json(v);
    } else if (key == "stop") {
      ok = decode_stop(v, p, req, err);
    } else if (key == "temperature") {
      ok = read_opt(v, p, req.sampling.temperature, err);
    } else if (key == "top_p") {
      ok = read_opt(v, p, req.sampling.top_p, err);
    } else if (key == "top_k") {
      ok = read_opt(v, p, req.sampling.top_k, err);
    } else if (key == "seed") {
      ok = read_opt(v, p, req.sampling.seed, err);
    } else if (key == "frequency_penalty") {
      ok = read_opt(v, p, req.sampling.frequency_penalty, err);
    } else if (key == "presence_penalty") {
      ok = read_opt(v, p, req.sampling.presence_penalty, err);
    } else if (key == "stream") {
      ok = v.is_null() || read_bool(v, p, req.stream, err);
      // An explicit false is written back as sent (the canonical flag cannot tell it from an
      // absent one); the encoder skips it once `stream` is written from a true flag.
      if (ok && !v.is_null() && !req.stream) req.extra.items.emplace_back("stream", "false");
    } else if (key == "stream_options") {
      ok = decode_stream_options(v, p, req, err);
    } else if (key == "reasoning_effort") {
      ok = read_opt_string(v, p, req.reasoning.effort, err);  // kind stays unset: a level alone
    } else if (key == "response_format") {
      json_object rf;
      if (!v.is_null()) {
        ok = read_object(v, p, rf, err);
        if (ok) req.response_format = raw_json(v);
      }
    } else if (key == "user") {
      ok = read_opt_string(v, p, req.user, err);
    } else {
      req.extra.items.emplace_back(std::string(key), raw_json(v));
    }
    if (!ok) return err;
  }
  if (!has_model) return missing_field(root / "model");
  if (!has_messages) return missing_field(root / "messages");
  if (!has_tool_choice && legacy_choice.kind != tool_choice::mode::unset) {
    req.tool_choice = std::move(legacy_choice);
  }
  if (completion_max) {
    // The newer key is modelled; a `max_tokens` sent beside it is kept as sent.
    req.max_tokens = completion_max;
    req.max_tokens_as_completion = true;
    if (plain_max) req.extra.items.emplace_back("max_tokens", std::move(plain_max_raw));
  } else {
    req.max_tokens = plain_max;
  }
  return req;
}

}  // namespace harness::detail::openai
