// request_fields_decode.cpp: Ollama `tools`, `format`, `options`, `think` -> canonical fields.
#include "codec/ollama/request_fields.h"

namespace harness::detail::ollama {
namespace {

// Appends `"key":raw` to a raw JSON object text being built (opened on first use).
void append_member(std::string& object, std::string_view key, json_element value) {
  object += object.empty() ? '{' : ',';
  object += quote_json(key);  // keys come from a validated document: valid UTF-8
  object += ':';
  object += raw_json(value);
}

bool decode_function(json_element value, const json_path& p, tool_spec& t, error& err) {
  json_object fn;
  if (!read_object(value, p, fn, err)) return false;
  bool has_name = false;
  std::string unknown;
  for (auto field : fn) {
    const std::string_view key = field.key;
    if (key == "name") {
      if (!read_string(field.value, p / "name", t.name, err)) return false;
      has_name = true;
    } else if (key == "description") {
      if (!field.value.is_null() &&
          !read_string(field.value, p / "description", t.description, err)) {
        return false;
      }
    } else if (key == "parameters") {
      if (field.value.is_null()) continue;
      json_object schema;
      if (!read_object(field.value, p / "parameters", schema, err)) return false;
      t.parameters = raw_json(field.value);
    } else if (key == "strict") {
      bool strict = false;
      if (field.value.is_null()) continue;
      if (!read_bool(field.value, p / "strict", strict, err)) return false;
      t.strict = strict;
    } else {
      append_member(unknown, key, field.value);
    }
  }
  if (!has_name) {
    err = missing_field(p / "name");
    return false;
  }
  // Unknown members of `function` are kept as one raw object under the key "function" (the
  // tool-level key itself is modelled, so the name cannot clash).
  if (!unknown.empty()) t.extra.items.emplace_back("function", unknown + '}');
  return true;
}

bool decode_tool(json_element e, const json_path& p, tool_spec& t, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  std::string_view type = "function";
  json_element type_value;
  if (obj["type"].get(type_value) == simdjson::SUCCESS && !type_value.is_null() &&
      !read_string_view(type_value, p / "type", type, err)) {
    return false;
  }
  if (type != "function") {
    // Not a function tool: kept whole so an encoder can skip it knowingly (tool.h).
    t.kind.assign(type);
    json_element name_value;
    std::string_view name;
    if (obj["function"]["name"].get(name_value) == simdjson::SUCCESS &&
        name_value.get_string().get(name) == simdjson::SUCCESS) {
      t.name.assign(name);
    }
    for (auto field : obj) t.extra.items.emplace_back(std::string(field.key), raw_json(field.value));
    return true;
  }
  bool has_function = false;
  for (auto field : obj) {
    if (field.key == "type") continue;
    if (field.key == "function") {
      if (!decode_function(field.value, p / "function", t, err)) return false;
      has_function = true;
    } else {
      t.extra.items.emplace_back(std::string(field.key), raw_json(field.value));
    }
  }
  if (!has_function) {
    err = missing_field(p / "function");
    return false;
  }
  return true;
}

bool read_stop(json_element value, const json_path& p, chat_request& req, error& err) {
  std::string_view one;
  if (value.get_string().get(one) == simdjson::SUCCESS) {
    // Ollama wants an array; a single string is accepted and written back as one.
    req.stop.assign(1, std::string(one));
    req.stop_as_string = true;
    return true;
  }
  json_array arr;
  if (!read_array(value, p, arr, err)) return false;
  req.stop.clear();
  std::size_t i = 0;
  for (json_element item : arr) {
    std::string s;
    if (!read_string(item, p[i], s, err)) return false;
    req.stop.push_back(std::move(s));
    ++i;
  }
  return true;
}

bool read_opt_number(json_element v, const json_path& p, std::optional<double>& out, error& err) {
  double d = 0;
  if (!read_number(v, p, d, err)) return false;
  out = d;
  return true;
}

bool read_opt_int(json_element v, const json_path& p, std::optional<std::int64_t>& out,
                  error& err) {
  std::int64_t i = 0;
  if (!read_int(v, p, i, err)) return false;
  out = i;
  return true;
}

}  // namespace

bool decode_tools(json_element value, const json_path& path, std::vector<tool_spec>& out,
                  error& err) {
  if (value.is_null()) return true;
  json_array arr;
  if (!read_array(value, path, arr, err)) return false;
  out.reserve(arr.size());
  std::size_t i = 0;
  for (json_element item : arr) {
    tool_spec t;
    if (!decode_tool(item, path[i], t, err)) return false;
    out.push_back(std::move(t));
    ++i;
  }
  return true;
}

bool decode_format(json_element value, const json_path& path, std::string& out, error& err) {
  if (value.is_null()) return true;
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    if (text.empty()) return true;  // Go's zero value: no format
    if (text == "json") {
      out = R"({"type":"json_object"})";
      return true;
    }
    err = invalid(path, "format must be \"json\" or a JSON schema object");
    return false;
  }
  json_object schema;
  if (value.get_object().get(schema) != simdjson::SUCCESS) {
    err = type_error(path, "\"json\" or a JSON schema object");
    return false;
  }
  out = R"({"type":"json_schema","json_schema":{"name":"response","schema":)";
  out += raw_json(value);
  out += "}}";
  return true;
}

bool decode_options(json_element value, const json_path& path, chat_request& req, error& err) {
  if (value.is_null()) return true;
  json_object obj;
  if (!read_object(value, path, obj, err)) return false;
  std::string rest;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    const json_path p = path / key;
    bool ok = true;
    if (v.is_null()) {
      append_member(rest, key, v);  // Ollama ignores null options; kept for the round trip
    } else if (key == "temperature") {
      ok = read_opt_number(v, p, req.sampling.temperature, err);
    } else if (key == "top_p") {
      ok = read_opt_number(v, p, req.sampling.top_p, err);
    } else if (key == "top_k") {
      ok = read_opt_int(v, p, req.sampling.top_k, err);
    } else if (key == "seed") {
      ok = read_opt_int(v, p, req.sampling.seed, err);
    } else if (key == "frequency_penalty") {
      ok = read_opt_number(v, p, req.sampling.frequency_penalty, err);
    } else if (key == "presence_penalty") {
      ok = read_opt_number(v, p, req.sampling.presence_penalty, err);
    } else if (key == "num_predict") {
      ok = read_opt_int(v, p, req.max_tokens, err);
    } else if (key == "stop") {
      ok = read_stop(v, p, req, err);
    } else {
      append_member(rest, key, v);  // num_ctx, min_p, repeat_penalty, ... (translation.md B.2)
    }
    if (!ok) return false;
  }
  if (!rest.empty()) req.extra.items.emplace_back("options", rest + '}');
  return true;
}

bool decode_think(json_element value, const json_path& path, reasoning_config& out, error& err) {
  if (value.is_null()) return true;
  bool on = false;
  if (value.get_bool().get(on) == simdjson::SUCCESS) {
    out.kind = on ? reasoning_config::mode::enabled : reasoning_config::mode::disabled;
    return true;
  }
  std::string_view level;
  if (value.get_string().get(level) != simdjson::SUCCESS) {
    err = type_error(path, "a boolean or a level string");
    return false;
  }
  if (level.empty()) return true;
  if (level != "low" && level != "medium" && level != "high" && level != "max") {
    err = invalid(path, "think must be true, false, \"low\", \"medium\", \"high\" or \"max\"");
    return false;
  }
  out.effort.assign(level);  // a level alone, like OpenAI reasoning_effort
  return true;
}

}  // namespace harness::detail::ollama
