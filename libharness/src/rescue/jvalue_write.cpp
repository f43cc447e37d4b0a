// jvalue_write.cpp: compact JSON text of a jvalue (numbers as written, strings escaped in
// bulk, invalid UTF-8 refused).
#include "json/writer.h"
#include "rescue/jvalue.h"

namespace harness::detail::rescue {
namespace {

// JSON string escaping in bulk: runs that need no escape are appended at once (the shared
// writer's per-character sink is the bottleneck for megabyte arguments).
void write_string(std::string_view v, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i < v.size()) {
    std::size_t run = i;
    while (run < v.size()) {
      const auto c = static_cast<unsigned char>(v[run]);
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++run;
    }
    out.append(v.substr(i, run - i));
    if (run >= v.size()) break;
    const auto c = static_cast<unsigned char>(v[run]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
        break;
    }
    i = run + 1;
  }
  out += '"';
}

bool write_value(const jvalue& v, std::string& out) {
  switch (v.k) {
    case jvalue::kind::null: out += "null"; return true;
    case jvalue::kind::boolean: out += v.b ? "true" : "false"; return true;
    case jvalue::kind::number: out += v.s; return true;
    case jvalue::kind::string:
      if (!is_valid_utf8(v.s)) return false;
      write_string(v.s, out);
      return true;
    case jvalue::kind::array:
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ',';
        if (!write_value(v.items[i], out)) return false;
      }
      out += ']';
      return true;
    case jvalue::kind::object:
      out += '{';
      for (std::size_t i = 0; i < v.keys.size(); ++i) {
        if (i > 0) out += ',';
        if (!is_valid_utf8(v.keys[i])) return false;
        write_string(v.keys[i], out);
        out += ':';
        if (!write_value(v.items[i], out)) return false;
      }
      out += '}';
      return true;
  }
  return false;
}

}  // namespace

bool write_json(const jvalue& v, std::string& out) {
  const std::size_t mark = out.size();
  const bool ok = write_value(v, out);
  if (!ok) out.resize(mark);
  return ok;
}

}  // namespace harness::detail::rescue
