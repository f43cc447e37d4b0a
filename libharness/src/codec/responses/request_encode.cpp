// request_encode.cpp: chat_request (any origin) -> a Responses request body.
#include <string>
#include <unordered_map>

#include "codec/responses/internal.h"
#include "codec/responses/responses.h"
#include "codec/responses/tools.h"

namespace harness::detail::responses {
namespace {

const char* role_name(role r) noexcept {
  switch (r) {
    case role::system: return "system";
    case role::developer: return "developer";
    case role::assistant: return "assistant";
    case role::user:
    case role::tool: break;
  }
  return "user";
}

void write_image(json_writer& w, const image_block& img) {
  const bool document = !img.media_type.empty() && img.media_type.rfind("image/", 0) != 0;
  const std::string url =
      img.url.empty() ? "data:" + img.media_type + ";base64," + img.data : img.url;
  if (document) {
    w.start_object().member("type", "input_file");
    if (img.url.empty()) {
      w.member("file_data", url);
    } else {
      w.member("file_url", url);
    }
    w.end_object();
    return;
  }
  w.start_object().member("type", "input_image").member("image_url", url);
  w.member("detail", img.detail.empty() ? std::string_view("auto") : std::string_view(img.detail));
  w.end_object();
}

// A message item with the text and image blocks of `m` (tool calls, results and reasoning are
// items of their own). Skipped when there is nothing to say.
void write_message_item(json_writer& w, const message& m) {
  bool any = false, images = false;
  for (const auto& b : m.content) {
    any = any || std::holds_alternative<text_block>(b) || std::holds_alternative<image_block>(b);
    images = images || std::holds_alternative<image_block>(b);
  }
  if (!any) return;
  const bool assistant = m.role == role::assistant;
  w.start_object().member("type", "message").member("role", role_name(m.role)).key("content");
  if (!m.parts_form && !images) {
    w.string(m.joined_text());
  } else {
    w.start_array();
    for (const auto& b : m.content) {
      if (const auto* t = std::get_if<text_block>(&b)) {
        w.start_object().member("type", assistant ? "output_text" : "input_text");
        w.member("text", t->text);
        if (assistant) w.key("annotations").start_array().end_array();
        w.end_object();
      } else if (const auto* img = std::get_if<image_block>(&b)) {
        write_image(w, *img);
      }
    }
    w.end_array();
  }
  w.end_object();
}

struct encoder {
  json_writer& w;
  const chat_request& req;
  std::unordered_map<std::string, bool> freeform_calls;  // call id -> a custom tool's call

  bool freeform_tool(std::string_view name) const {
    for (const auto& t : req.tools) {
      if (t.name == name && is_freeform(t)) return true;
    }
    return false;
  }

  void result(const tool_result_block& r) {
    const auto it = freeform_calls.find(r.tool_call_id);
    const bool custom = it != freeform_calls.end() && it->second;
    w.start_object().member("type", custom ? "custom_tool_call_output" : "function_call_output");
    w.member("call_id", r.tool_call_id).key("output");
    if (!r.parts_form) {
      w.string(r.joined_text());
    } else {
      w.start_array();
      for (const auto& part : r.content) {
        if (const auto* t = std::get_if<text_block>(&part)) {
          w.start_object().member("type", "input_text").member("text", t->text).end_object();
        } else if (const auto* img = std::get_if<image_block>(&part)) {
          write_image(w, *img);
        }
      }
      w.end_array();
    }
    w.end_object();
  }

  void assistant(const message& m) {
    // Order as the model produced it: reasoning, text, calls; text runs become message items.
    std::size_t i = 0;
    while (i < m.content.size()) {
      const content_block& b = m.content[i];
      if (std::holds_alternative<text_block>(b)) {
        message run;
        run.role = role::assistant;
        run.parts_form = m.parts_form;
        for (; i < m.content.size() && std::holds_alternative<text_block>(m.content[i]); ++i) {
          run.content.push_back(m.content[i]);
        }
        write_message_item(w, run);
        continue;
      }
      if (const auto* call = std::get_if<tool_call_block>(&b)) {
        const bool custom = freeform_tool(call->name);
        freeform_calls[call->id] = custom;
        w.start_object().member("type", custom ? "custom_tool_call" : "function_call");
        w.member("call_id", call->id).member("name", call->name);
        if (custom) {
          w.member("input", freeform_input(call->arguments));
        } else {
          w.member("arguments", call->arguments.empty() ? std::string_view("{}")
                                                        : std::string_view(call->arguments));
        }
        w.end_object();
      } else if (const auto* r = std::get_if<reasoning_block>(&b); r && !r->redacted) {
        w.start_object().member("type", "reasoning").key("summary").start_array();
        if (!r->text.empty()) {
          w.start_object().member("type", "summary_text").member("text", r->text).end_object();
        }
        w.end_array();
        if (!r->signature.empty()) w.member("encrypted_content", r->signature);
        w.end_object();
      }
      ++i;
    }
  }

