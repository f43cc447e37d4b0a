// request_decode.cpp: an Ollama /api/chat request body -> canonical chat_request
// (translation.md B.2, B.3, B.6).
#include "json/parse_context.h"
#include "codec/ollama/ollama.h"
#include "codec/ollama/internal.h"
#include "codec/ollama/request_fields.h"

#include "ir/ids.h"

namespace harness::detail::ollama {
namespace {

// Ollama lower-cases roles before use (api.Message.UnmarshalJSON), so "User" is a user.
bool parse_role(std::string_view text, role& out) noexcept {
  char buf[9];
  if (text.size() > sizeof buf) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view lower(buf, text.size());
  if (lower == "system") {
    out = role::system;
  } else if (lower == "user") {
    out = role::user;
  } else if (lower == "assistant") {
    out = role::assistant;
  } else if (lower == "tool") {
    out = role::tool;
  } else {
    return false;
  }
  return true;
}

// State shared across the messages of one body.
struct decode_context {
  call_id_source ids;
  std::size_t call_position = 0;
};

// The id of the call a tool result without `tool_call_id` answers (Ollama < 0.12.10 linked
// results by `tool_name` only, translation.md B.3): the most recent assistant turn calling that
// tool; within it, the first such call no earlier result of that turn claimed (so parallel calls
// to one tool pair up in order), else its last such call. Empty when nothing matches.
std::string link_by_name(const std::vector<message>& history, std::string_view name) {
  for (std::size_t a = history.size(); a-- > 0;) {
    if (history[a].role != role::assistant) continue;
    const auto calls = history[a].tool_calls();
    const tool_call_block* last = nullptr;
    for (const auto* c : calls) {
      if (c->name == name) last = c;
    }
    if (last == nullptr) continue;
    for (const auto* c : calls) {
      if (c->name != name) continue;
      bool claimed = false;
      for (std::size_t t = a + 1; t < history.size() && !claimed; ++t) {
        for (const auto& block : history[t].content) {
          const auto* r = std::get_if<tool_result_block>(&block);
          if (r != nullptr && r->tool_call_id == c->id) claimed = true;
        }
      }
      if (!claimed) return c->id;
    }
    return last->id;
  }
  return {};
}

bool read_optional_string(json_element value, const json_path& path, std::string& out,
                          error& err) {
  return value.is_null() || read_string(value, path, out, err);
}

// A tool message becomes one tool_result_block (canonical form), linked to its call.
void finish_result(message_parts&& parts, tool_result_block&& result,
                   const std::vector<message>& history, decode_context& ctx, std::size_t index,
                   message& m) {
  if (result.tool_call_id.empty() && !result.name.empty()) {
    result.tool_call_id = link_by_name(history, result.name);
  }
  if (result.tool_call_id.empty()) {
    // Unlinkable: a stable id outside the range of call positions.
    result.tool_call_id = ctx.ids.make((std::size_t{1} << 32) + index);
  }
  if (!parts.content.empty()) {
    result.content.emplace_back(text_block{std::move(parts.content), {}});
  }
  for (auto& img : parts.images) result.content.emplace_back(std::move(img));
  m.content.emplace_back(std::move(result));
}

bool decode_message(json_element e, const json_path& p, decode_context& ctx,
                    std::vector<message>& history, std::size_t index, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  // The role decides where thinking / tool_calls / tool_call_id belong, and may come last.
  json_element role_value;
  if (obj["role"].get(role_value) != simdjson::SUCCESS) {
    err = missing_field(p / "role");
    return false;
  }
  std::string_view role_text;
  if (!read_string_view(role_value, p / "role", role_text, err)) return false;
  message m;
  if (!parse_role(role_text, m.role)) {
    err = invalid(p / "role", "unknown role \"" + std::string(role_text) + "\"");
    return false;
  }
  const bool assistant = m.role == role::assistant;
  const bool tool = m.role == role::tool;
  message_parts parts;
  tool_result_block result;
  for (auto field : obj) {
    const std::string_view key = field.key;
    bool ok = true;
    if (key == "role") {
      continue;
    } else if (key == "content") {
      ok = read_optional_string(field.value, p / "content", parts.content, err);
    } else if (key == "images") {
      ok = read_images(field.value, p / "images", parts.images, err);
    } else if (assistant && key == "thinking") {
      ok = read_optional_string(field.value, p / "thinking", parts.thinking, err);
    } else if (assistant && key == "tool_calls") {
      ok = read_tool_calls(field.value, p / "tool_calls", ctx.ids, ctx.call_position, parts.calls,
                           err);
    } else if (tool && key == "tool_call_id") {
      ok = read_optional_string(field.value, p / "tool_call_id", result.tool_call_id, err);
    } else if (tool && key == "tool_name") {
      ok = read_optional_string(field.value, p / "tool_name", result.name, err);
    } else {
      // Includes thinking/tool_calls on other roles: no canonical meaning, kept raw.
      m.extra.items.emplace_back(std::string(key), raw_json(field.value));
    }
    if (!ok) return false;
  }
  if (tool) {
    finish_result(std::move(parts), std::move(result), history, ctx, index, m);
  } else {
    append_parts(std::move(parts), m);
  }
  history.push_back(std::move(m));
  return true;
}

bool decode_messages(json_element value, const json_path& p, decode_context& ctx,
                     std::vector<message>& out, error& err) {
  if (value.is_null()) return true;
  json_array arr;
  if (!read_array(value, p, arr, err)) return false;
  out.reserve(arr.size());
  std::size_t i = 0;
  for (json_element item : arr) {
    if (!decode_message(item, p[i], ctx, out, i, err)) return false;
    ++i;
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
  req.origin = dialect::ollama;
  req.stream = true;  // Ollama streams unless told otherwise (translation.md B.1)
  decode_context ctx{call_id_source(body)};
  bool has_model = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    bool ok = true;
    if (key == "model") {
      ok = read_string(field.value, root / "model", req.model, err);
      has_model = true;
    } else if (key == "messages") {
      ok = decode_messages(field.value, root / "messages", ctx, req.messages, err);
    } else if (key == "tools") {
      ok = decode_tools(field.value, root / "tools", req.tools, err);
    } else if (key == "format") {
      ok = decode_format(field.value, root / "format", req.response_format, err);
    } else if (key == "options") {
      ok = decode_options(field.value, root / "options", req, err);
    } else if (key == "stream") {
      ok = field.value.is_null() || read_bool(field.value, root / "stream", req.stream, err);
    } else if (key == "think") {
      ok = decode_think(field.value, root / "think", req.reasoning, err);
    } else {
      req.extra.items.emplace_back(std::string(key), raw_json(field.value));  // keep_alive, ...
    }
    if (!ok) return err;
  }
  if (!has_model) return missing_field(root / "model");
  if (req.model.empty()) return invalid(root / "model", "model must not be empty");
  return req;
}

}  // namespace harness::detail::ollama
