// jsonl.cpp: the rescue corpus line format, for harness-cli and the evaluator.
#include <harness/rescue.h>

#include "json/reader.h"
#include "json/writer.h"

namespace harness {
inline namespace v0 {
namespace {

using detail::json_array;
using detail::json_element;
using detail::json_object;
using detail::json_path;

// `s` with every invalid UTF-8 sequence replaced by U+FFFD (model output is not always valid).
std::string valid_utf8(std::string_view s) {
  if (detail::is_valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len > 0 && i + len <= s.size() && detail::is_valid_utf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

bool read_names(json_element e, const json_path& path, std::vector<std::string>& out,
                harness::error& err) {
  json_array list;
  if (!detail::read_array(e, path, list, err)) return false;
  std::size_t i = 0;
  for (json_element item : list) {
    std::string name;
    if (!detail::read_string(item, path[i], name, err)) return false;
    out.push_back(std::move(name));
    ++i;
  }
  return true;
}

bool read_param_types(json_element e, const json_path& path, rescue_options& options,
                      harness::error& err) {
  json_object tools;
  if (!detail::read_object(e, path, tools, err)) return false;
  for (auto tool : tools) {
    const json_path tool_path = path / tool.key;
    json_object params;
    if (!detail::read_object(tool.value, tool_path, params, err)) return false;
    auto& dst = options.param_types[std::string(tool.key)];
    for (auto param : params) {
      std::string type;
      if (!detail::read_string(param.value, tool_path / param.key, type, err)) return false;
      dst[std::string(param.key)] = std::move(type);
    }
  }
  return true;
}

}  // namespace

std::string rescue_result_json(const rescue_result& result, std::string_view id_json) {
  std::string out;
  detail::json_writer w(out);
  w.start_object();
  w.key("id").raw(id_json.empty() ? "null" : id_json);
  w.key("calls").start_array();
  for (const auto& c : result.calls) {
    w.start_object().member("name", valid_utf8(c.name)).member_raw("arguments", c.arguments);
    w.end_object();
  }
  w.end_array();
  w.key("content");
  if (result.content) {
    w.string(valid_utf8(*result.content));
  } else {
    w.null();
  }
  w.key("reasoning");
  if (result.reasoning) {
    w.string(valid_utf8(*result.reasoning));
  } else {
    w.null();
  }
  w.end_object();
  return out;
}

result<std::string> rescue_jsonl_line(std::string_view line, std::size_t chunk_size) {
  simdjson::dom::parser parser;
  auto doc = detail::parse_json(parser, line);
  if (!doc) return std::move(doc).error_value();
  const json_path root;
  harness::error err;
  json_object obj;
  if (!detail::read_object(*doc, root, obj, err)) return err;

  std::string id_json = "null";
  if (json_element id; obj["id"].get(id) == simdjson::SUCCESS) id_json = detail::raw_json(id);

  json_element text_e;
  if (obj["text"].get(text_e) != simdjson::SUCCESS) return detail::missing_field(root / "text");
  std::string text;
  if (!detail::read_string(text_e, root / "text", text, err)) return err;

  rescue_options options;
  if (json_element tools;
      obj["tools_offered"].get(tools) == simdjson::SUCCESS && !tools.is_null()) {
    if (!read_names(tools, root / "tools_offered", options.tools_offered, err)) return err;
  }
  if (json_element types; obj["param_types"].get(types) == simdjson::SUCCESS && !types.is_null()) {
    if (!read_param_types(types, root / "param_types", options, err)) return err;
  }

  rescue_result out;
  if (chunk_size == 0) {
    out = rescue_text(text, options);
  } else {
    stream_rescuer stream(options);
    rescue_events events;
    for (std::size_t i = 0; i < text.size(); i += chunk_size) {
      stream.feed(std::string_view(text).substr(i, chunk_size), events);
    }
    stream.finish(events);
    accumulate(out, events);
  }
  return rescue_result_json(out, id_json);
}

}  // namespace v0
}  // namespace harness
