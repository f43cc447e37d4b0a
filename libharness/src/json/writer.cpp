#include "json/writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "json/escape.h"
#include "json/rapidjson_config.h"  // only for its double formatting (bytes kept as they were)

namespace harness::detail {

// Level states, one byte per open array / object:
//   'a' array, nothing yet      'A' array, after a value (next: ',')
//   'o' object, nothing yet     'k' object, after a value (next key: ',')
//   'v' object, after a key (next value: ':')
// As in RapidJSON's Writer, keys and values simply alternate inside an object.
char json_writer::separator() noexcept {
  if (depth_ == 0) return '\0';
  char& state = top();
  switch (state) {
    case 'a': state = 'A'; return '\0';
    case 'A': return ',';
    case 'o': state = 'v'; return '\0';
    case 'k': state = 'v'; return ',';
    default: state = 'k'; return ':';  // 'v'
  }
}

void json_writer::push(char state) {
  if (depth_ < inline_depth) {
    levels_[depth_] = state;
  } else {
    deep_.push_back(state);
  }
  ++depth_;
}

void json_writer::pop() noexcept {
  if (depth_ == 0) {
    ok_ = false;  // an end without a start: the text is not well-formed
    return;
  }
  if (depth_ > inline_depth) deep_.pop_back();
  --depth_;
}

json_writer::~json_writer() = default;

namespace {

void put(std::string& out, char sep, std::string_view token) {
  if (sep != '\0') out.push_back(sep);
  out.append(token);
}

}  // namespace

json_writer& json_writer::start_object() {
  const char sep = separator();
  put(out_, sep, "{");
  push('o');
  return *this;
}
json_writer& json_writer::end_object() {
  pop();
  out_.push_back('}');
  return *this;
}
json_writer& json_writer::start_array() {
  const char sep = separator();
  put(out_, sep, "[");
  push('a');
  return *this;
}
json_writer& json_writer::end_array() {
  pop();
  out_.push_back(']');
  return *this;
}
json_writer& json_writer::key(std::string_view k) { return string(k); }
json_writer& json_writer::string(std::string_view s) {
  const char sep = separator();
  if (!append_json_string(out_, sep, s, hex_case::upper, true)) {
    ok_ = false;  // never write invalid UTF-8; keep the document well-formed
    append_json_string(out_, sep, {}, hex_case::upper, false);
  }
  return *this;
}
json_writer& json_writer::int64(std::int64_t v) {
  char buf[24];
  buf[0] = separator();
  const std::size_t skip = buf[0] == '\0' ? 1 : 0;
  const auto end = std::to_chars(buf + 1, buf + sizeof buf, v).ptr;
  out_.append(buf + skip, static_cast<std::size_t>(end - buf) - skip);
  return *this;
}
json_writer& json_writer::number(double v) {
  if (!std::isfinite(v)) {
    ok_ = false;
    null();  // keep the document well-formed; ok() reports the failure
    return *this;
  }
  // Integral values are written without a fraction, as clients sent them ("temperature": 1).
  if (std::floor(v) == v && std::fabs(v) < 9.0e15) return int64(static_cast<std::int64_t>(v));
  char buf[32];
  buf[0] = separator();
  const std::size_t skip = buf[0] == '\0' ? 1 : 0;
  const char* end = rapidjson::internal::dtoa(v, buf + 1, 324);  // RapidJSON Writer's default
  out_.append(buf + skip, static_cast<std::size_t>(end - buf) - skip);
  return *this;
}
json_writer& json_writer::boolean(bool v) {
  put(out_, separator(), v ? "true" : "false");
  return *this;
}
json_writer& json_writer::null() {
  put(out_, separator(), "null");
  return *this;
}
json_writer& json_writer::raw(std::string_view json) {
  put(out_, separator(), json);
  return *this;
}
std::string& json_writer::raw_target() {
  if (const char sep = separator(); sep != '\0') out_.push_back(sep);
  return out_;
}

std::string quote_json(std::string_view s) {
  std::string out;
  if (!append_json_string(out, '\0', s, hex_case::upper, true)) out.clear();
  return out;
}

namespace {
// Length of the UTF-8 sequence that starts with byte `c`, 0 if `c` cannot start one.
int sequence_length(unsigned char c) noexcept {
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c >= 0xE0 && c <= 0xEF) return 3;
  if (c >= 0xF0 && c <= 0xF4) return 4;
  return 0;
}
}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // ASCII fast path: eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const int len = sequence_length(c);
    if (len == 0 || i + static_cast<std::size_t>(len) > n) return false;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    // Overlongs, surrogates and > U+10FFFF are excluded by the second-byte ranges.
    if (c == 0xE0 && c1 < 0xA0) return false;
    if (c == 0xED && c1 > 0x9F) return false;
    if (c == 0xF0 && c1 < 0x90) return false;
    if (c == 0xF4 && c1 > 0x8F) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += static_cast<std::size_t>(len);
  }
  return true;
}

std::size_t complete_utf8_prefix(std::string_view s) noexcept {
  // Walk back over at most 3 continuation bytes to the last lead byte.
  const std::size_t n = s.size();
  std::size_t back = 0;
  while (back < 4 && back < n) {
    const auto c = static_cast<unsigned char>(s[n - 1 - back]);
    if ((c & 0xC0) != 0x80) {
      const int len = sequence_length(c);
      if (len > 1 && static_cast<std::size_t>(len) > back + 1) return n - 1 - back;
      return n;
    }
    ++back;
  }
  return n;
}

}  // namespace harness::detail
