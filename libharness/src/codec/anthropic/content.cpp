// content.cpp: content blocks shared by the request and response codecs (text, thinking,
// tool_use, image/document), plus small helpers of internal.h.
#include "codec/anthropic/internal.h"

namespace harness::detail::anthropic {

bool is_server_block(std::string_view type) noexcept {
  // server_tool_use, mcp_tool_use, web_search_tool_result, web_fetch_tool_result,
  // code_execution_tool_result, bash_/text_editor_code_execution_tool_result,
  // tool_search_tool_result, mcp_tool_result, container_upload.
  constexpr std::string_view result_suffix = "_tool_result";
  if (type == "server_tool_use" || type == "mcp_tool_use" || type == "mcp_tool_result" ||
      type == "container_upload") {
    return true;
  }
  return type.size() > result_suffix.size() &&
         type.substr(type.size() - result_suffix.size()) == result_suffix;
}

bool is_document_media(std::string_view media_type) noexcept {
  return media_type == "application/pdf";
}

bool find_field(json_object obj, std::string_view key, json_element& out) noexcept {
  if (obj.at_key(key).get(out) != simdjson::SUCCESS) return false;
  return !out.is_null();
}

bool read_cache_control(json_object obj, const json_path& block_path, std::string& out,
                        error& err) {
  json_element e;
  if (!find_field(obj, "cache_control", e)) return true;
  json_object cc;
  if (!read_object(e, block_path / "cache_control", cc, err)) return false;
  out = raw_json(e);
  return true;
}

bool decode_text(json_object obj, const json_path& p, text_block& out, error& err) {
  json_element e;
  if (!find_field(obj, "text", e)) {
    err = missing_field(p / "text");
    return false;
  }
  // `citations` has no canonical home and is dropped (the text itself is kept).
  return read_string(e, p / "text", out.text, err) &&
         read_cache_control(obj, p, out.cache_control, err);
}

bool decode_thinking(json_object obj, const json_path& p, reasoning_block& out, error& err) {
  json_element e;
  if (!find_field(obj, "thinking", e)) {
    err = missing_field(p / "thinking");
    return false;
  }
  if (!read_string(e, p / "thinking", out.text, err)) return false;
  if (find_field(obj, "signature", e) && !read_string(e, p / "signature", out.signature, err)) {
    return false;
  }
  return true;
}

bool decode_redacted(json_object obj, const json_path& p, reasoning_block& out, error& err) {
  json_element e;
  if (!find_field(obj, "data", e)) {
    err = missing_field(p / "data");
    return false;
  }
  out.redacted = true;
  return read_string(e, p / "data", out.redacted_data, err);
}

bool decode_tool_use(json_object obj, const json_path& p, tool_call_block& out, error& err) {
  json_element e;
  if (!find_field(obj, "id", e)) {
    err = missing_field(p / "id");
    return false;
  }
  if (!read_string(e, p / "id", out.id, err)) return false;
  if (!find_field(obj, "name", e)) {
    err = missing_field(p / "name");
    return false;
  }
  if (!read_string(e, p / "name", out.name, err)) return false;
  if (!find_field(obj, "input", e)) {
    err = missing_field(p / "input");
    return false;
  }
  json_object input;
  if (!read_object(e, p / "input", input, err)) return false;
  out.arguments = raw_json(e);  // compact JSON text (canonical convention)
  return read_cache_control(obj, p, out.cache_control, err);
}

bool decode_media(json_object obj, const json_path& p, bool document, image_block& out,
                  error& err) {
  const json_path sp = p / "source";
  json_element e;
  if (!find_field(obj, "source", e)) {
    err = missing_field(sp);
    return false;
  }
  json_object source;
  if (!read_object(e, sp, source, err)) return false;
  std::string_view kind;
  if (!find_field(source, "type", e)) {
    err = missing_field(sp / "type");
    return false;
  }
  if (!read_string_view(e, sp / "type", kind, err)) return false;
  if (kind == "base64") {
    if (!find_field(source, "media_type", e)) {
      err = missing_field(sp / "media_type");
      return false;
    }
    if (!read_string(e, sp / "media_type", out.media_type, err)) return false;
    if (!find_field(source, "data", e)) {
      err = missing_field(sp / "data");
      return false;
    }
    if (!read_string(e, sp / "data", out.data, err)) return false;
  } else if (kind == "url") {
    if (!find_field(source, "url", e)) {
      err = missing_field(sp / "url");
      return false;
    }
    if (!read_string(e, sp / "url", out.url, err)) return false;
    if (document) out.media_type = "application/pdf";  // url documents are PDFs
  } else if (kind == "file" || kind == "text" || kind == "content") {
    // Files-API ids and plain-text/content documents have no canonical form.
    err = make_error(errc::unsupported,
                     "source type \"" + std::string(kind) + "\" is not supported", sp.str());
    return false;
  } else {
    err = invalid(sp / "type", "unknown source type");
    return false;
  }
  // Document `title`, `context` and `citations` are dropped (no canonical field).
  return read_cache_control(obj, p, out.cache_control, err);
}

void write_media(json_writer& w, const image_block& img) {
  std::string_view media_type = img.media_type;
  std::string_view data = img.data;
  std::string_view url = img.url;
  if (data.empty() && url.substr(0, 5) == "data:") {
    // A data: URL left in `url` by a lenient decoder: Anthropic wants base64 + media_type.
    const auto comma = url.find(";base64,");
    if (comma != std::string_view::npos) {
      media_type = url.substr(5, comma - 5);
      data = url.substr(comma + 8);
      url = {};
    }
  }
  w.start_object().member("type", is_document_media(media_type) ? "document" : "image");
  w.key("source").start_object();
  if (!data.empty() || url.empty()) {
    w.member("type", "base64").member("media_type", media_type).member("data", data);
  } else {
    w.member("type", "url").member("url", url);
  }
  w.end_object();
  if (!img.cache_control.empty()) w.member_raw("cache_control", img.cache_control);
  w.end_object();
}

void write_reasoning(json_writer& w, const reasoning_block& r) {
  w.start_object();
  if (r.redacted) {
    w.member("type", "redacted_thinking").member("data", r.redacted_data);
  } else {
    // Claude Code drops thinking blocks without a signature field (translation.md A.4).
    w.member("type", "thinking").member("thinking", r.text).member("signature", r.signature);
  }
  w.end_object();
}

std::string merge_object(std::string known, const std::string* rest) {
  if (rest == nullptr || rest->size() < 2 || rest->front() != '{') return known;
  const std::string_view inner = std::string_view(*rest).substr(1, rest->size() - 2);
  if (inner.find_first_not_of(" \t\r\n") == std::string_view::npos) return known;
  known.pop_back();  // the closing brace
  if (known.size() > 1) known += ',';
  known.append(inner);
  known += '}';
  return known;
}

}  // namespace harness::detail::anthropic
