// request_params.cpp: the top-level parameters of an Anthropic request (everything except
// model, system and messages) -> canonical fields; unknown fields -> `extra` in order.
#include "codec/anthropic/anthropic.h"
#include "codec/anthropic/internal.h"

namespace harness::detail::anthropic {
namespace {

bool decode_tool(json_element e, const json_path& p, tool_spec& out, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  std::string_view type = "custom";
  if (find_field(obj, "type", v) && !read_string_view(v, p / "type", type, err)) return false;
  if (type != "custom") {
    // A server tool (web_search_20250305, bash_20250124, ...): routed by kind, written back
    // whole from `extra` (tool.h).
    out.kind.assign(type);
    if (find_field(obj, "name", v) && !read_string(v, p / "name", out.name, err)) return false;
    for (auto field : obj) out.extra.set(std::string(field.key), raw_json(field.value));
    return true;
  }
  bool has_name = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_path fp = p / key;
    json_element value = field.value;
    if (key == "name") {
      if (!read_string(value, fp, out.name, err)) return false;
      has_name = true;
    } else if (key == "description" && !value.is_null()) {
      if (!read_string(value, fp, out.description, err)) return false;
    } else if (key == "input_schema" && !value.is_null()) {
      json_object schema;
      if (!read_object(value, fp, schema, err)) return false;
      out.parameters = raw_json(value);
    } else if (key == "cache_control" && !value.is_null()) {
      json_object cc;
      if (!read_object(value, fp, cc, err)) return false;
      out.cache_control = raw_json(value);
    } else if (key == "strict" && !value.is_null()) {
      bool strict = false;
      if (!read_bool(value, fp, strict, err)) return false;
      out.strict = strict;
    } else {
      // type:"custom", defer_loading, eager_input_streaming, input_examples, ...
      out.extra.set(std::string(key), raw_json(value));
    }
  }
  if (!has_name) {
    err = missing_field(p / "name");
    return false;
  }
  return true;
}

bool decode_tool_choice(json_element e, const json_path& p, chat_request& req, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  std::string_view type;
  if (!find_field(obj, "type", v)) {
    err = missing_field(p / "type");
    return false;
  }
  if (!read_string_view(v, p / "type", type, err)) return false;
  auto& choice = req.tool_choice;
  if (type == "auto") {
    choice.kind = tool_choice::mode::auto_;
  } else if (type == "any") {
    choice.kind = tool_choice::mode::required;
  } else if (type == "none") {
    choice.kind = tool_choice::mode::none;
  } else if (type == "tool") {
    choice.kind = tool_choice::mode::tool;
    if (!find_field(obj, "name", v)) {
      err = missing_field(p / "name");
      return false;
    }
    if (!read_string(v, p / "name", choice.name, err)) return false;
  } else {
    err = invalid(p / "type", "unknown tool_choice type");
    return false;
  }
  if (find_field(obj, "disable_parallel_tool_use", v)) {
    bool disable = false;
    if (!read_bool(v, p / "disable_parallel_tool_use", disable, err)) return false;
    req.parallel_tool_calls = !disable;  // inverse flag (translation.md A.1)
  }
  return true;
}

bool decode_thinking_config(json_element e, const json_path& p, chat_request& req, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  std::string_view type;
  if (!find_field(obj, "type", v)) {
    err = missing_field(p / "type");
    return false;
  }
  if (!read_string_view(v, p / "type", type, err)) return false;
  auto& r = req.reasoning;
  if (type == "enabled") {
    r.kind = reasoning_config::mode::enabled;
    if (!find_field(obj, "budget_tokens", v)) {
      err = missing_field(p / "budget_tokens");
      return false;
    }
    std::int64_t budget = 0;
    if (!read_int(v, p / "budget_tokens", budget, err)) return false;
    r.budget_tokens = budget;
  } else if (type == "adaptive") {
    r.kind = reasoning_config::mode::adaptive;
  } else if (type == "disabled") {
    r.kind = reasoning_config::mode::disabled;
  } else {
    err = invalid(p / "type", "unknown thinking type");
    return false;
  }
  const bool enabled = r.kind == reasoning_config::mode::enabled;
  std::string rest = object_without(obj, [enabled](std::string_view key, json_element) {
    return key == "type" || (enabled && key == "budget_tokens");
  });
  // Other keys (`display`) are kept and joined again on encode (merge_object).
  if (rest != "{}") req.extra.set("thinking", std::move(rest));
  return true;
}

// output_config: `effort` -> reasoning.effort; a plain json_schema `format` ->
// response_format (OpenAI shape, so other dialects can use it); the rest stays in `extra`.
bool decode_output_config(json_element e, const json_path& p, chat_request& req, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  bool took_format = false;
  if (find_field(obj, "effort", v) && !read_string(v, p / "effort", req.reasoning.effort, err)) {
    return false;
  }
  if (find_field(obj, "format", v)) {
    json_object format;
    if (!read_object(v, p / "format", format, err)) return false;
    json_element type;
    json_element schema;
    std::string_view type_name;
    if (format.size() == 2 && find_field(format, "type", type) &&
        type.get_string().get(type_name) == simdjson::SUCCESS && type_name == "json_schema" &&
        find_field(format, "schema", schema) && schema.is_object()) {
      req.response_format = R"({"type":"json_schema","json_schema":{"name":"response","schema":)" +
                            raw_json(schema) + "}}";
      took_format = true;
    }
  }
  const bool took_effort = !req.reasoning.effort.empty();
  std::string rest = object_without(obj, [&](std::string_view key, json_element value) {
    return (key == "effort" && (took_effort || value.is_null())) ||
           (key == "format" && took_format);
  });
  if (rest != "{}" || (!took_effort && !took_format))
    req.extra.set("output_config", std::move(rest));
  return true;
}

// metadata: a string user_id -> user; anything else stays in `extra`.
bool decode_metadata(json_element e, const json_path& p, chat_request& req, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  bool took_user = false;
  if (obj.at_key("user_id").get(v) == simdjson::SUCCESS && !v.is_null()) {
    if (!read_string(v, p / "user_id", req.user, err)) return false;
    took_user = true;
  }
  std::string rest = object_without(obj, [took_user](std::string_view key, json_element) {
    return took_user && key == "user_id";
  });
  if (rest != "{}" || !took_user) req.extra.set("metadata", std::move(rest));
  return true;
}

}  // namespace