  void input(std::size_t first) {
    w.key("input").start_array();
    for (std::size_t k = first; k < req.messages.size(); ++k) {
      const message& m = req.messages[k];
      if (m.role == role::assistant) {
        assistant(m);
        continue;
      }
      for (const auto& b : m.content) {
        if (const auto* r = std::get_if<tool_result_block>(&b)) result(*r);
      }
      if (m.role != role::tool) write_message_item(w, m);
    }
    w.end_array();
  }
};

// `instructions` when the conversation opens with a plain-string system message (what the
// decoder makes of `instructions`); every other system message stays an input item.
bool leading_instructions(const chat_request& req) {
  if (req.messages.empty()) return false;
  const message& m = req.messages.front();
  if (m.role != role::system || m.parts_form) return false;
  for (const auto& b : m.content) {
    if (!std::holds_alternative<text_block>(b)) return false;
  }
  return true;
}

void write_reasoning(json_writer& w, const chat_request& req) {
  if (!req.reasoning.effort.empty()) {
    w.key("reasoning").start_object().member("effort", req.reasoning.effort).end_object();
  } else if (req.reasoning.kind == reasoning_config::mode::enabled ||
             req.reasoning.kind == reasoning_config::mode::adaptive) {
    w.key("reasoning").start_object().member("effort", "medium").end_object();
  }
}

// OpenAI Chat's {type, json_schema:{name, schema, strict}} -> text.format {type, name, ...}.
void write_text_format(json_writer& w, const std::string& response_format) {
  if (response_format.empty()) return;
  simdjson::dom::parser parser;
  json_object rf, schema;
  json_element v;
  std::string_view type;
  if (parser.parse(response_format).get(rf) != simdjson::SUCCESS ||
      !find_field(rf, "type", v) || !get_optional(v.get_string(), type) ||
      (type != "json_object" && type != "json_schema")) {
    return;
  }
  w.key("text").start_object().key("format").start_object().member("type", type);
  if (find_field(rf, "json_schema", v) && get_optional(v.get_object(), schema)) {
    for (auto field : schema) w.member_raw(field.key, raw_json(field.value));
  }
  w.end_object().end_object();
}

}  // namespace

result<std::string> encode_request(const chat_request& req, const encode_options&) {
  const bool same = req.origin == dialect::responses;
  std::string out;
  json_writer w(out);
  w.start_object().member("model", req.model);
  const bool instructions = leading_instructions(req);
  if (instructions) w.member("instructions", req.messages.front().joined_text());
  encoder enc{w, req, {}};
  enc.input(instructions ? 1 : 0);
  write_tools(w, req, same);
  write_tool_choice(w, req);
  if (req.parallel_tool_calls) w.member_bool("parallel_tool_calls", *req.parallel_tool_calls);
  if (req.max_tokens) w.member_int("max_output_tokens", *req.max_tokens);
  if (req.sampling.temperature) w.key("temperature").number(*req.sampling.temperature);
  if (req.sampling.top_p) w.key("top_p").number(*req.sampling.top_p);
  // From its own dialect, `reasoning` and `text` come back as sent (in extra, below).
  if (!same || req.extra.find("reasoning") == nullptr) write_reasoning(w, req);
  if (!same || req.extra.find("text") == nullptr) write_text_format(w, req.response_format);
  if (req.stream) w.member_bool("stream", true);
  if (!req.user.empty()) w.member("user", req.user);
  if (same) {
    for (const auto& [key, raw] : req.extra.items) w.member_raw(key, raw);
  } else {
    w.member_bool("store", false);  // stateless: nothing to keep upstream
  }
  w.end_object();
  if (!w.ok()) {
    return make_error(errc::unsupported, "the request holds text that is not valid UTF-8");
  }
  return out;
}

}  // namespace harness::detail::responses
