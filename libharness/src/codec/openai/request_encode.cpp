// request_encode.cpp: chat_request (any origin) -> a Chat Completions request body.
#include <array>
#include <string>

#include "codec/openai/internal.h"
#include "codec/openai/openai.h"

namespace harness::detail::openai {
namespace {

constexpr std::string_view function_key_prefix = "function.";  // see request_decode.cpp

// Top-level keys written from canonical fields, so an `extra` entry never duplicates one.
class written_keys {
 public:
  void add(std::string_view key) noexcept {
    if (n_ < keys_.size()) keys_[n_++] = key;
  }
  bool has(std::string_view key) const noexcept {
    for (std::size_t i = 0; i < n_; ++i) {
      if (keys_[i] == key) return true;
    }
    return false;
  }

 private:
  std::array<std::string_view, 32> keys_{};
  std::size_t n_ = 0;
};

bool is_function_member(std::string_view key) noexcept {
  return key.substr(0, function_key_prefix.size()) == function_key_prefix;
}

void write_function_tool(json_writer& w, const tool_spec& t, bool same) {
  w.start_object().member("type", "function").key("function").start_object();
  w.member("name", t.name);
  if (!t.description.empty()) w.member("description", t.description);
  if (!t.parameters.empty()) w.member_raw("parameters", t.parameters);
  if (t.strict) w.member_bool("strict", *t.strict);
  if (same) {
    for (const auto& [key, raw] : t.extra.items) {
      if (!is_function_member(key)) continue;
      const std::string_view name = std::string_view(key).substr(function_key_prefix.size());
      if (name == "name" || name == "description" || name == "parameters" || name == "strict") {
        continue;
      }
      w.member_raw(name, raw);
    }
  }
  w.end_object();
  if (same) {
    if (!t.cache_control.empty()) w.member_raw("cache_control", t.cache_control);
    for (const auto& [key, raw] : t.extra.items) {
      if (is_function_member(key) || key == "type" || key == "function" ||
          (key == "cache_control" && !t.cache_control.empty())) {
        continue;
      }
      w.member_raw(key, raw);
    }
  }
  w.end_object();
}

// Function tools always; other kinds (custom, web_search, Anthropic server tools) only when
// they came from an OpenAI client, as sent. Elsewhere they have no schema to offer: dropped
// (translation.md A.2, "Server tools").
bool writable(const tool_spec& t, bool same) noexcept { return t.kind == "function" || same; }

void write_tools(json_writer& w, const chat_request& req, bool same) {
  w.start_array();
  for (const auto& t : req.tools) {
    if (!writable(t, same)) continue;
    if (t.kind == "function") {
      write_function_tool(w, t, same);
      continue;
    }
    w.start_object();
    for (const auto& [key, raw] : t.extra.items) w.member_raw(key, raw);
    w.end_object();
  }
  w.end_array();
}

void write_tool_choice(json_writer& w, const tool_choice& choice) {
  switch (choice.kind) {
    case tool_choice::mode::unset: break;
    case tool_choice::mode::auto_: w.string("auto"); break;
    case tool_choice::mode::none: w.string("none"); break;
    case tool_choice::mode::required: w.string("required"); break;
    case tool_choice::mode::tool:
      w.start_object().member("type", "function").key("function").start_object();
      w.member("name", choice.name).end_object().end_object();
      break;
  }
}

// include_usage from the canonical value; other members of a kept stream_options as sent.
void write_stream_options(json_writer& w, const std::string* raw, bool want_usage) {
  w.start_object();
  bool wrote_usage = false;
  simdjson::dom::parser parser;
  json_element doc;
  json_object obj;
  if (raw != nullptr && parser.parse(*raw).get(doc) == simdjson::SUCCESS &&
      doc.get_object().get(obj) == simdjson::SUCCESS) {
    for (auto field : obj) {
      if (field.key == "include_usage") {
        w.member_bool("include_usage", want_usage);
        wrote_usage = true;
      } else {
        append_raw_json(w.key(field.key).raw_target(), field.value);
      }
    }
  }
  if (want_usage && !wrote_usage) w.member_bool("include_usage", true);
  w.end_object();
}

// reasoning_effort: an effort as given; an Anthropic budget bucketed like LiteLLM /
// claude-code-router (translation.md A.2); adaptive without effort and disabled send nothing
// ("disabled" wins over a leftover effort, translation.md E, except the explicit "none").
std::string_view effort_for(const reasoning_config& r) noexcept {
  if (r.kind == reasoning_config::mode::disabled) {
    return r.effort == "none" ? std::string_view("none") : std::string_view();
  }
  if (!r.effort.empty()) return r.effort;
  if (r.kind == reasoning_config::mode::enabled && r.budget_tokens) {
    const std::int64_t budget = *r.budget_tokens;
    return budget <= 1024 ? "low" : budget <= 8192 ? "medium" : "high";
  }
  return {};
}

std::size_t request_size(const chat_request& req) noexcept {
  std::size_t n = 1024 + req.model.size() + req.response_format.size();
  for (const auto& m : req.messages) n += estimated_size(m);
  for (const auto& t : req.tools) {
    n += 64 + t.name.size() + t.description.size() * 9 / 8 + t.parameters.size();
    for (const auto& [k, v] : t.extra.items) n += k.size() + v.size() + 4;
  }
  for (const auto& [k, v] : req.extra.items) n += k.size() + v.size() + 4;
  return n;
}

}  // namespace

result<std::string> encode_request(const chat_request& req, const encode_options& /*options*/) {
  const bool same = req.origin == dialect::openai;
  std::string out;
  out.reserve(request_size(req));
  json_writer w(out);
  written_keys keys;
  auto key = [&](std::string_view k) -> json_writer& {
    keys.add(k);
    return w.key(k);
  };

  w.start_object();
  key("model").string(req.model);
  key("messages");
  write_messages(w, req, same);

  bool has_tools = false;
  for (const auto& t : req.tools) has_tools = has_tools || writable(t, same);
  if (has_tools) {
    key("tools");
    write_tools(w, req, same);
  }
  // OpenAI refuses tool_choice / parallel_tool_calls without tools; a foreign request whose
  // tools were all dropped must not carry them.
  if (has_tools || same) {
    if (req.tool_choice.kind != tool_choice::mode::unset) {
      key("tool_choice");
      write_tool_choice(w, req.tool_choice);
    }
    if (req.parallel_tool_calls) key("parallel_tool_calls").boolean(*req.parallel_tool_calls);
  }
  if (req.max_tokens) {
    key(req.max_tokens_as_completion ? "max_completion_tokens" : "max_tokens")
        .int64(*req.max_tokens);
  }
  if (!req.stop.empty()) {
    key("stop");
    if (req.stop_as_string && req.stop.size() == 1) {
      w.string(req.stop.front());
    } else {
      w.start_array();
      for (const auto& s : req.stop) w.string(s);
      w.end_array();
    }
  }
  const auto& s = req.sampling;
  if (s.temperature) key("temperature").number(*s.temperature);
  if (s.top_p) key("top_p").number(*s.top_p);
  if (s.top_k && same) key("top_k").int64(*s.top_k);  // OpenAI has no top_k (A.2)
  if (s.seed) key("seed").int64(*s.seed);
  if (s.frequency_penalty) key("frequency_penalty").number(*s.frequency_penalty);
  if (s.presence_penalty) key("presence_penalty").number(*s.presence_penalty);
  if (req.stream) key("stream").boolean(true);
  // Another dialect's client always gets usage in streams: Claude Code's context gauge needs
  // it (translation.md A.2, last rows; F.10).
  const bool want_usage = req.include_usage || (req.stream && !same);
  const std::string* kept_options = same ? req.extra.find("stream_options") : nullptr;
  if (want_usage || kept_options != nullptr) {
    key("stream_options");
    write_stream_options(w, kept_options, want_usage);
  }
  if (const auto effort = effort_for(req.reasoning); !effort.empty()) {
    key("reasoning_effort").string(effort);
  }
  if (!req.response_format.empty()) key("response_format").raw(req.response_format);
  if (!req.user.empty()) key("user").string(req.user);
  if (same) {
    for (const auto& [k, raw] : req.extra.items) {
      if (keys.has(k)) continue;
      key(k).raw(raw);
    }
  }
  w.end_object();
  if (!w.ok()) {
    return make_error(errc::unsupported,
                      "the request holds text that is not valid UTF-8 or a non-finite number");
  }
  return out;
}

}  // namespace harness::detail::openai
