// message_decode.cpp: one Chat Completions message (request history or response) -> canonical.
#include <string>
#include <utility>

#include "codec/openai/internal.h"
#include "ir/ids.h"

namespace harness::detail::openai {
namespace {

bool parse_role(std::string_view name, role& out, bool& legacy_function) noexcept {
  legacy_function = false;
  if (name == "system") {
    out = role::system;
  } else if (name == "developer") {
    out = role::developer;
  } else if (name == "user") {
    out = role::user;
  } else if (name == "assistant") {
    out = role::assistant;
  } else if (name == "tool") {
    out = role::tool;
  } else if (name == "function") {
    out = role::tool;  // legacy function result: a tool result without an id
    legacy_function = true;
  } else {
    return false;
  }
  return true;
}

// `arguments` is kept exactly as sent (translation.md A.0); an object (non-standard clients) is
// kept as compact JSON text.
bool read_arguments(json_object fn, const json_path& fp, std::string& out, error& err) {
  json_element v;
  if (!required_field(fn, "arguments", fp, v, err)) return false;
  if (v.is_object()) {
    out = raw_json(v);
    return true;
  }
  return read_string(v, fp / "arguments", out, err);
}

bool decode_tool_call(json_element e, const json_path& p, decode_state& st, tool_call_block& out,
                      error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  std::string_view id;  // in the document, or in st.owned
  if (find_field(obj, "id", v)) {
    if (!read_string_view(v, p / "id", id, err)) return false;
    out.id.assign(id);
  } else if (st.response) {  // sloppy backends omit ids; derive a stable one from the body
    out.id = synthesize_call_id(st.body, st.next_call);
    id = st.owned.emplace_back(out.id);
  } else {
    err = missing_field(p / "id");
    return false;
  }
  ++st.next_call;
  if (find_field(obj, "type", v)) {
    std::string_view type;
    if (!read_string_view(v, p / "type", type, err)) return false;
    if (type != "function") {
      err = invalid(p / "type", "unsupported tool call type \"" + std::string(type) +
                                    "\" (only function calls can be translated)");
      return false;
    }
  }
  if (!required_field(obj, "function", p, v, err)) return false;
  const json_path fp = p / "function";
  json_object fn;
  if (!read_object(v, fp, fn, err)) return false;
  std::string_view name;
  if (!required_field(fn, "name", fp, v, err) || !read_string_view(v, fp / "name", name, err)) {
    return false;
  }
  out.name.assign(name);
  st.call_names[id] = name;
  return read_arguments(fn, fp, out.arguments, err);
}

// Legacy assistant `function_call` {name, arguments}: one call with a synthesized id.
bool decode_function_call(json_element e, const json_path& p, decode_state& st,
                          tool_call_block& out, error& err) {
  json_object fn;
  if (!read_object(e, p, fn, err)) return false;
  json_element v;
  if (!required_field(fn, "name", p, v, err) || !read_string(v, p / "name", out.name, err)) {
    return false;
  }
  if (!read_arguments(fn, p, out.arguments, err)) return false;
  out.id = synthesize_call_id(st.body, st.next_call++);
  st.legacy_calls[out.name] = out.id;
  st.call_names[st.owned.emplace_back(out.id)] = st.owned.emplace_back(out.name);
  return true;
}

std::string* cache_slot(content_block& block) noexcept {
  if (auto* t = std::get_if<text_block>(&block)) return &t->cache_control;
  if (auto* i = std::get_if<image_block>(&block)) return &i->cache_control;
  if (auto* c = std::get_if<tool_call_block>(&block)) return &c->cache_control;
  if (auto* r = std::get_if<tool_result_block>(&block)) return &r->cache_control;
  return nullptr;  // reasoning blocks carry none
}

// Fields of one message, found in a first pass (block order must not depend on key order).
struct message_fields {
  json_element content, name, tool_calls, function_call, tool_call_id, reasoning_content,
      reasoning, cache_control;
  bool has_content = false, has_name = false, has_tool_calls = false, has_function_call = false,
       has_tool_call_id = false, has_reasoning_content = false, has_reasoning = false,
       has_cache = false;
};

void collect_fields(json_object obj, role r, message_fields& f, json_fields& extra) {
  const bool assistant = r == role::assistant;
  const bool tool = r == role::tool;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const json_element v = field.value;
    const bool null = v.is_null();
    if (key == "role") continue;
    if (key == "content") {  // null is meaningful here (content_null)
      f.content = v;
      f.has_content = true;
    } else if (key == "name") {
      f.name = v;
      f.has_name = !null;
    } else if (key == "cache_control") {
      f.cache_control = v;
      f.has_cache = !null;
    } else if (assistant && key == "tool_calls") {
      f.tool_calls = v;
      f.has_tool_calls = !null;
    } else if (assistant && key == "function_call") {
      f.function_call = v;
      f.has_function_call = !null;
    } else if (assistant && key == "reasoning_content") {
      f.reasoning_content = v;
      f.has_reasoning_content = !null;
    } else if (assistant && key == "reasoning" && (null || v.is_string())) {
      f.reasoning = v;  // objects (vendor shapes) stay in extra
      f.has_reasoning = !null;
    } else if (tool && key == "tool_call_id") {
      f.tool_call_id = v;
      f.has_tool_call_id = true;  // null: a type error for role tool, "absent" for function
    } else {
      extra.items.emplace_back(std::string(key), raw_json(v));
    }
  }
}

bool decode_tool_result(const message_fields& f, const json_path& path, bool legacy_function,
                        decode_state& st, message& out, error& err) {
  tool_result_block tr;
  std::string name;
  if (f.has_name && !read_string(f.name, path / "name", name, err)) return false;
  if (f.has_tool_call_id && !(legacy_function && f.tool_call_id.is_null())) {
    if (!read_string(f.tool_call_id, path / "tool_call_id", tr.tool_call_id, err)) return false;
  } else if (!legacy_function) {
    err = missing_field(path / "tool_call_id");
    return false;
  }
  if (legacy_function) {
    if (!f.has_name) {
      err = missing_field(path / "name");
      return false;
    }
    if (tr.tool_call_id.empty()) {  // pair with the legacy function_call of that name
      auto it = st.legacy_calls.find(name);
      tr.tool_call_id = it != st.legacy_calls.end() ? it->second
                                                    : synthesize_call_id(st.body, st.next_call++);
    }
  } else {
    out.name = name;
  }
  if (!name.empty()) {
    tr.name = std::move(name);
  } else if (auto it = st.call_names.find(tr.tool_call_id); it != st.call_names.end()) {
    tr.name = it->second;  // Ollama needs tool_name (translation.md B.2)
  }
  const json_path cp = path / "content";
  if (!f.has_content) {
    if (!legacy_function) {
      err = missing_field(cp);
      return false;
    }
  } else if (f.content.is_string()) {
    std::string_view text;
    if (!read_string_view(f.content, cp, text, err)) return false;
    if (!text.empty()) tr.content.emplace_back(text_block{std::string(text), {}});
  } else if (f.content.is_array()) {
    std::vector<content_block> parts;
    if (!decode_parts(f.content, cp, parts, err)) return false;
    tr.parts_form = true;
    tr.content.reserve(parts.size());
    for (auto& part : parts) {
      if (auto* t = std::get_if<text_block>(&part)) tr.content.emplace_back(std::move(*t));
      if (auto* i = std::get_if<image_block>(&part)) tr.content.emplace_back(std::move(*i));
    }
  } else if (!(legacy_function && f.content.is_null())) {
    err = type_error(cp, "a string or an array of content parts");
    return false;
  }
  if (f.has_cache && !read_cache_control(f.cache_control, path / "cache_control",
                                         tr.cache_control, err)) {
    return false;
  }
  out.content.emplace_back(std::move(tr));
  return true;
}

bool decode_content(const message_fields& f, const json_path& path, message& out, error& err) {
  const bool assistant = out.role == role::assistant;
  const json_path cp = path / "content";
  if (!f.has_content) {
    if (assistant) return true;  // allowed with tool_calls; treated as no text otherwise
    err = missing_field(cp);
    return false;
  }
  if (f.content.is_null()) {
    if (assistant) {
      out.content_null = true;
      return true;
    }
    err = type_error(cp, "a string or an array of content parts");
    return false;
  }
  if (f.content.is_string()) {
    std::string_view text;
    if (!read_string_view(f.content, cp, text, err)) return false;
    // "" adds no block: the encoder writes "" back for string content, and other dialects
    // refuse empty text blocks (translation.md A.8.5).
    if (!text.empty()) out.content.emplace_back(text_block{std::string(text), {}});
    return true;
  }
  if (f.content.is_array()) {
    out.parts_form = true;
    return decode_parts(f.content, cp, out.content, err);
  }
  err = type_error(cp, assistant ? "a string, an array of content parts or null"
                                 : "a string or an array of content parts");
  return false;
}

bool decode_reasoning(const message_fields& f, const json_path& path, message& out,
                      error& err) {
  reasoning_block r;
  if (f.has_reasoning_content) {
    if (!read_string(f.reasoning_content, path / "reasoning_content", r.text, err)) return false;
    // Both keys: the block comes from reasoning_content, `reasoning` is kept as sent.
    if (f.has_reasoning) out.extra.items.emplace_back("reasoning", raw_json(f.reasoning));
  } else if (f.has_reasoning) {
    if (!read_string(f.reasoning, path / "reasoning", r.text, err)) return false;
  } else {
    return true;
  }
  out.content.emplace_back(std::move(r));
  return true;
}

bool decode_calls(const message_fields& f, const json_path& path, decode_state& st,
                  message& out, error& err) {
  if (f.has_tool_calls) {
    const json_path tp = path / "tool_calls";
    json_array calls;
    if (!read_array(f.tool_calls, tp, calls, err)) return false;
    std::size_t i = 0;
    for (json_element c : calls) {
      tool_call_block call;
      if (!decode_tool_call(c, tp[i++], st, call, err)) return false;
      out.content.emplace_back(std::move(call));
    }
  }
  if (f.has_function_call) {
    tool_call_block call;
    if (!decode_function_call(f.function_call, path / "function_call", st, call, err)) {
      return false;
    }
    out.content.emplace_back(std::move(call));
  }
  return true;
}

}  // namespace

