// items_decode.cpp: Responses input items (and a Response's output items) -> canonical messages.
//
// Items are flat: a turn of the assistant arrives as reasoning, message, function_call, ...
// items in a row. Consecutive assistant items are gathered into one assistant message; each
// function_call_output becomes a tool message.
#include <string>
#include <utility>

#include "codec/responses/internal.h"

namespace harness::detail::responses {
namespace {

struct item_state {
  std::vector<message>* out;
  /// call_id -> tool name, so results know the name of the tool they answer.
  std::unordered_map<std::string, std::string> call_names;

  /// The assistant message the next assistant item joins (opened when the last is not one).
  message& assistant() {
    if (out->empty() || out->back().role != role::assistant) {
      message m;
      m.role = role::assistant;
      m.parts_form = true;
      out->push_back(std::move(m));
    }
    return out->back();
  }
};

bool decode_image(json_object obj, const json_path& p, image_block& img, error& err) {
  json_element v;
  if (find_field(obj, "detail", v) && !read_string(v, p / "detail", img.detail, err)) return false;
  if (img.detail == "auto") img.detail.clear();  // the API's default, as if not sent
  if (!find_field(obj, "image_url", v)) {
    err = unsupported(p, "input_image needs image_url (file_id refers to an upload this proxy "
                         "cannot see)");
    return false;
  }
  std::string_view url;
  if (!read_string_view(v, p / "image_url", url, err)) return false;
  if (!parse_data_url(url, img.media_type, img.data)) img.url.assign(url);
  return true;
}

bool decode_file(json_object obj, const json_path& p, image_block& img, error& err) {
  json_element v;
  std::string_view data;
  if (find_field(obj, "file_url", v)) return read_string(v, p / "file_url", img.url, err);
  if (!find_field(obj, "file_data", v)) {
    err = unsupported(p, "input_file needs file_data or file_url (file_id refers to an upload "
                         "this proxy cannot see)");
    return false;
  }
  if (!read_string_view(v, p / "file_data", data, err)) return false;
  if (parse_data_url(data, img.media_type, img.data)) return true;
  img.media_type = "application/pdf";  // bare base64: the API's files are PDFs
  img.data.assign(data);
  return true;
}

// One content part of a message or of a tool output.
bool decode_part(json_element e, const json_path& p, std::vector<content_block>& out,
                 error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  std::string type;
  if (!required_string(obj, "type", p, type, err)) return false;
  if (type == "input_text" || type == "output_text" || type == "summary_text" ||
      type == "reasoning_text") {
    text_block t;
    if (!required_string(obj, "text", p, t.text, err)) return false;
    out.emplace_back(std::move(t));
  } else if (type == "refusal") {
    text_block t;
    if (!required_string(obj, "refusal", p, t.text, err)) return false;
    out.emplace_back(std::move(t));
  } else if (type == "input_image") {
    image_block img;
    if (!decode_image(obj, p, img, err)) return false;
    out.emplace_back(std::move(img));
  } else if (type == "input_file") {
    image_block img;
    if (!decode_file(obj, p, img, err)) return false;
    out.emplace_back(std::move(img));
  } else {
    err = unsupported(p / "type", "content part type '" + type + "' is not supported");
    return false;
  }
  return true;
}

bool decode_content(json_element v, const json_path& p, message& m, error& err) {
  if (v.is_string()) {
    m.content.emplace_back(text_block{std::string(v.get_string().value_unsafe()), {}});
    return true;
  }
  json_array parts;
  if (!read_array(v, p, parts, err)) {
    err = type_error(p, "a string or an array of content parts");
    return false;
  }
  m.parts_form = true;
  std::size_t i = 0;
  for (json_element part : parts) {
    if (!decode_part(part, p[i++], m.content, err)) return false;
  }
  return true;
}

bool decode_role(json_object obj, const json_path& p, role& out, error& err) {
  std::string name;
  if (!required_string(obj, "role", p, name, err)) return false;
  if (name == "user") {
    out = role::user;
  } else if (name == "assistant") {
    out = role::assistant;
  } else if (name == "system") {
    out = role::system;
  } else if (name == "developer") {
    out = role::developer;
  } else {
    err = invalid(p / "role", "role must be user, assistant, system or developer");
    return false;
  }
  return true;
}

bool decode_message_item(json_object obj, const json_path& p, item_state& st, error& err) {
  message m;
  json_element v;
  if (!decode_role(obj, p, m.role, err)) return false;
  if (!required_field(obj, "content", p, v, err) || !decode_content(v, p / "content", m, err)) {
    return false;
  }
  if (m.role == role::assistant) {
    message& a = st.assistant();
    for (auto& b : m.content) a.content.push_back(std::move(b));
    return true;
  }
  st.out->push_back(std::move(m));
  return true;
}

bool decode_call(json_object obj, const json_path& p, bool freeform, item_state& st,
                 error& err) {
  tool_call_block call;
  if (!required_string(obj, "call_id", p, call.id, err) ||
      !required_string(obj, "name", p, call.name, err)) {
    return false;
  }
  if (freeform) {
    std::string input;
    if (!required_string(obj, "input", p, input, err)) return false;
    call.arguments = freeform_arguments(input);
  } else if (!required_string(obj, "arguments", p, call.arguments, err)) {
    return false;
  }
  st.call_names[call.id] = call.name;
  st.assistant().content.emplace_back(std::move(call));
  return true;
}

bool decode_call_output(json_object obj, const json_path& p, item_state& st, error& err) {
  tool_result_block r;
  json_element v;
  if (!required_string(obj, "call_id", p, r.tool_call_id, err)) return false;
  if (!required_field(obj, "output", p, v, err)) return false;
  const json_path op = p / "output";
  if (v.is_string()) {
    r.content.emplace_back(text_block{std::string(v.get_string().value_unsafe()), {}});
  } else {
    json_array parts;
    if (!read_array(v, op, parts, err)) {
      err = type_error(op, "a string or an array of content parts");
      return false;
    }
    r.parts_form = true;
    std::vector<content_block> blocks;
    std::size_t i = 0;
    for (json_element part : parts) {
      if (!decode_part(part, op[i++], blocks, err)) return false;
    }
    for (auto& b : blocks) {
      if (auto* t = std::get_if<text_block>(&b)) r.content.emplace_back(std::move(*t));
      if (auto* img = std::get_if<image_block>(&b)) r.content.emplace_back(std::move(*img));
    }
  }
  if (auto it = st.call_names.find(r.tool_call_id); it != st.call_names.end()) {
    r.name = it->second;
  }
  message m;
  m.role = role::tool;
  m.content.emplace_back(std::move(r));
  st.out->push_back(std::move(m));
  return true;
}

// summary parts (and reasoning_text content) joined; encrypted_content as the signature, so
// an Anthropic thinking signature survives the round trip through the client.
bool decode_reasoning(json_object obj, const json_path& p, item_state& st, error& err) {
  reasoning_block r;
  json_element v;
  for (std::string_view key : {"summary", "content"}) {
    if (!find_field(obj, key, v)) continue;
    json_array parts;
    if (!read_array(v, p / key, parts, err)) return false;
    std::vector<content_block> blocks;
    const json_path kp = p / key;
    std::size_t i = 0;
    for (json_element part : parts) {
      if (!decode_part(part, kp[i++], blocks, err)) return false;
    }
    for (const auto& b : blocks) {
      if (const auto* t = std::get_if<text_block>(&b)) {
        if (!r.text.empty()) r.text += "\n\n";
        r.text += t->text;
      }
    }
    if (!r.text.empty()) break;  // content repeats the summary's thoughts in full: one is enough
  }
  if (find_field(obj, "encrypted_content", v) &&
      !read_string(v, p / "encrypted_content", r.signature, err)) {
    return false;
  }
  if (r.text.empty() && r.signature.empty()) return true;
  st.assistant().content.emplace_back(std::move(r));
  return true;
}

bool decode_item(json_element e, const json_path& p, item_state& st, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  std::string type = "message";  // EasyInputMessage: {role, content} without a type
  if (find_field(obj, "type", v) && !read_string(v, p / "type", type, err)) return false;
  if (type == "message") return decode_message_item(obj, p, st, err);
  if (type == "function_call") return decode_call(obj, p, false, st, err);
  if (type == "custom_tool_call") return decode_call(obj, p, true, st, err);
  if (type == "function_call_output" || type == "custom_tool_call_output") {
    return decode_call_output(obj, p, st, err);
  }
  if (type == "reasoning") return decode_reasoning(obj, p, st, err);
  if (type == "item_reference") {
    err = unsupported(p, "item_reference needs stored responses, and this proxy is stateless: "
                         "send the item itself");
    return false;
  }
  err = unsupported(p / "type", "input item type '" + type + "' is not supported");
  return false;
}

}  // namespace

bool decode_input(json_element v, const json_path& p, std::vector<message>& out, error& err) {
  if (v.is_string()) {
    message m;
    m.content.emplace_back(text_block{std::string(v.get_string().value_unsafe()), {}});
    out.push_back(std::move(m));
    return true;
  }
  json_array items;
  if (!read_array(v, p, items, err)) {
    err = type_error(p, "a string or an array of input items");
    return false;
  }
  item_state st{&out, {}};
  std::size_t i = 0;
  for (json_element item : items) {
    if (!decode_item(item, p[i++], st, err)) return false;
  }
  return true;
}

bool decode_output_items(json_array items, const json_path& p, message& out, error& err) {
  std::vector<message> messages;
  item_state st{&messages, {}};
  std::size_t i = 0;
  for (json_element item : items) {
    const json_path ip = p[i++];
    json_object obj;
    json_element v;
    std::string_view type;
    if (!read_object(item, ip, obj, err)) return false;
    if (!find_field(obj, "type", v) || v.get_string().get(type) != simdjson::SUCCESS) continue;
    // Hosted tool calls (web_search_call, ...) have no canonical form: skipped.
    if (type != "message" && type != "function_call" && type != "custom_tool_call" &&
        type != "reasoning") {
      continue;
    }
    if (!decode_item(item, ip, st, err)) return false;
  }
  out.role = role::assistant;
  out.parts_form = false;
  for (auto& m : messages) {
    for (auto& b : m.content) out.content.push_back(std::move(b));
  }
  return true;
}

}  // namespace harness::detail::responses
