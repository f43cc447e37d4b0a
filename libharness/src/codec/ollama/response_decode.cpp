// response_decode.cpp: a non-streaming Ollama /api/chat response -> canonical chat_response
// (translation.md B.4, B.7).
#include <limits>
#include <optional>

#include "json/parse_context.h"
#include "codec/ollama/internal.h"
#include "codec/ollama/ollama.h"

namespace harness::detail::ollama {
namespace {

bool decode_message(json_element value, const json_path& p, call_id_source& ids, message& m,
                    error& err) {
  if (value.is_null()) return true;
  json_object obj;
  if (!read_object(value, p, obj, err)) return false;
  message_parts parts;
  std::size_t position = 0;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    bool ok = true;
    if (key == "role") {
      std::string_view ignored;  // always "assistant"; the canonical role says so already
      ok = read_string_view(v, p / "role", ignored, err);
    } else if (key == "content") {
      ok = v.is_null() || read_string(v, p / "content", parts.content, err);
    } else if (key == "thinking") {
      ok = v.is_null() || read_string(v, p / "thinking", parts.thinking, err);
    } else if (key == "images") {
      ok = read_images(v, p / "images", parts.images, err);
    } else if (key == "tool_calls") {
      ok = read_tool_calls(v, p / "tool_calls", ids, position, parts.calls, err);
    } else {
      m.extra.items.emplace_back(std::string(key), raw_json(v));
    }
    if (!ok) return false;
  }
  append_parts(std::move(parts), m);
  return true;
}

finish_reason finish_of(std::string_view done_reason, const message& m) {
  const finish_reason reason = parse_finish_reason(done_reason);
  // Native Ollama never says tool_calls (ollama PR #5995): a stop with calls is a tool turn.
  if (reason == finish_reason::stop && !m.tool_calls().empty()) return finish_reason::tool_calls;
  return reason;
}

bool read_created(json_element v, const json_path& p, std::int64_t& out, error& err) {
  std::string_view text;
  if (!read_string_view(v, p, text, err)) return false;
  if (!parse_rfc3339(text, out)) {
    err = invalid(p, "expected an RFC 3339 timestamp");
    return false;
  }
  if (out < 0) out = 0;  // Go's zero time (year 1): unknown
  return true;
}

bool read_count(json_element v, const json_path& p, std::optional<std::int64_t>& out,
                error& err) {
  if (v.is_null()) return true;
  std::int64_t n = 0;
  if (!read_int(v, p, n, err)) return false;
  out = n;
  return true;
}

}  // namespace

result<chat_response> decode_response(std::string_view body) {
  parse_context pc;  // one-shot: fresh buffers
  return decode_response(body, pc);
}

result<chat_response> decode_response(std::string_view body, parse_context& pc) {
  auto doc = parse_json_object(pc.parser, body);
  if (!doc) return std::move(doc).error_value();
  const json_path root;
  json_object obj = *doc;
  error err;
  chat_response resp;
  resp.origin = dialect::ollama;
  call_id_source ids(body);
  bool done = true;
  std::string done_reason;
  bool has_done_reason = false;
  std::optional<std::int64_t> prompt_count;
  std::optional<std::int64_t> eval_count;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    bool ok = true;
    if (key == "model") {
      ok = v.is_null() || read_string(v, root / "model", resp.model, err);
    } else if (key == "created_at") {
      ok = read_created(v, root / "created_at", resp.created, err);
    } else if (key == "message") {
      ok = decode_message(v, root / "message", ids, resp.message, err);
    } else if (key == "done") {
      ok = read_bool(v, root / "done", done, err);
    } else if (key == "done_reason") {
      has_done_reason = !v.is_null();
      ok = v.is_null() || read_string(v, root / "done_reason", done_reason, err);
    } else if (key == "prompt_eval_count") {
      ok = read_count(v, root / "prompt_eval_count", prompt_count, err);
    } else if (key == "eval_count") {
      ok = read_count(v, root / "eval_count", eval_count, err);
    } else if (key == "error" && !v.is_null()) {
      return decode_error(200, body);  // an error answered with status 200 (B.1)
    } else {
      // total_duration, load_duration, prompt_eval_duration, eval_duration (ns), ...
      resp.extra.items.emplace_back(std::string(key), raw_json(v));
    }
    if (!ok) return err;
  }
  if (done || has_done_reason) resp.finish = finish_of(done_reason, resp.message);
  if (prompt_count || eval_count) {
    // Ollama reports no cache split: the whole prompt is input (translation.md B.7).
    resp.usage.present = true;
    resp.usage.input_tokens = prompt_count.value_or(0);
    resp.usage.output_tokens = eval_count.value_or(0);
  }
  // Ollama gives no response id (translation.md B.4): derive a stable one from the body.
  resp.id = ids.make(std::numeric_limits<std::size_t>::max(), "chatcmpl-");
  return resp;
}

}  // namespace harness::detail::ollama
