// request_fields_encode.cpp: canonical tools / response_format / sampling / reasoning -> Ollama
// `tools`, `format`, `options`, `think` (translation.md B.2, B.6).
#include "codec/ollama/internal.h"
#include "codec/ollama/request_fields.h"

namespace harness::detail::ollama {

void write_tools(json_writer& w, const chat_request& req, simdjson::dom::parser& parser,
                 bool own) {
  // Ollama has no tool_choice: "none" can only be honoured by sending no tools; "required" and a
  // named tool cannot be enforced and are dropped (translation.md B.2).
  if (req.tool_choice.kind == tool_choice::mode::none) return;
  bool any = false;
  for (const auto& t : req.tools) {
    if (t.kind != "function") continue;  // server tools: Ollama cannot run them
    if (!any) w.key("tools").start_array();
    any = true;
    w.start_object().member("type", "function");
    w.key("function").start_object().member("name", t.name);
    if (!t.description.empty()) w.member("description", t.description);
    if (!t.parameters.empty()) w.member_raw("parameters", t.parameters);
    if (own && t.strict) w.member_bool("strict", *t.strict);
    if (const std::string* fn = own ? t.extra.find("function") : nullptr) {
      write_object_members(w, parser, *fn, {"name", "description", "parameters", "strict"});
    }
    w.end_object();
    if (own) {
      for (const auto& [key, raw] : t.extra.items) {
        if (key != "type" && key != "function") w.key(key).raw(raw);
      }
    }
    w.end_object();
  }
  if (any) w.end_array();
}

void write_format(json_writer& w, const std::string& response_format,
                  simdjson::dom::parser& parser) {
  if (response_format.empty()) return;
  auto doc = parse_json(parser, response_format);
  if (!doc) return;
  std::string_view type;
  if ((*doc)["type"].get_string().get(type) != simdjson::SUCCESS) return;
  if (type == "json_object") {
    w.member("format", "json");
  } else if (type == "json_schema") {
    json_element schema;
    if ((*doc)["json_schema"]["schema"].get(schema) == simdjson::SUCCESS && schema.is_object()) {
      w.member_raw("format", raw_json(schema));
    } else {
      w.member("format", "json");  // a schema-less json_schema still asks for JSON
    }
  }
  // "text" and unknown types: Ollama's default free-form output.
}

void write_options(json_writer& w, const chat_request& req, const encode_options& options,
                   simdjson::dom::parser& parser, bool own) {
  const std::string* extra = own ? req.extra.find("options") : nullptr;
  json_object extra_obj;
  bool has_extra = false;
  if (extra != nullptr) {
    auto doc = parse_json(parser, *extra);
    has_extra = doc && doc->get_object().get(extra_obj) == simdjson::SUCCESS;
  }
  const sampling& s = req.sampling;
  const bool extra_num_ctx = has_extra && extra_obj["num_ctx"].error() == simdjson::SUCCESS;
  const bool num_ctx = options.num_ctx > 0 && !extra_num_ctx;
  if (!s.temperature && !s.top_p && !s.top_k && !s.seed && !s.frequency_penalty &&
      !s.presence_penalty && !req.max_tokens && req.stop.empty() && !num_ctx && !has_extra) {
    return;
  }
  std::vector<std::string_view> written;
  w.key("options").start_object();
  const auto number = [&](std::string_view key, const std::optional<double>& v) {
    if (!v) return;
    w.key(key).number(*v);
    written.push_back(key);
  };
  const auto integer = [&](std::string_view key, const std::optional<std::int64_t>& v) {
    if (!v) return;
    w.key(key).int64(*v);
    written.push_back(key);
  };
  number("temperature", s.temperature);
  number("top_p", s.top_p);
  integer("top_k", s.top_k);
  integer("seed", s.seed);
  if (!req.stop.empty()) {  // always an array on Ollama, even from OpenAI's single string
    w.key("stop").start_array();
    for (const auto& stop : req.stop) w.string(stop);
    w.end_array();
    written.push_back("stop");
  }
  number("frequency_penalty", s.frequency_penalty);
  number("presence_penalty", s.presence_penalty);
  integer("num_predict", req.max_tokens);
  // The context window is the knob that matters most on local Ollama (translation.md B.2).
  if (num_ctx) integer("num_ctx", options.num_ctx);
  if (has_extra) {
    for (auto field : extra_obj) {
      if (is_one_of(field.key, written)) continue;
      append_raw_json(w.key(field.key).raw_target(), field.value);
    }
  }
  w.end_object();
}

void write_think(json_writer& w, const reasoning_config& reasoning) {
  using mode = reasoning_config::mode;
  // "disabled" wins over a leftover effort (Claude Code subagents send both, translation.md E).
  if (reasoning.kind == mode::disabled) {
    w.member_bool("think", false);
    return;
  }
  const std::string_view effort = reasoning.effort;
  if (!effort.empty()) {
    // OL/v1's mapping (translation.md B.2): none -> off, minimal -> low, xhigh/ultra -> max.
    if (effort == "none") {
      w.member_bool("think", false);
    } else if (effort == "minimal") {
      w.member("think", "low");
    } else if (effort == "low" || effort == "medium" || effort == "high" || effort == "max") {
      w.member("think", effort);
    } else if (effort == "xhigh" || effort == "ultra") {
      w.member("think", "max");
    } else {
      w.member_bool("think", true);
    }
    return;
  }
  if (reasoning.kind == mode::enabled || reasoning.kind == mode::adaptive) {
    w.member_bool("think", true);
  }
}

}  // namespace harness::detail::ollama
