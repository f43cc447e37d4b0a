// ascii.h: ASCII case folding for protocol text (HTTP header names, tokens), independent of
// the C locale that std::tolower consults.
//
// Internal to the library.
#pragma once

#include <string_view>

namespace harness::detail {

constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Equal ignoring ASCII case: "Content-Type" and "content-type" (RFC 9110 header names).
constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace harness::detail
