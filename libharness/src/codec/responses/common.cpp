// common.cpp: reading helpers, freeform-tool mapping and item ids of the responses codec.
#include <string>

#include "codec/responses/internal.h"
#include "ir/ids.h"

namespace harness::detail::responses {

bool find_field(json_object obj, std::string_view key, json_element& out) noexcept {
  return obj.at_key(key).get(out) == simdjson::SUCCESS && !out.is_null();
}

bool required_field(json_object obj, std::string_view key, const json_path& parent,
                    json_element& out, error& err) {
  if (find_field(obj, key, out)) return true;
  err = missing_field(parent / key);
  return false;
}

bool required_string(json_object obj, std::string_view key, const json_path& parent,
                     std::string& out, error& err) {
  json_element v;
  return required_field(obj, key, parent, v, err) && read_string(v, parent / key, out, err);
}

bool parse_data_url(std::string_view url, std::string& media_type, std::string& data) {
  constexpr std::string_view prefix = "data:";
  constexpr std::string_view marker = ";base64";
  if (url.substr(0, prefix.size()) != prefix) return false;
  const std::size_t comma = url.find(',');
  if (comma == std::string_view::npos) return false;
  const std::string_view header = url.substr(prefix.size(), comma - prefix.size());
  if (header.size() < marker.size() || header.substr(header.size() - marker.size()) != marker) {
    return false;  // not base64: kept whole as a URL
  }
  const std::string_view meta = header.substr(0, header.size() - marker.size());
  media_type.assign(meta.substr(0, meta.find(';')));
  data.assign(url.substr(comma + 1));
  return true;
}

error unsupported(const json_path& path, std::string message) {
  return make_error(errc::unsupported, std::move(message), path.str());
}

bool is_freeform(const tool_spec& tool) noexcept {
  const std::string* type = tool.extra.find("type");
  return tool.kind == "function" && type != nullptr && *type == "\"custom\"";
}

std::string freeform_arguments(std::string_view input) {
  std::string out;
  json_writer w(out);
  w.start_object().member("input", input).end_object();
  return w.ok() ? out : std::string("{\"input\":\"\"}");
}

std::string freeform_input(std::string_view arguments) {
  simdjson::dom::parser parser;
  json_element root, v;
  json_object obj;
  std::string_view s;
  if (parser.parse(arguments.data(), arguments.size()).get(root) == simdjson::SUCCESS &&
      root.get_object().get(obj) == simdjson::SUCCESS && obj.size() == 1 &&
      find_field(obj, "input", v) && v.get_string().get(s) == simdjson::SUCCESS) {
    return std::string(s);
  }
  return std::string(arguments);
}

std::string item_id(std::string_view response_id, std::size_t index, std::string_view prefix) {
  return synthesize_call_id(response_id, index, prefix);
}

const char* status_for(finish_reason r) noexcept {
  switch (r) {
    case finish_reason::length:
    case finish_reason::content_filter: return "incomplete";
    case finish_reason::error: return "failed";
    default: return "completed";
  }
}

const char* incomplete_reason(finish_reason r) noexcept {
  switch (r) {
    case finish_reason::length: return "max_output_tokens";
    case finish_reason::content_filter: return "content_filter";
    default: return "";
  }
}

}  // namespace harness::detail::responses
