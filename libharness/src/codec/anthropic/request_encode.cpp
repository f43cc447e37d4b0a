// request_encode.cpp: canonical chat_request -> Anthropic Messages request body
// (translation.md A.1 parameters and A.8 rules 4, 6, 7, 10).
#include <algorithm>

#include "json/parse_context.h"
#include "codec/anthropic/anthropic.h"
#include "codec/anthropic/internal.h"
#include "ir/ids.h"

namespace harness::detail::anthropic {
namespace {

// Output limit when the request has none (A.1 "max_tokens": per model, never LiteLLM's 4096
// for agentic models). Substring match so "anthropic/…" or "us.anthropic.…" names work too.
std::int64_t model_default_max_tokens(std::string_view model) {
  struct family {
    std::string_view needle;
    std::int64_t max_tokens;
  };
  static constexpr family table[] = {
      {"claude-3-5-", 8192},        {"claude-3.5-", 8192},      {"claude-3-7-sonnet", 64000},
      {"claude-3.7-sonnet", 64000}, {"claude-3-haiku", 4096},   {"claude-3-opus", 4096},
      {"claude-3-sonnet", 4096},    {"claude-sonnet-4", 64000}, {"claude-haiku-4", 64000},
      {"claude-opus-4", 32000},
  };
  for (const auto& f : table) {
    if (model.find(f.needle) != std::string_view::npos) return f.max_tokens;
  }
  return 32000;
}

// OpenAI reasoning_effort -> thinking budget (LiteLLM's defaults: low 1024, medium 2048,
// high 4096). Levels above high get 8192; unknown levels medium.
std::int64_t effort_budget(std::string_view effort) {
  if (effort == "minimal" || effort == "low") return 1024;
  if (effort == "high") return 4096;
  if (effort == "xhigh" || effort == "max") return 8192;
  return 2048;
}

struct thinking_plan {
  enum class kind { none, enabled, adaptive, disabled } type = kind::none;
  std::int64_t budget = 0;
  std::string_view effort;  // output_config.effort; empty: none
};

thinking_plan plan_thinking(const chat_request& req) {
  using mode = reasoning_config::mode;
  const auto& r = req.reasoning;
  thinking_plan plan;
  const bool forced_tool = req.tool_choice.kind == tool_choice::mode::required ||
                           req.tool_choice.kind == tool_choice::mode::tool;
  if (req.origin == dialect::anthropic) {
    // The client spoke Anthropic: say exactly what it said.
    if (r.kind == mode::enabled) {
      plan.type = thinking_plan::kind::enabled;
      plan.budget = r.budget_tokens ? *r.budget_tokens : effort_budget(r.effort);
    } else if (r.kind == mode::adaptive) {
      plan.type = thinking_plan::kind::adaptive;
    } else if (r.kind == mode::disabled) {
      plan.type = thinking_plan::kind::disabled;
    }
    plan.effort = r.effort;
    return plan;
  }
  // A forced tool cannot be combined with thinking (A.8.7): the forced call wins.
  if (forced_tool || r.kind == mode::disabled || r.effort == "none") return plan;
  // With thinking on, the last assistant turn with tool calls must open with a signed thinking
  // block, else Anthropic answers 400 (A.1). A foreign client rarely has one: think no more.
  for (auto m = req.messages.rbegin(); m != req.messages.rend(); ++m) {
    if (m->role != role::assistant || m->tool_calls().empty()) continue;
    const auto* first = m->content.empty() ? nullptr : std::get_if<reasoning_block>(&m->content[0]);
    if (first == nullptr || (first->signature.empty() && !first->redacted)) return plan;
    break;
  }
  if (r.kind == mode::adaptive) {
    plan.type = thinking_plan::kind::adaptive;
    plan.effort = r.effort;
  } else if (r.kind == mode::enabled || !r.effort.empty()) {
    plan.type = thinking_plan::kind::enabled;
    plan.budget =
        std::max<std::int64_t>(r.budget_tokens ? *r.budget_tokens : effort_budget(r.effort), 1024);
  }
  return plan;
}

result<void> write_tool(json_writer& w, const tool_spec& t, bool native, std::size_t i) {
  if (t.kind != "function") {
    if (!native) {
      const json_path root;
      const json_path tp = root / "tools";
      return make_error(errc::unsupported,
                        "tool kind \"" + t.kind + "\" cannot be sent to Anthropic", tp[i].str());
    }
    // A server tool decoded from Anthropic: its whole definition is in `extra`.
    w.start_object();
    if (t.extra.find("type") == nullptr) w.member("type", t.kind);
    if (t.extra.find("name") == nullptr && !t.name.empty()) w.member("name", t.name);
    for (const auto& [key, raw] : t.extra.items) w.member_raw(key, raw);
    w.end_object();
    return {};
  }
  w.start_object().member("name", t.name);
  if (!t.description.empty()) w.member("description", t.description);
  w.key("input_schema");
  if (t.parameters.empty() || t.parameters == "null") {
    w.raw(R"({"type":"object","properties":{}})");  // A.1: missing parameters
  } else {
    w.raw(t.parameters);
  }
  if (!t.cache_control.empty()) w.member_raw("cache_control", t.cache_control);
  if (t.strict) w.member_bool("strict", *t.strict);
  if (native) {
    for (const auto& [key, raw] : t.extra.items) {
      if (key != "name" && key != "description" && key != "input_schema" &&
          key != "cache_control" && key != "strict") {
        w.member_raw(key, raw);
      }
    }
  }
  w.end_object();
  return {};
}

void write_tool_choice(json_writer& w, const chat_request& req, bool synthesized_tools) {
  using mode = tool_choice::mode;
  mode kind = req.tool_choice.kind;
  if (synthesized_tools) kind = mode::none;  // tools were not offered: no calls
  const auto& parallel = req.parallel_tool_calls;
  if (kind == mode::unset) {
    if (parallel && !*parallel) {
      w.key("tool_choice").start_object().member("type", "auto");
      w.member_bool("disable_parallel_tool_use", true).end_object();
    }
    return;
  }
  w.key("tool_choice").start_object();
  switch (kind) {
    case mode::none:
      w.member("type", "none");
      break;
    case mode::required:
      w.member("type", "any");
      break;
    case mode::tool:
      w.member("type", "tool").member("name", req.tool_choice.name);
      break;
    default:
      w.member("type", "auto");
      break;
  }
  // Inverse flag (A.1); Anthropic's `none` choice takes no options.
  if (parallel && kind != mode::none) w.member_bool("disable_parallel_tool_use", !*parallel);
  w.end_object();
}

// Writes `tools` (A.8.4: tool history without tools is a 400, so the called tools are
// declared, schema-less, and tool_choice none keeps the model from calling them) and
// `tool_choice` (only with tools: Anthropic refuses a choice without them).
result<void> write_tools(json_writer& w, const chat_request& req) {
  const bool native = req.origin == dialect::anthropic;
  std::vector<std::string> called;
  if (req.tools.empty() && has_tool_history(req, called)) {
    std::vector<std::string> names;  // Anthropic tool names: [A-Za-z0-9_-]{1,64}, unique
    for (const auto& name : called) {
      std::string n = sanitize_call_id(name).substr(0, 64);
      if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end())
        names.push_back(std::move(n));
    }
    called = std::move(names);
  }
  const bool synthesize = req.tools.empty() && !called.empty();
  if (req.tools.empty() && !synthesize) return {};
  w.key("tools").start_array();
  for (std::size_t i = 0; i < req.tools.size(); ++i) {
    if (auto r = write_tool(w, req.tools[i], native, i); !r) return r;
  }
  for (const auto& name : called) {
    w.start_object().member("name", name);
    w.member_raw("input_schema", R"({"type":"object","properties":{}})").end_object();
  }
  w.end_array();
  write_tool_choice(w, req, synthesize);
  return {};
}

// response_format json_schema -> output_config.format (structured outputs). json_object has
// no schema-free equivalent and is not sent.
std::string output_format(const chat_request& req, simdjson::dom::parser& scratch) {
  if (req.response_format.empty()) return {};
  auto doc = parse_json(scratch, req.response_format);
  if (!doc) return {};
  std::string_view type;
  json_element schema;
  if (doc->at_key("type").get_string().get(type) != simdjson::SUCCESS || type != "json_schema" ||
      doc->at_key("json_schema").at_key("schema").get(schema) != simdjson::SUCCESS ||
      !schema.is_object()) {
    return {};
  }
  return R"({"type":"json_schema","schema":)" + raw_json(schema) + "}";
}

std::size_t estimate_size(const chat_request& req) {
  std::size_t n = 512 + req.model.size();
  for (const auto& m : req.messages) {
    for (const auto& b : m.content) {
      n += 64;
      if (const auto* t = std::get_if<text_block>(&b)) n += t->text.size() + t->text.size() / 8;
      if (const auto* img = std::get_if<image_block>(&b)) n += img->data.size() + img->url.size();
      if (const auto* c = std::get_if<tool_call_block>(&b)) n += c->arguments.size();
      if (const auto* r = std::get_if<tool_result_block>(&b)) {
        for (const auto& part : r->content) {
          if (const auto* t = std::get_if<text_block>(&part))
            n += t->text.size() + t->text.size() / 8;
          if (const auto* img = std::get_if<image_block>(&part)) n += img->data.size();
        }
      }
      if (const auto* r = std::get_if<reasoning_block>(&b))
        n += r->text.size() + r->signature.size();
    }
  }
  for (const auto& t : req.tools) n += 128 + t.description.size() + t.parameters.size();
  return n;
}

constexpr std::string_view modelled_keys[] = {
    "model",       "max_tokens", "messages", "system", "tools",    "tool_choice", "stop_sequences",
    "temperature", "top_p",      "top_k",    "stream", "metadata", "thinking",    "output_config"};

}  // namespace

