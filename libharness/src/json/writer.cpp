#include "json/writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "json/rapidjson_config.h"

namespace harness::detail {

// A RapidJSON output stream that appends to a caller-owned std::string (no extra copy).
struct string_sink {
  using Ch = char;
  std::string* out;
  void Put(char c) { out->push_back(c); }
  void Flush() {}
};
namespace {

// Strings are validated by is_valid_utf8 before they reach the writer (a word-at-a-time ASCII
// fast path), so RapidJSON's per-character validating transcoder is not needed.
using fast_writer = rapidjson::Writer<string_sink, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                      rapidjson::CrtAllocator, rapidjson::kWriteNoFlags>;

}  // namespace
}  // namespace harness::detail

namespace rapidjson {
// RapidJSON's writer reserves before each token and then puts bytes unchecked; give our sink
// the same fast path its own StringBuffer has (geometric growth, no per-byte reallocation).
inline void PutReserve(harness::detail::string_sink& s, size_t count) {
  const size_t need = s.out->size() + count;
  if (s.out->capacity() < need) s.out->reserve(std::max(need, s.out->capacity() * 2));
}
inline void PutUnsafe(harness::detail::string_sink& s, char c) { s.out->push_back(c); }
}  // namespace rapidjson

namespace harness::detail {

struct json_writer::impl {
  string_sink sink;
  fast_writer writer;
  explicit impl(std::string& out) : sink{&out}, writer(sink) {}
};

json_writer::json_writer(std::string& out) : impl_(std::make_unique<impl>(out)) {}
json_writer::~json_writer() = default;

json_writer& json_writer::start_object() {
  ok_ = impl_->writer.StartObject() && ok_;
  return *this;
}
json_writer& json_writer::end_object() {
  ok_ = impl_->writer.EndObject() && ok_;
  return *this;
}
json_writer& json_writer::start_array() {
  ok_ = impl_->writer.StartArray() && ok_;
  return *this;
}
json_writer& json_writer::end_array() {
  ok_ = impl_->writer.EndArray() && ok_;
  return *this;
}
json_writer& json_writer::key(std::string_view k) {
  if (!is_valid_utf8(k)) {
    ok_ = false;
    k = {};
  }
  ok_ = impl_->writer.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())) && ok_;
  return *this;
}
json_writer& json_writer::string(std::string_view s) {
  if (!is_valid_utf8(s)) {
    ok_ = false;  // never write invalid UTF-8; keep the document well-formed
    s = {};
  }
  ok_ = impl_->writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size())) && ok_;
  return *this;
}
json_writer& json_writer::int64(std::int64_t v) {
  ok_ = impl_->writer.Int64(v) && ok_;
  return *this;
}
json_writer& json_writer::number(double v) {
  if (!std::isfinite(v)) {
    ok_ = false;
    impl_->writer.Null();  // keep the document well-formed; ok() reports the failure
    return *this;
  }
  // Integral values are written without a fraction, as clients sent them ("temperature": 1).
  if (std::floor(v) == v && std::fabs(v) < 9.0e15) {
    ok_ = impl_->writer.Int64(static_cast<std::int64_t>(v)) && ok_;
  } else {
    ok_ = impl_->writer.Double(v) && ok_;
  }
  return *this;
}
json_writer& json_writer::boolean(bool v) {
  ok_ = impl_->writer.Bool(v) && ok_;
  return *this;
}
json_writer& json_writer::null() {
  ok_ = impl_->writer.Null() && ok_;
  return *this;
}
json_writer& json_writer::raw(std::string_view json) {
  ok_ = impl_->writer.RawValue(json.data(), json.size(), rapidjson::kObjectType) && ok_;
  return *this;
}

std::string quote_json(std::string_view s) {
  std::string out;
  json_writer w(out);
  w.string(s);
  return w.ok() ? out : std::string();
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
