// parts_decode.cpp: Chat Completions content parts (text, refusal, image_url, file) -> blocks.
#include <string>
#include <utility>

#include "codec/openai/internal.h"

namespace harness::detail::openai {
namespace {

bool ends_with_pdf(std::string_view name) noexcept {
  if (name.size() < 4) return false;
  const std::string_view ext = name.substr(name.size() - 4);
  return ext[0] == '.' && (ext[1] | 0x20) == 'p' && (ext[2] | 0x20) == 'd' && (ext[3] | 0x20) == 'f';
}

bool decode_image_url(json_object obj, const json_path& p, image_block& img, error& err) {
  json_element v;
  if (!required_field(obj, "image_url", p, v, err)) return false;
  const json_path ip = p / "image_url";
  std::string_view url;
  if (v.is_string()) {  // a bare URL string (older vLLM-style clients)
    if (!read_string_view(v, ip, url, err)) return false;
  } else {
    json_object io;
    if (!read_object(v, ip, io, err)) return false;
    json_element u;
    if (!required_field(io, "url", ip, u, err) || !read_string_view(u, ip / "url", url, err)) {
      return false;
    }
    if (find_field(io, "detail", u) && !read_string(u, ip / "detail", img.detail, err)) {
      return false;
    }
  }
  if (!parse_data_url(url, img.media_type, img.data)) img.url.assign(url);
  return true;
}

// A `file` part carrying the document inline (PDF). `file_id` references an upload the other
// dialects cannot see, so it is refused rather than dropped.
bool decode_file(json_object obj, const json_path& p, image_block& img, error& err) {
  json_element v;
  if (!required_field(obj, "file", p, v, err)) return false;
  const json_path fp = p / "file";
  json_object fo;
  if (!read_object(v, fp, fo, err)) return false;
  std::string_view filename;
  if (find_field(fo, "filename", v) && !read_string_view(v, fp / "filename", filename, err)) {
    return false;
  }
  if (!find_field(fo, "file_data", v)) {
    err = invalid(fp, "file parts must carry the document inline as file_data (file_id cannot "
                      "be translated)");
    return false;
  }
  std::string_view data;
  if (!read_string_view(v, fp / "file_data", data, err)) return false;
  if (parse_data_url(data, img.media_type, img.data)) return true;
  if (ends_with_pdf(filename)) {  // raw base64 named *.pdf
    img.media_type = "application/pdf";
    img.data.assign(data);
    return true;
  }
  err = invalid(fp / "file_data", "file_data must be a base64 data URL (data:<type>;base64,...)");
  return false;
}

// One content part: text, refusal (kept as text), image_url or file. Audio and unknown parts
// are refused with their path: the canonical model cannot carry them.
bool decode_part(json_element e, const json_path& p, content_block& out, error& err) {
  json_object obj;
  if (!read_object(e, p, obj, err)) return false;
  json_element v;
  std::string_view type;
  if (!required_field(obj, "type", p, v, err) || !read_string_view(v, p / "type", type, err)) {
    return false;
  }
  std::string cache;
  if (find_field(obj, "cache_control", v) &&
      !read_cache_control(v, p / "cache_control", cache, err)) {
    return false;
  }
  if (type == "text" || type == "refusal") {
    const std::string_view key = type;  // {type:"text", text} / {type:"refusal", refusal}
    text_block t;
    if (!required_field(obj, key, p, v, err) || !read_string(v, p / key, t.text, err)) return false;
    t.cache_control = std::move(cache);
    out = std::move(t);
    return true;
  }
  if (type == "image_url" || type == "file") {
    image_block img;
    const bool ok = type == "image_url" ? decode_image_url(obj, p, img, err)
                                        : decode_file(obj, p, img, err);
    if (!ok) return false;
    img.cache_control = std::move(cache);
    out = std::move(img);
    return true;
  }
  if (type == "input_audio") {
    err = invalid(p / "type", "audio input (input_audio) cannot be translated");
    return false;
  }
  err = invalid(p / "type", "unsupported content part type \"" + std::string(type) + "\"");
  return false;
}

}  // namespace

// `cache_control` (an OpenAI extension of LiteLLM, Cursor, OpenRouter; translation.md A.1) as raw
// JSON. It must be an object, as on Anthropic.
bool read_cache_control(json_element v, const json_path& p, std::string& out, error& err) {
  json_object obj;
  if (!read_object(v, p, obj, err)) return false;
  out = raw_json(v);
  return true;
}

bool parse_data_url(std::string_view url, std::string& media_type, std::string& data) {
  constexpr std::string_view prefix = "data:";
  constexpr std::string_view marker = ";base64";
  if (url.substr(0, prefix.size()) != prefix) return false;
  const std::size_t comma = url.find(',');
  if (comma == std::string_view::npos) return false;
  const std::string_view header = url.substr(prefix.size(), comma - prefix.size());
  if (header.size() < marker.size() || header.substr(header.size() - marker.size()) != marker) {
    return false;  // not base64 (e.g. an SVG as text): kept whole as a URL
  }
  const std::string_view meta = header.substr(0, header.size() - marker.size());
  media_type.assign(meta.substr(0, meta.find(';')));
  data.assign(url.substr(comma + 1));
  return true;
}

bool decode_parts(json_element e, const json_path& p, std::vector<content_block>& out,
                  error& err) {
  json_array parts;
  if (!read_array(e, p, parts, err)) return false;
  out.reserve(out.size() + parts.size());
  std::size_t i = 0;
  for (json_element part : parts) {
    content_block block;
    if (!decode_part(part, p[i], block, err)) return false;
    out.push_back(std::move(block));
    ++i;
  }
  return true;
}

}  // namespace harness::detail::openai
