#include "json/escape.h"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace harness::detail {
namespace {

// The two-character form of a byte that has one (\b \t \n \f \r \" \\), else 0.
constexpr char short_escape(unsigned char c) noexcept {
  switch (c) {
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\f': return 'f';
    case '\r': return 'r';
    case '"': return '"';
    case '\\': return '\\';
    default: return 0;
  }
}

// Length of the valid UTF-8 sequence starting at `p` (whose first byte is >= 0x80), or 0 when
// it is invalid or truncated. Overlongs, surrogates and code points above U+10FFFF are invalid
// (the second-byte ranges exclude them), as in is_valid_utf8.
inline std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) noexcept {
  const unsigned c = p[0];
  std::size_t len = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  if (static_cast<std::size_t>(end - p) < len) return 0;
  const unsigned c1 = p[1];
  if ((c1 & 0xC0) != 0x80) return 0;
  if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
      (c == 0xF4 && c1 > 0x8F)) {
    return 0;
  }
  for (std::size_t k = 2; k < len; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
  }
  return len;
}

// Bytes that stop a plain run: '"', '\\', below 0x20, and (when validating) 0x80 and above.
template <bool Validate>
constexpr bool stops_run(unsigned char c) noexcept {
  return c < 0x20 || c == '"' || c == '\\' || (Validate && c >= 0x80);
}

#if defined(__SSE2__)
// One bit per byte of `v` that stops a plain run (see stops_run).
template <bool Validate>
inline unsigned block_stops(__m128i v) noexcept {
  __m128i low;
  if constexpr (Validate) {
    low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));  // signed: below 0x20 and 0x80 and above
  } else {
    low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);  // below 0x20 only
  }
  const __m128i hit = _mm_or_si128(low, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

// Escapes [p, e) to `o` and returns the end of what it wrote, or null for invalid UTF-8 when
// validating. Invariant: room left (lim - o) >= input left + 17 (closing quote, 16 bytes of
// slack), so a 16-byte block store always fits, also for a tail shorter than a block; before
// an escape (up to 6 bytes for 1) with less room, `grow(o, room, lim)` makes at least `room`
// bytes from `o` and returns where `o` is now.
template <bool Validate, class Grow>
char* escape_into(char* o, char* lim, const unsigned char* p, const unsigned char* e,
                  const char* digits, Grow grow) {
  for (;;) {
#if defined(__SSE2__)
    while (e - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o), v);  // kept only up to the first stop
      const unsigned mask = block_stops<Validate>(v);
      if (mask == 0) {
        p += 16;
        o += 16;
        continue;
      }
      const unsigned k = static_cast<unsigned>(std::countr_zero(mask));
      p += k;
      o += k;
      break;
    }
#if !defined(__SANITIZE_ADDRESS__)
    // A tail shorter than a block (most keys and short values are all tail): one block load
    // when it cannot cross into the next page (so it cannot fault), hits past the end masked.
    // AddressSanitizer would report the bytes read past the string, so it takes the byte loop.
    if (const auto left = static_cast<std::size_t>(e - p);
        left > 0 && left < 16 && (reinterpret_cast<std::uintptr_t>(p) & 4095) <= 4096 - 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o), v);
      const unsigned mask = block_stops<Validate>(v) & ((1u << left) - 1u);
      const std::size_t k = mask == 0 ? left : static_cast<std::size_t>(std::countr_zero(mask));
      p += k;
      o += k;
    }
#endif
#else
    if constexpr (std::endian::native == std::endian::little) {
      constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
      while (e - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        std::memcpy(o, p, 8);
        const std::uint64_t q = w ^ (ones * '"');
        const std::uint64_t b = w ^ (ones * '\\');
        // Borrows only flag bytes above a true hit, so the lowest flag is exact.
        std::uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w);
        if constexpr (Validate) hit |= w;
        hit &= high;
        if (hit == 0) {
          p += 8;
          o += 8;
          continue;
        }
        const auto k = static_cast<std::size_t>(std::countr_zero(hit) / 8);
        p += k;
        o += k;
        break;
      }
    }
#endif
    while (p < e && !stops_run<Validate>(*p)) *o++ = static_cast<char>(*p++);
    if (p == e) break;
    const unsigned char c = *p;
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence(p, e);
      if (len == 0) return nullptr;  // never write invalid UTF-8
      for (std::size_t k = 0; k < len; ++k) o[k] = static_cast<char>(p[k]);
      o += len;
      p += len;
      continue;
    }
    // An escape writes up to 6 bytes for 1: keep the invariant.
    const auto left = static_cast<std::size_t>(e - p);
    if (static_cast<std::size_t>(lim - o) < left + 6 + 16) o = grow(o, left + 6 + 16 + left / 2 + 64, lim);
    *o++ = '\\';
    if (const char short_form = short_escape(c); short_form != 0) {
      *o++ = short_form;
    } else {
      *o++ = 'u';
      *o++ = '0';
      *o++ = '0';
      *o++ = digits[c >> 4];
      *o++ = digits[c & 0xF];
    }
    ++p;
  }
  return o;
}

// Short strings (most keys and values) are escaped on the stack and appended in one call:
// no zero-filled resize of the output and shrink afterwards.
constexpr std::size_t short_string = 48;

template <bool Validate>
bool append_impl(std::string& out, char prefix, std::string_view s, hex_case hex) {
  const char* digits = hex == hex_case::upper ? "0123456789ABCDEF" : "0123456789abcdef";
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  const auto e = p + s.size();
  if (s.size() <= short_string) {
    // Worst case: every byte a 6-byte escape, plus prefix, quotes and the slack.
    char buf[2 + 6 * short_string + 1 + 16];
    char* o = buf;
    if (prefix != '\0') *o++ = prefix;
    *o++ = '"';
    // 6 x input left + 17 >= input left + 22 for any input left: grow is never called.
    o = escape_into<Validate>(o, buf + sizeof buf, p, e, digits,
                              [](char* at, std::size_t, char*&) { return at; });
    if (o == nullptr) return false;
    *o++ = '"';
    out.append(buf, static_cast<std::size_t>(o - buf));
    return true;
  }
  const std::size_t old = out.size();
  // Room for the whole text when nothing needs escaping, plus the slack; escapes grow it.
  out.resize(old + s.size() + 3 + 16);
  char* o = out.data() + old;
  if (prefix != '\0') *o++ = prefix;
  *o++ = '"';
  o = escape_into<Validate>(o, out.data() + out.size(), p, e, digits,
                            [&out](char* at, std::size_t room, char*& lim) {
                              const auto offset = static_cast<std::size_t>(at - out.data());
                              out.resize(offset + room);
                              lim = out.data() + out.size();
                              return out.data() + offset;
                            });
  if (o == nullptr) {
    out.resize(old);
    return false;
  }
  *o++ = '"';
  out.resize(static_cast<std::size_t>(o - out.data()));
  return true;
}

}  // namespace

bool append_json_string(std::string& out, char prefix, std::string_view s, hex_case hex,
                        bool validate) {
  return validate ? append_impl<true>(out, prefix, s, hex)
                  : append_impl<false>(out, prefix, s, hex);
}

}  // namespace harness::detail
