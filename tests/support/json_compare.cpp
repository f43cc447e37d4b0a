#include "json_compare.h"

#include <algorithm>
#include <vector>

#include <simdjson.h>

namespace harness_test {
namespace {

void write_canonical(simdjson::dom::element e, std::string& out) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      simdjson::dom::object obj = e.get_object().value_unsafe();  // a copy: the result is a temporary
      for (auto field : obj) fields.emplace_back(field.key, field.value);
      std::stable_sort(fields.begin(), fields.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (auto& [k, v] : fields) {
        if (!first) out += ',';
        first = false;
        out += '"';
        for (char c : k) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        out += "\":";
        write_canonical(v, out);
      }
      out += '}';
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      out += '[';
      bool first = true;
      simdjson::dom::array arr = e.get_array().value_unsafe();
      for (auto v : arr) {
        if (!first) out += ',';
        first = false;
        write_canonical(v, out);
      }
      out += ']';
      return;
    }
    case simdjson::dom::element_type::DOUBLE: {
      // Integral doubles compare equal to integers (1.0 == 1).
      double d = e.get_double().value_unsafe();
      if (d == static_cast<double>(static_cast<long long>(d))) {
        out += std::to_string(static_cast<long long>(d));
      } else {
        out += simdjson::minify(e);
      }
      return;
    }
    default:
      out += simdjson::minify(e);
  }
}

}  // namespace

std::string canonical_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto err = parser.parse(json.data(), json.size(), true).get(root);
  if (err) return std::string("<invalid JSON: ") + simdjson::error_message(err) + ">";
  std::string out;
  write_canonical(root, out);
  return out;
}

std::string json_at(std::string_view json, std::string_view pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size(), true).get(root)) return "<invalid JSON>";
  simdjson::dom::element v;
  if (root.at_pointer(pointer).get(v)) return "<missing>";
  std::string out;
  write_canonical(v, out);
  return out;
}

std::string string_at(std::string_view json, std::string_view pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size(), true).get(root)) return "<invalid JSON>";
  simdjson::dom::element v;
  if (root.at_pointer(pointer).get(v)) return "<missing>";
  std::string_view s;
  if (v.get_string().get(s)) return "<not a string>";
  return std::string(s);
}

}  // namespace harness_test
