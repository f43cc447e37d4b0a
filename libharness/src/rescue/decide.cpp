// decide.cpp: what a finished construct becomes: calls (emitted, or held in the group of
// untagged candidates), markup, a reasoning block, or content with its original bytes.
#include "rescue/formats.h"
#include "rescue/machine.h"

namespace harness::detail::rescue {
namespace {

// The format family a wrapper opener usually belongs to (rescued_call::family).
std::string_view family_of(tk opener) noexcept {
  switch (opener) {
    case tk::tool_call_o: return "hermes";
    case tk::tools_o:
    case tk::tool_o:
    case tk::function_call_o:
    case tk::json_o:
    case tk::xml_o:
    case tk::JSON_o:
    case tk::response_o: return "hermes_variants";
    case tk::TOOLCALL_o: return "nemotron_v2";
    case tk::tool_calls_o: return "tool_calls_array";
    case tk::longcat_o: return "longcat";
    case tk::seed_tc_o: return "seed_oss";
    case tk::minimax_o: return "minimax_m2";
    case tk::function_calls_o: return "olmo3";
    case tk::action_o: return "command_r";
    case tk::lfm_o: return "lfm2";
    case tk::apertus_o: return "apertus";
    case tk::pystart_o: return "pythonic";
    case tk::fgemma_o: return "functiongemma";
    case tk::gemma_o: return "gemma4";
    case tk::internlm_o: return "internlm2";
    case tk::granite: return "json_array";
    case tk::mistral: return "mistral";
    case tk::python_tag: return "llama";
    case tk::functools: return "firefunction";
    case tk::gigachat: return "gigachat3";
    case tk::dsml_o: return "deepseek_v32_dsml";
    default: return "long_tail";
  }
}

bool thought_channel(std::string_view name) {
  return name == "thought" || name == "thinking" || name == "analysis" || name == "reasoning";
}

}  // namespace

bool machine::parse_span(std::vector<call_draft>& out, std::string& response) const {
  const std::size_t pend = c_.closer_at != npos ? c_.closer_at : c_.span_end;
  const std::size_t from = std::min(c_.payload, pend);
  const std::string_view payload = view(from, pend);
  const std::string_view after_opener = trim(view(std::min(c_.body, pend), pend));
  switch (c_.kind) {
    case ck::wrapper: return wrapper_payload(payload, ctx_, out, family_of(c_.opener));
    case ck::func_tag: return xml_functions(view(c_.start, pend), out);
    case ck::invoke_tag: return invokes(view(c_.start, c_.span_end), out, "minimax_m2");
    case ck::mistral:
      if (!after_opener.empty() && (after_opener.front() == '[' || after_opener.front() == '{')) {
        return json_payload(after_opener, false, ctx_, out, "mistral_v3");
      }
      return name_args(after_opener, out, "mistral_v11");
    case ck::python_tag: {
      if (c_.raw_body) {
        call_draft d;
        d.name = "python";
        d.args = jvalue::object();
        d.args.add("code", jvalue::string(std::string(after_opener)));
        d.family = "functionary_v31";
        out.push_back(std::move(d));
        return true;
      }
      const char first = after_opener.empty() ? '\0' : after_opener.front();
      if (first == '{' || first == '[')
        return json_payload(after_opener, false, ctx_, out, "llama");
      return python_calls(after_opener, out, "llama_builtin");
    }
    case ck::granite:
    case ck::functools:
    case ck::gigachat: return json_payload(payload, false, ctx_, out, family_of(c_.opener));
    case ck::calling_tool: {
      std::string_view inner = trim(view(from, std::max(from, std::min(c_.value_end, pend))));
      if (inner.size() < 2 || inner.front() != '(' || inner.back() != ')') return false;
      inner = inner.substr(1, inner.size() - 2);
      call_draft d;
      d.name = c_.name;
      d.family = "long_tail";
      if (!args_from_text(inner, d.args)) return false;
      out.push_back(std::move(d));
      return true;
    }
    case ck::section:
      if (c_.opener == tk::dsml_o) return invokes(trim(payload), out, "deepseek_v32_dsml");
      return section_calls(payload, out);
    case ck::harmony: {
      call_draft d;
      d.name = c_.name;
      d.rules = name_harmony;
      d.family = "harmony";
      if (!args_from_text(payload, d.args)) return false;
      out.push_back(std::move(d));
      return true;
    }
    case ck::functionary:
    case ck::reply_name: {
      const std::string_view body = trim(payload);
      call_draft d;
      d.name = c_.name;
      d.family = "functionary_v32";
      if (!body.empty() && body.front() == '{') {
        if (!args_from_text(body, d.args)) return false;
      } else {
        d.args = jvalue::object();
        d.args.add("code", jvalue::string(std::string(body)));
      }
      out.push_back(std::move(d));
      return true;
    }
    case ck::untagged:
    case ck::action: {
      const std::string_view text =
          view(c_.kind == ck::action ? c_.payload : c_.start, c_.span_end);
      if (!c_.name.empty()) {
        if (at(c_.payload) == '(') return python_calls(text, out, "pythonic");
        return name_args(text, out, "mistral_v11");
      }
      const char first = text.empty() ? '\0' : text.front();
      if (first == '{' && c_.reply_start && generic_response(text, response)) return true;
      const std::string_view fam = first == '[' ? "json_array" : "bare_json";
      if (json_payload(text, true, ctx_, out, fam)) return true;
      return first == '[' && python_calls(text, out, "pythonic");
    }
    default: return false;
  }
}

bool machine::fence_body_calls(std::string_view body, std::vector<rescued_call>& calls) const {
  if (depth_ >= 2) return false;
  std::vector<piece> rec;
  sink nested(&rec);
  machine m(ctx_, nested, depth_ + 1, true, reasoning_start::closed);
  m.feed_all(body);
  for (auto& p : rec) {
    if ((p.k == piece::kind::content || p.k == piece::kind::reasoning) && !trim(p.text).empty()) {
      return false;
    }
    if (p.k == piece::kind::call) calls.push_back(std::move(p.call));
  }
  return !calls.empty();
}

void machine::finish_construct() {
  const std::size_t span_end = c_.span_end;
  mode_ = mode::normal;
  if (c_.kind == ck::gemma_channel) {
    remove_markup(span_end);
    if (thought_channel(c_.channel)) enter_reasoning(rkind::one, tk::gchan_c);
    return;
  }
  if (c_.kind == ck::harmony && c_.name.empty()) {
    remove_markup(span_end);
    if (c_.channel == "analysis") enter_reasoning(rkind::harmony, tk::none);
    return;
  }
  if (c_.kind == ck::functionary && c_.channel == "all") {
    remove_markup(span_end);
    return;
  }
  const bool untagged = c_.kind == ck::untagged || c_.kind == ck::action || c_.kind == ck::fence;
  std::optional<std::vector<rescued_call>> calls;
  std::string response;
  if (c_.fence_len > 0) {
    std::vector<rescued_call> found;
    const std::size_t body_end = c_.closer_at != npos ? c_.closer_at : span_end;
    if (fence_body_calls(view(std::min(c_.payload, body_end), body_end), found)) {
      calls = std::move(found);
    }
  } else {
    std::vector<call_draft> found_drafts;
    if (parse_span(found_drafts, response) && !found_drafts.empty()) {
      calls = finalize_calls(found_drafts, ctx_, view(c_.start, span_end));
    }
  }
  if (calls || !response.empty()) {
    if (untagged || group_active_) {
      if (!group_active_) {
        group_active_ = true;
        group_start_ = c_.start;
      }
      gitem item;
      item.k =
          calls ? (untagged ? gitem::kind::untagged : gitem::kind::native) : gitem::kind::response;
      item.from = c_.start;
      item.to = span_end;
      if (calls) item.calls = std::move(*calls);
      item.text = std::move(response);
      group_.push_back(std::move(item));
      after_call_ = true;
    } else {
      emit_calls(*calls);
    }
    pos_ = span_end;
    return;
  }
  if (group_active_) reject_group();
  if (c_.markup_fallback) {
    remove_markup(c_.body);
    return;
  }
  release(c_.start, span_end);
  pos_ = span_end;
}

void machine::early_reject() {
  mode_ = mode::normal;
  if (group_active_) reject_group();
  if (c_.markup_fallback) {
    remove_markup(c_.body);
    return;
  }
  if (c_.fence_len > 0) {
    // Fenced code that is not a call: shown as content up to its closing fence.
    release(c_.start, c_.fence_body);
    pos_ = c_.fence_body;
    tick_len_ = c_.fence_len;
    fence_line_start_ = false;
    mode_ = mode::fence_content;
    return;
  }
  release(c_.start, c_.body);
  pos_ = c_.body;
}

}  // namespace harness::detail::rescue
