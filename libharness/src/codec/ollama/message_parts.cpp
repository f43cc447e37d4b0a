// message_parts.cpp: the fields Ollama request and response messages share (content, thinking,
// images, tool_calls), read into canonical blocks and written back (translation.md B.2, B.4).
#include "codec/ollama/internal.h"

#include "ir/arguments.h"

namespace harness::detail::ollama {

bool read_images(json_element value, const json_path& path, std::vector<image_block>& out,
                 error& err) {
  if (value.is_null()) return true;  // Ollama itself answers "images": null
  json_array arr;
  if (!read_array(value, path, arr, err)) return false;
  std::size_t i = 0;
  for (json_element item : arr) {
    std::string_view data;
    if (!read_string_view(item, path[i], data, err)) return false;
    image_block img;
    if (data.starts_with("data:")) {
      // Lenient: a data URL where raw base64 belongs (OpenAI habit); keep only the bytes.
      const auto marker = data.find(";base64,");
      if (marker != std::string_view::npos) {
        img.media_type.assign(data.substr(5, marker - 5));
        data.remove_prefix(marker + 8);
      }
    }
    if (img.media_type.empty()) img.media_type.assign(sniff_media_type(data));
    img.data.assign(data);
    out.push_back(std::move(img));
    ++i;
  }
  return true;
}

namespace {

// `function` of one tool call: name (required), arguments (an object; missing or null: none),
// index (checked, then implied by position on encode).
bool read_call_function(json_element value, const json_path& path, tool_call_block& call,
                        error& err) {
  json_object fn;
  if (!read_object(value, path, fn, err)) return false;
  bool has_name = false;
  call.arguments = "{}";
  for (auto field : fn) {
    if (field.key == "name") {
      if (!read_string(field.value, path / "name", call.name, err)) return false;
      has_name = true;
    } else if (field.key == "arguments") {
      if (field.value.is_null()) continue;
      json_object args;
      if (!read_object(field.value, path / "arguments", args, err)) return false;
      call.arguments = raw_json(field.value);  // compact, key order kept
    } else if (field.key == "index") {
      std::int64_t index = 0;
      if (!read_int(field.value, path / "index", index, err)) return false;
    }
  }
  if (!has_name) {
    err = missing_field(path / "name");
    return false;
  }
  return true;
}

}  // namespace

bool read_tool_calls(json_element value, const json_path& path, call_id_source& ids,
                     std::size_t& position, std::vector<tool_call_block>& out, error& err) {
  if (value.is_null()) return true;
  json_array arr;
  if (!read_array(value, path, arr, err)) return false;
  std::size_t i = 0;
  for (json_element item : arr) {
    const json_path item_path = path[i];
    json_object obj;
    if (!read_object(item, item_path, obj, err)) return false;
    tool_call_block call;
    bool has_function = false;
    for (auto field : obj) {
      if (field.key == "id") {
        if (!field.value.is_null() && !read_string(field.value, item_path / "id", call.id, err)) {
          return false;
        }
      } else if (field.key == "function") {
        if (!read_call_function(field.value, item_path / "function", call, err)) return false;
        has_function = true;
      }
      // Other keys ("type") have no canonical place; Ollama ignores them too.
    }
    if (!has_function) {
      err = missing_field(item_path / "function");
      return false;
    }
    if (call.id.empty()) call.id = ids.make(position);  // translation.md B.3
    ++position;
    out.push_back(std::move(call));
    ++i;
  }
  return true;
}

void append_parts(message_parts&& parts, message& m) {
  const bool others = !parts.thinking.empty() || !parts.images.empty() || !parts.calls.empty();
  m.content.reserve(m.content.size() + 2 + parts.images.size() + parts.calls.size());
  if (!parts.thinking.empty()) {
    reasoning_block r;
    r.text = std::move(parts.thinking);
    m.content.emplace_back(std::move(r));
  }
  if (!parts.content.empty() || !others) {
    m.content.emplace_back(text_block{std::move(parts.content), {}});
  }
  for (auto& img : parts.images) m.content.emplace_back(std::move(img));
  for (auto& call : parts.calls) m.content.emplace_back(std::move(call));
}

std::vector<std::string_view> written_keys(const message& m) {
  std::vector<std::string_view> keys = {"role", "content"};
  bool images = false;
  bool calls = false;
  for (const auto& block : m.content) {
    images = images || std::holds_alternative<image_block>(block);
    calls = calls || std::holds_alternative<tool_call_block>(block);
  }
  if (images) keys.emplace_back("images");
  if (calls) keys.emplace_back("tool_calls");
  if (!joined_reasoning(m).empty()) keys.emplace_back("thinking");
  return keys;
}

result<void> write_message_parts(json_writer& w, const message& m, simdjson::dom::parser& parser,
                                 const json_path& at) {
  // Ollama content is always a string; the official Go client sends "" for tool-call turns,
  // which native Ollama treats like a missing content (translation.md B.2).
  // A client's separate system / user blocks stay apart (as in the OpenAI encoder); an
  // assistant's pieces of one reply join as they are.
  w.member("content", m.joined_text(m.role == role::assistant ? "" : "\n"));
  const std::string thinking = joined_reasoning(m);
  if (!thinking.empty()) w.member("thinking", thinking);
  const json_path content_path = at / "content";
  bool any = false;
  for (std::size_t j = 0; j < m.content.size(); ++j) {
    const auto* img = std::get_if<image_block>(&m.content[j]);
    if (img == nullptr) continue;
    auto data = image_data(*img, content_path[j]);
    if (!data) return std::move(data).error_value();
    if (!any) w.key("images").start_array();
    any = true;
    w.string(*data);
  }
  if (any) w.end_array();
  std::int64_t index = 0;
  for (std::size_t j = 0; j < m.content.size(); ++j) {
    const auto* call = std::get_if<tool_call_block>(&m.content[j]);
    if (call == nullptr) continue;
    if (index == 0) w.key("tool_calls").start_array();
    w.start_object();
    if (!call->id.empty()) w.member("id", call->id);
    w.key("function").start_object();
    w.member_int("index", index).member("name", call->name).key("arguments");
    auto args = write_arguments_object(w, parser, call->arguments, content_path[j] / "arguments");
    if (!args) return args;
    w.end_object().end_object();
    ++index;
  }
  if (index > 0) w.end_array();
  return {};
}

}  // namespace harness::detail::ollama
