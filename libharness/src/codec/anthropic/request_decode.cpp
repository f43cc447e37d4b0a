// request_decode.cpp: Anthropic Messages request body -> canonical chat_request
// (translation.md A.2 and E: what Claude Code 2.x and the Anthropic SDKs send).
#include <unordered_map>

#include "json/parse_context.h"
#include "codec/anthropic/anthropic.h"
#include "codec/anthropic/internal.h"

namespace harness::detail::anthropic {
namespace {

// tool_use id -> tool name, so tool results can carry the name (Ollama needs `tool_name`).
// Views point into the parsed document, which outlives the decode.
using call_names = std::unordered_map<std::string_view, std::string_view>;

bool require(json_object obj, std::string_view key, const json_path& p, json_element& out,
             error& err) {
  if (find_field(obj, key, out)) return true;
  err = missing_field(p);
  return false;
}

bool block_type(json_element e, const json_path& p, json_object& obj, std::string_view& type,
                error& err) {
  if (!read_object(e, p, obj, err)) return false;
  json_element t;
  return require(obj, "type", p / "type", t, err) && read_string_view(t, p / "type", type, err);
}

// A tool_result's content: a string, or a list of text / image / document parts.
bool decode_result_content(json_element e, const json_path& p, tool_result_block& out, error& err) {
  if (e.is_string()) {
    text_block t;
    if (!read_string(e, p, t.text, err)) return false;
    out.content.emplace_back(std::move(t));
    return true;
  }
  json_array parts;
  if (!read_array(e, p, parts, err)) return false;
  out.parts_form = true;
  out.content.reserve(parts.size());
  std::size_t j = 0;
  for (json_element part : parts) {
    const json_path pp = p[j++];
    json_object obj;
    std::string_view type;
    if (!block_type(part, pp, obj, type, err)) return false;
    if (type == "text") {
      text_block t;
      if (!decode_text(obj, pp, t, err)) return false;
      out.content.emplace_back(std::move(t));
    } else if (type == "image" || type == "document") {
      image_block img;
      if (!decode_media(obj, pp, type == "document", img, err)) return false;
      out.content.emplace_back(std::move(img));
    } else if (type == "search_result") {
      err = make_error(errc::unsupported, "search_result blocks are not supported",
                       (pp / "type").str());
      return false;
    } else {
      err = invalid(pp / "type", "unknown tool_result content type");
      return false;
    }
  }
  return true;
}

bool decode_tool_result(json_object obj, const json_path& p, const call_names& names,
                        tool_result_block& out, error& err) {
  json_element e;
  if (!require(obj, "tool_use_id", p / "tool_use_id", e, err) ||
      !read_string(e, p / "tool_use_id", out.tool_call_id, err)) {
    return false;
  }
  if (auto it = names.find(out.tool_call_id); it != names.end()) out.name.assign(it->second);
  if (find_field(obj, "content", e) && !decode_result_content(e, p / "content", out, err)) {
    return false;
  }
  if (find_field(obj, "is_error", e) && !read_bool(e, p / "is_error", out.is_error, err)) {
    return false;
  }
  return read_cache_control(obj, p, out.cache_control, err);
}

error wrong_role(const json_path& p, std::string_view type, std::string_view role_name) {
  return invalid(p / "type", "\"" + std::string(type) + "\" blocks are not allowed in " +
                                 std::string(role_name) + " messages");
}

// One wire message -> canonical messages (a user turn with tool results becomes one tool
// message per result, then a user message with the rest: codec-common conventions).
bool decode_message(json_element e, const json_path& p, call_names& names,
                    std::vector<message>& out, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element role_e;
  json_element content_e;
  bool has_role = false;
  bool has_content = false;
  message msg;
  for (auto field : obj) {
    if (field.key == "role") {
      role_e = field.value;
      has_role = true;
    } else if (field.key == "content") {
      content_e = field.value;
      has_content = true;
    } else {
      msg.extra.set(std::string(field.key), raw_json(field.value));
    }
  }
  if (!has_role) {
    err = missing_field(p / "role");
    return false;
  }
  std::string_view role_name;
  if (!read_string_view(role_e, p / "role", role_name, err)) return false;
  if (role_name == "user") {
    msg.role = role::user;
  } else if (role_name == "assistant") {
    msg.role = role::assistant;
  } else if (role_name == "system") {
    msg.role = role::system;  // mid-conversation system entry (an official API feature)
  } else {
    err = invalid(p / "role", "unknown role");
    return false;
  }
  const json_path cp = p / "content";
  if (!has_content) {
    err = missing_field(cp);
    return false;
  }
  if (content_e.is_string()) {
    text_block t;
    if (!read_string(content_e, cp, t.text, err)) return false;
    msg.content.emplace_back(std::move(t));
    out.push_back(std::move(msg));
    return true;
  }
  json_array blocks;
  if (!read_array(content_e, cp, blocks, err)) {
    err = type_error(cp, "a string or an array of content blocks");
    return false;
  }
  msg.parts_form = true;
  msg.content.reserve(blocks.size());
  const std::size_t first_out = out.size();
  std::size_t j = 0;
  for (json_element block : blocks) {
    const json_path bp = cp[j++];
    json_object bo;
    std::string_view type;
    if (!block_type(block, bp, bo, type, err)) return false;
    const bool assistant = msg.role == role::assistant;
    const bool user = msg.role == role::user;
    if (type == "text") {
      text_block t;
      if (!decode_text(bo, bp, t, err)) return false;
      msg.content.emplace_back(std::move(t));
    } else if (msg.role == role::system) {
      err = invalid(bp / "type", "system messages hold only text blocks");
      return false;
    } else if (type == "image" || type == "document") {
      image_block img;
      if (!decode_media(bo, bp, type == "document", img, err)) return false;
      msg.content.emplace_back(std::move(img));
    } else if (type == "tool_use") {
      if (!assistant) {
        err = wrong_role(bp, type, role_name);
        return false;
      }
      tool_call_block call;
      if (!decode_tool_use(bo, bp, call, err)) return false;
      std::string_view id_view;
      std::string_view name_view;
      if (bo.at_key("id").get_string().get(id_view) == simdjson::SUCCESS &&
          bo.at_key("name").get_string().get(name_view) == simdjson::SUCCESS) {
        names[id_view] = name_view;  // views into the document: stable, unlike `call`
      }
      msg.content.emplace_back(std::move(call));
    } else if (type == "thinking" || type == "redacted_thinking") {
      if (!assistant) {
        err = wrong_role(bp, type, role_name);
        return false;
      }
      reasoning_block r;
      if (!(type == "thinking" ? decode_thinking(bo, bp, r, err)
                               : decode_redacted(bo, bp, r, err))) {
        return false;
      }
      msg.content.emplace_back(std::move(r));
    } else if (type == "tool_result") {
      if (!user) {
        err = wrong_role(bp, type, role_name);
        return false;
      }
      tool_result_block result;
      if (!decode_tool_result(bo, bp, names, result, err)) return false;
      message tool_msg;
      tool_msg.role = role::tool;
      tool_msg.content.emplace_back(std::move(result));
      out.push_back(std::move(tool_msg));
    } else if (is_server_block(type)) {
      continue;  // server-tool history: nothing canonical to keep (internal.h)
    } else if (type == "search_result") {
      err = make_error(errc::unsupported, "search_result blocks are not supported",
                       (bp / "type").str());
      return false;
    } else {
      err = invalid(bp / "type", "unknown content block type");
      return false;
    }
  }
  const bool had_results = out.size() > first_out;
  if (!had_results || !msg.content.empty()) {
    out.push_back(std::move(msg));
  } else if (!msg.extra.empty()) {
    out.back().extra = std::move(msg.extra);  // keep message-level fields on the last result
  }
  return true;
}

// `system`: a string -> one message; a block array -> one message with a text block each.
bool decode_system(json_element e, const json_path& p, std::vector<message>& out, error& err) {
  message msg;
  msg.role = role::system;
  if (e.is_string()) {
    text_block t;
    if (!read_string(e, p, t.text, err)) return false;
    msg.content.emplace_back(std::move(t));
    out.push_back(std::move(msg));
    return true;
  }
  json_array blocks;
  if (!read_array(e, p, blocks, err)) {
    err = type_error(p, "a string or an array of text blocks");
    return false;
  }
  msg.parts_form = true;
  std::size_t j = 0;
  for (json_element block : blocks) {
    const json_path bp = p[j++];
    json_object bo;
    std::string_view type;
    if (!block_type(block, bp, bo, type, err)) return false;
    if (type != "text") {
      err = invalid(bp / "type", "system blocks must be text");
      return false;
    }
    text_block t;
    if (!decode_text(bo, bp, t, err)) return false;
    msg.content.emplace_back(std::move(t));
  }
  out.push_back(std::move(msg));
  return true;
}

}  // namespace

// Top-level parameters live in request_params.cpp.
bool decode_param(std::string_view key, json_element value, const json_path& root,
                  chat_request& req, error& err);

result<chat_request> decode_request(std::string_view body) {
  parse_context pc;  // one-shot: fresh buffers
  return decode_request(body, pc);
}

result<chat_request> decode_request(std::string_view body, parse_context& pc) {
  auto doc = parse_json_object(pc.parser, body);
  if (!doc) return std::move(doc).error_value();
  const json_path root;
  error err;
  json_object top = *doc;

  chat_request req;
  req.origin = dialect::anthropic;
  std::vector<message> system;
  json_element messages_e;
  bool has_model = false;
  bool has_messages = false;
  bool has_max_tokens = false;
  for (auto field : top) {
    const std::string_view key = field.key;
    const json_path p = root / key;
    if (key == "model") {
      if (!read_string(field.value, p, req.model, err)) return err;
      has_model = true;
    } else if (key == "messages") {
      messages_e = field.value;
      has_messages = true;
    } else if (key == "system") {
      if (!field.value.is_null() && !decode_system(field.value, p, system, err)) return err;
    } else {
      if (key == "max_tokens") has_max_tokens = !field.value.is_null();
      if (!decode_param(key, field.value, root, req, err)) return err;
    }
  }
  if (!has_model) return missing_field(root / "model");
  if (!has_messages) return missing_field(root / "messages");
  if (!has_max_tokens) return missing_field(root / "max_tokens");  // the API requires it

  const json_path mp = root / "messages";
  json_array messages;
  if (!read_array(messages_e, mp, messages, err)) return err;
  req.messages.reserve(system.size() + messages.size() + 4);
  for (auto& m : system) req.messages.push_back(std::move(m));
  call_names names;
  std::size_t i = 0;
  for (json_element m : messages) {
    if (!decode_message(m, mp[i++], names, req.messages, err)) return err;
  }
  return req;
}

}  // namespace harness::detail::anthropic
