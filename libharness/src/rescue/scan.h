// scan.h: find the next of a few bytes, 16 bytes at a time where SSE2 is available (always on
// x86-64). The rescuer's hot loops (prose between markers, strings inside a call) are skips to
// the next interesting byte.
#pragma once

#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace harness::detail::rescue {

/// Index of the first byte in data[from, to) equal to one of `needles`, or `to`.
template <char... Needles>
inline std::size_t scan_any(const char* data, std::size_t from, std::size_t to) noexcept {
  std::size_t i = from;
#if defined(__SSE2__)
  while (i + 16 <= to) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    __m128i hit = _mm_setzero_si128();
    ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(Needles)))), ...);
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    i += 16;
  }
#endif
  for (; i < to; ++i) {
    const char c = data[i];
    if (((c == Needles) || ...)) return i;
  }
  return to;
}

/// Bytes that can change the state in normal mode: marker leads, code spans, line starts.
inline std::size_t scan_lead(const char* data, std::size_t from, std::size_t to) noexcept {
  return scan_any<'<', '[', '>', '`', '\n'>(data, from, to);
}

/// Bytes that matter while detecting a forced-open reasoning block.
inline std::size_t scan_detect(const char* data, std::size_t from, std::size_t to) noexcept {
  return scan_any<'<', '[', '`', '\n'>(data, from, to);
}

/// Next '<' or '[' (every reasoning closer and call opener starts with one of them).
inline std::size_t scan_angle_or_bracket(const char* data, std::size_t from,
                                         std::size_t to) noexcept {
  return scan_any<'<', '['>(data, from, to);
}

/// Longest tool name (or other bounded head) read before giving up.
inline constexpr std::size_t max_name = 160;

inline bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Backtick runs are counted up to this length (a longer run counts as this long).
inline constexpr std::size_t max_tick_run = 32;

}  // namespace harness::detail::rescue
