// Client answers as comparable lines (record.h normalize_client_answer).
#include <harness/record.h>

#include <map>

#include <simdjson.h>

#include "json/writer.h"

namespace harness {
inline namespace v0 {
namespace {

// Replaces the values that differ between two runs of the same exchange.
class normalizer {
 public:
  explicit normalizer(dialect client) : ids_by_order_(client == dialect::responses) {}

  // A JSON value, compact.
  void write(detail::json_writer& w, simdjson::dom::element v, std::string_view key = {}) {
    if (key == "created" || key == "created_at") {
      w.int64(0);
      return;
    }
    if (ids_by_order_ && (key == "id" || key == "item_id" || key == "response_id") && v.is_string()) {
      w.string(stable_id(v.get_string().value_unsafe()));
      return;
    }
    switch (v.type()) {
      case simdjson::dom::element_type::OBJECT: {
        simdjson::dom::object object;
        if (v.get(object)) break;
        w.start_object();
        for (auto field : object) {
          w.key(field.key);
          write(w, field.value, field.key);
        }
        w.end_object();
        break;
      }
      case simdjson::dom::element_type::ARRAY: {
        simdjson::dom::array array;
        if (v.get(array)) break;
        w.start_array();
        for (auto item : array) write(w, item);
        w.end_array();
        break;
      }
      default:
        w.raw(simdjson::to_string(v));
        break;
    }
  }

  // A JSON value as one line per leaf: `$.path = value`.
  void flatten(simdjson::dom::element v, const std::string& path, std::string_view key,
               std::string& out) {
    if (v.is_object() && key != "created" && key != "created_at") {
      bool any = false;
      simdjson::dom::object object;
      if (v.get(object)) return;
      for (auto field : object) {
        flatten(field.value, path + "." + std::string(field.key), field.key, out);
        any = true;
      }
      if (!any) out += path + " = {}\n";
      return;
    }
    if (v.is_array()) {
      std::size_t i = 0;
      simdjson::dom::array array;
      if (v.get(array)) return;
      for (auto item : array) {
        flatten(item, path + "[" + std::to_string(i++) + "]", {}, out);
      }
      if (i == 0) out += path + " = []\n";
      return;
    }
    std::string value;
    {
      detail::json_writer w(value);
      write(w, v, key);
    }
    out += path + " = " + value + "\n";
  }

 private:

  std::string stable_id(std::string_view id) {
    auto [it, added] = ids_.emplace(std::string(id), "id-" + std::to_string(ids_.size() + 1));
    return it->second;
  }

  bool ids_by_order_;
  std::map<std::string, std::string, std::less<>> ids_;
};

// One JSON text compacted and normalized; nullopt-like empty when it is not JSON.
bool compact(normalizer& n, simdjson::dom::parser& parser, std::string_view text, std::string& out) {
  simdjson::dom::element v;
  if (parser.parse(text.data(), text.size()).get(v)) return false;
  detail::json_writer w(out);
  n.write(w, v);
  return w.ok();
}

}  // namespace

std::string normalize_client_answer(dialect client, std::string_view content_type,
                                    std::string_view body) {
  normalizer n(client);
  simdjson::dom::parser parser;
  const bool sse = content_type.rfind("text/event-stream", 0) == 0;
  const bool ndjson = content_type.rfind("application/x-ndjson", 0) == 0;
  std::string out;
  if (!sse && !ndjson) {
    simdjson::dom::element v;
    if (parser.parse(body.data(), body.size()).get(v)) return std::string(body);
    n.flatten(v, "$", {}, out);
    return out;
  }
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = body.find('\n', at);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(at, end - at);
    at = end + 1;
    std::string_view payload = line;
    std::string prefix;
    if (sse && line.rfind("data:", 0) == 0) {
      payload.remove_prefix(5);
      if (!payload.empty() && payload.front() == ' ') payload.remove_prefix(1);
      prefix = "data: ";
    } else if (sse) {
      payload = {};
    }
    std::string json;
    if (!payload.empty() && compact(n, parser, payload, json)) {
      out += prefix + json + "\n";
    } else {
      out.append(line);
      out += '\n';
    }
  }
  return out;
}

}  // namespace v0
}  // namespace harness