bool decode_param(std::string_view key, json_element value, const json_path& root,
                  chat_request& req, error& err) {
  const json_path p = root / key;
  const bool known = key == "max_tokens" || key == "tools" || key == "tool_choice" ||
                     key == "stop_sequences" || key == "temperature" || key == "top_p" ||
                     key == "top_k" || key == "stream" || key == "metadata" || key == "thinking" ||
                     key == "output_config";
  if (known && value.is_null()) return true;  // optional fields: null = absent
  if (key == "max_tokens") {
    std::int64_t n = 0;
    if (!read_int(value, p, n, err)) return false;
    if (n < 1) {
      err = invalid(p, "max_tokens must be at least 1");
      return false;
    }
    req.max_tokens = n;
  } else if (key == "tools") {
    json_array tools;
    if (!read_array(value, p, tools, err)) return false;
    req.tools.reserve(tools.size());
    std::size_t i = 0;
    for (json_element t : tools) {
      tool_spec spec;
      if (!decode_tool(t, p[i++], spec, err)) return false;
      req.tools.push_back(std::move(spec));
    }
  } else if (key == "tool_choice") {
    return decode_tool_choice(value, p, req, err);
  } else if (key == "stop_sequences") {
    json_array stops;
    if (!read_array(value, p, stops, err)) return false;
    std::size_t i = 0;
    for (json_element s : stops) {
      std::string stop;
      if (!read_string(s, p[i++], stop, err)) return false;
      req.stop.push_back(std::move(stop));
    }
  } else if (key == "temperature" || key == "top_p") {
    double x = 0;
    if (!read_number(value, p, x, err)) return false;
    (key == "temperature" ? req.sampling.temperature : req.sampling.top_p) = x;
  } else if (key == "top_k") {
    std::int64_t k = 0;
    if (!read_int(value, p, k, err)) return false;
    req.sampling.top_k = k;
  } else if (key == "stream") {
    return read_bool(value, p, req.stream, err);
  } else if (key == "metadata") {
    return decode_metadata(value, p, req, err);
  } else if (key == "thinking") {
    return decode_thinking_config(value, p, req, err);
  } else if (key == "output_config") {
    return decode_output_config(value, p, req, err);
  } else {
    // context_management, service_tier, container, mcp_servers, output_format, ...
    req.extra.set(std::string(key), raw_json(value));
  }
  return true;
}

}  // namespace harness::detail::anthropic