result<std::string> encode_request(const chat_request& req, const encode_options& options) {
  parse_context pc;  // one-shot scratch
  return encode_request(req, options, pc);
}

result<std::string> encode_request(const chat_request& req, const encode_options& options,
                                   parse_context& pc) {
  const bool native = req.origin == dialect::anthropic;
  std::string out;
  out.reserve(estimate_size(req));
  json_writer w(out);
  simdjson::dom::parser& scratch = pc.parser;
  const thinking_plan thinking = plan_thinking(req);
  const bool thinks = thinking.type == thinking_plan::kind::enabled ||
                      thinking.type == thinking_plan::kind::adaptive;

  std::int64_t max_tokens = req.max_tokens                   ? *req.max_tokens
                            : options.default_max_tokens > 0 ? options.default_max_tokens
                                                             : model_default_max_tokens(req.model);
  // max_tokens must exceed the thinking budget (A.8.6): the answer keeps its own allowance.
  if (thinking.type == thinking_plan::kind::enabled && max_tokens <= thinking.budget) {
    max_tokens += thinking.budget;
  }
  w.start_object().member("model", req.model).member_int("max_tokens", max_tokens);
  if (auto r = write_conversation(w, req, scratch); !r) return std::move(r).error_value();
  if (auto r = write_tools(w, req); !r) return std::move(r).error_value();

  bool any_stop = false;
  for (const auto& s : req.stop) {
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) continue;  // A.1: rejected
    if (!any_stop) w.key("stop_sequences").start_array();
    any_stop = true;
    w.string(s);
  }
  if (any_stop) w.end_array();

  // Thinking allows no sampling changes (A.8.7); an Anthropic client knows, others may not.
  const bool restrict_sampling = thinks && !native;
  if (const auto& t = req.sampling.temperature; t && (!restrict_sampling || *t == 1.0)) {
    w.key("temperature").number(std::clamp(*t, 0.0, 1.0));  // AN range is 0..1 (A.1)
  }
  if (const auto& p = req.sampling.top_p; p && (!restrict_sampling || *p >= 0.95)) {
    w.key("top_p").number(*p);
  }
  if (req.sampling.top_k && !restrict_sampling) w.member_int("top_k", *req.sampling.top_k);

  const json_fields no_extra;
  const json_fields& extra = native ? req.extra : no_extra;
  {
    std::string meta = "{}";
    if (!req.user.empty()) {
      const std::string quoted = quote_json(req.user);
      if (quoted.empty())
        return make_error(errc::unsupported, "user id is not valid UTF-8", "$.user");
      meta = R"({"user_id":)" + quoted + "}";
    }
    meta = merge_object(std::move(meta), extra.find("metadata"));
    if (meta != "{}" || extra.find("metadata") != nullptr) w.member_raw("metadata", meta);
  }
  if (thinking.type != thinking_plan::kind::none) {
    std::string obj;
    {
      json_writer tw(obj);
      tw.start_object();
      switch (thinking.type) {
        case thinking_plan::kind::enabled:
          tw.member("type", "enabled").member_int("budget_tokens", thinking.budget);
          break;
        case thinking_plan::kind::adaptive:
          tw.member("type", "adaptive");
          break;
        default:
          tw.member("type", "disabled");
          break;
      }
      tw.end_object();
    }
    w.member_raw("thinking", merge_object(std::move(obj), extra.find("thinking")));
  }
  {
    std::string obj;
    {
      json_writer ow(obj);
      ow.start_object();
      if (!thinking.effort.empty()) ow.member("effort", thinking.effort);
      if (std::string format = output_format(req, scratch); !format.empty()) {
        ow.member_raw("format", format);
      }
      ow.end_object();
      if (!ow.ok())
        return make_error(errc::unsupported, "reasoning effort is not valid UTF-8", "$.reasoning");
    }
    const std::string* rest = extra.find("output_config");
    if (obj != "{}" || rest != nullptr)
      w.member_raw("output_config", merge_object(std::move(obj), rest));
  }
  if (req.stream) w.member_bool("stream", true);

  for (const auto& [key, raw] : extra.items) {
    if (std::find(std::begin(modelled_keys), std::end(modelled_keys), key) !=
        std::end(modelled_keys)) {
      continue;
    }
    w.member_raw(key, raw);
  }
  w.end_object();
  if (!w.ok()) {
    return make_error(errc::unsupported,
                      "request holds text that is not valid UTF-8 or a non-finite number");
  }
  return out;
}

}  // namespace harness::detail::anthropic
