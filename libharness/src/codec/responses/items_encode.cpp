// items_encode.cpp: an assistant message -> Responses output items, and the usage object.
#include <algorithm>
#include <string>

#include "codec/responses/internal.h"

namespace harness::detail::responses {
namespace {

bool in(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string_view namespace_of(const std::vector<std::pair<std::string, std::string>>& namespaces,
                              std::string_view name) noexcept {
  for (const auto& [tool, ns] : namespaces) {
    if (tool == name) return ns;
  }
  return {};
}

void write_output_items(json_writer& w, const message& m, std::string_view response_id,
                        const response_options& options, std::string_view status) {
  std::size_t n = 0;  // item position, seeds the item ids
  std::size_t i = 0;
  while (i < m.content.size()) {
    const content_block& b = m.content[i];
    if (std::holds_alternative<text_block>(b)) {
      // A run of text blocks is one message item with one output_text part per block.
      w.start_object().member("id", item_id(response_id, n++, "msg_")).member("type", "message");
      w.member("status", status).member("role", "assistant").key("content").start_array();
      for (; i < m.content.size() && std::holds_alternative<text_block>(m.content[i]); ++i) {
        w.start_object().member("type", "output_text");
        w.member("text", std::get<text_block>(m.content[i]).text);
        w.key("annotations").start_array().end_array().end_object();
      }
      w.end_array().end_object();
      continue;
    }
    if (const auto* call = std::get_if<tool_call_block>(&b)) {
      const bool custom = in(options.freeform_tools, call->name);
      const std::string_view ns = namespace_of(options.tool_namespaces, call->name);
      const std::string call_id =
          call->id.empty() ? item_id(response_id, n, "call_") : call->id;
      w.start_object();
      if (custom) {
        w.member("id", item_id(response_id, n++, "ctc_")).member("type", "custom_tool_call");
        w.member("status", status).member("call_id", call_id).member("name", call->name);
        if (!ns.empty()) w.member("namespace", ns);
        w.member("input", freeform_input(call->arguments));
      } else {
        w.member("id", item_id(response_id, n++, "fc_")).member("type", "function_call");
        w.member("status", status).member("call_id", call_id).member("name", call->name);
        if (!ns.empty()) w.member("namespace", ns);
        w.member("arguments", call->arguments.empty() ? std::string_view("{}")
                                                      : std::string_view(call->arguments));
      }
      w.end_object();
    } else if (const auto* r = std::get_if<reasoning_block>(&b); r && !r->redacted) {
      // Redacted reasoning has no Responses form (its data is not a summary): left out.
      w.start_object().member("id", item_id(response_id, n++, "rs_")).member("type", "reasoning");
      w.key("summary").start_array();
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

void write_usage(json_writer& w, const usage& u) {
  const std::int64_t input = u.prompt_tokens();
  w.key("usage").start_object().member_int("input_tokens", input);
  w.key("input_tokens_details").start_object().member_int("cached_tokens", u.cache_read_tokens);
  w.end_object().member_int("output_tokens", u.output_tokens);
  w.key("output_tokens_details").start_object();
  w.member_int("reasoning_tokens", u.reasoning_tokens).end_object();
  w.member_int("total_tokens", input + u.output_tokens).end_object();
}

}  // namespace harness::detail::responses