bool find_field(json_object obj, std::string_view key, json_element& out) noexcept {
  return obj.at_key(key).get(out) == simdjson::SUCCESS && !out.is_null();
}

bool required_field(json_object obj, std::string_view key, const json_path& parent,
                    json_element& out, error& err) {
  if (find_field(obj, key, out)) return true;
  err = missing_field(parent / key);
  return false;
}

bool decode_message(json_element e, const json_path& path, decode_state& st, message& out,
                    error& err) {
  json_object obj;
  if (!read_object(e, path, obj, err)) return false;
  bool legacy_function = false;
  if (st.response) {
    out.role = role::assistant;  // a response message is the assistant's whatever it says
  } else {
    json_element v;
    std::string_view name;
    if (!required_field(obj, "role", path, v, err) ||
        !read_string_view(v, path / "role", name, err)) {
      return false;
    }
    if (!parse_role(name, out.role, legacy_function)) {
      err = invalid(path / "role", "unknown role \"" + std::string(name) + "\"");
      return false;
    }
  }
  message_fields f;
  collect_fields(obj, out.role, f, out.extra);

  if (out.role == role::tool) return decode_tool_result(f, path, legacy_function, st, out, err);

  if (f.has_name && !read_string(f.name, path / "name", out.name, err)) return false;
  // Block order: reasoning -> text -> tool calls (codec-common).
  if (out.role == role::assistant && !decode_reasoning(f, path, out, err)) return false;
  if (!decode_content(f, path, out, err)) return false;
  if (out.role == role::assistant && !decode_calls(f, path, st, out, err)) return false;

  if (f.has_cache) {
    std::string cache;
    if (!read_cache_control(f.cache_control, path / "cache_control", cache, err)) return false;
    // A message-level marker caches through the end of the message: it belongs on the last
    // block. When that block has its own marker (or there is none) it stays in extra.
    std::string* slot = out.content.empty() ? nullptr : cache_slot(out.content.back());
    if (slot != nullptr && slot->empty()) {
      *slot = std::move(cache);
    } else {
      out.extra.items.emplace_back("cache_control", std::move(cache));
    }
  }
  return true;
}

}  // namespace harness::detail::openai
