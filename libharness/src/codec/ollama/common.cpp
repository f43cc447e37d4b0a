// common.cpp: small helpers of the ollama codec (media types, ids, merged extra objects).
#include "codec/ollama/internal.h"

#include "ir/ids.h"

namespace harness::detail::ollama {

std::string_view sniff_media_type(std::string_view base64) noexcept {
  // Base64 of the magic bytes: 89 50 4E 47 (PNG), FF D8 FF (JPEG), "GIF8", "RIFF" (WebP).
  if (base64.starts_with("iVBOR")) return "image/png";
  if (base64.starts_with("/9j/")) return "image/jpeg";
  if (base64.starts_with("R0lG")) return "image/gif";
  if (base64.starts_with("UklG")) return "image/webp";
  return "application/octet-stream";
}

std::string call_id_source::make(std::size_t position, std::string_view prefix) {
  if (!hashed_) {
    body_hash_ = fnv1a(body_);
    hashed_ = true;
  }
  // Same derivation as synthesize_call_id(body, position) (ir/ids.cpp; a unit test pins the
  // equality), with the body's hash computed once instead of once per call.
  const std::string idx = std::to_string(position);
  const std::uint64_t h = fnv1a(idx, body_hash_ ^ 0x9e3779b97f4a7c15ULL);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(prefix);
  for (int shift = 60; shift >= 0; shift -= 4) out += hex[(h >> shift) & 0xF];
  return out;
}

result<std::string_view> image_data(const image_block& img, const json_path& at) {
  std::string_view data = img.data;
  if (data.empty() && img.url.starts_with("data:")) {
    // A data URL left in `url` still carries the bytes inline.
    const auto comma = img.url.find(";base64,");
    if (comma != std::string::npos) data = std::string_view(img.url).substr(comma + 8);
  }
  if (data.empty() && !img.url.empty()) {
    return make_error(errc::unsupported,
                      "Ollama cannot fetch image URLs; send the image inline as base64",
                      at.str());
  }
  const std::string_view type = img.media_type;
  if (!type.empty() && !type.starts_with("image/") && type != "application/octet-stream") {
    return make_error(errc::unsupported,
                      "Ollama accepts only images, not " + std::string(type), at.str());
  }
  return data;
}

std::string joined_reasoning(const message& m) {
  std::string out;
  for (const auto& block : m.content) {
    const auto* r = std::get_if<reasoning_block>(&block);
    if (r != nullptr && !r->redacted) out += r->text;
  }
  return out;
}

bool is_one_of(std::string_view key, const std::vector<std::string_view>& keys) noexcept {
  for (std::string_view k : keys) {
    if (k == key) return true;
  }
  return false;
}

void write_object_members(json_writer& w, simdjson::dom::parser& parser,
                          std::string_view raw_object, const std::vector<std::string_view>& skip) {
  auto parsed = parse_json(parser, raw_object);
  if (!parsed) return;
  json_object obj;
  if (parsed->get_object().get(obj) != simdjson::SUCCESS) return;
  for (auto field : obj) {
    if (is_one_of(field.key, skip)) continue;
    append_raw_json(w.key(field.key).raw_target(), field.value);
  }
}

error unwritable(std::string_view what) {
  return make_error(errc::unsupported,
                    std::string(what) + " holds invalid UTF-8 or a non-finite number");
}

}  // namespace harness::detail::ollama
