#include "ir/ids.h"

namespace harness::detail {

std::uint64_t fnv1a(std::string_view data, std::uint64_t seed) noexcept {
  std::uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string synthesize_call_id(std::string_view seed, std::size_t index, std::string_view prefix) {
  std::uint64_t h = fnv1a(seed);
  const std::string idx = std::to_string(index);
  h = fnv1a(idx, h ^ 0x9e3779b97f4a7c15ULL);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(prefix);
  for (int shift = 60; shift >= 0; shift -= 4) out += hex[(h >> shift) & 0xF];
  return out;
}

namespace {
bool id_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
}  // namespace

std::string sanitize_call_id(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (char c : id) out += id_char(c) ? c : '_';
  return out;
}

bool is_sanitized_call_id(std::string_view id) noexcept {
  for (char c : id) {
    if (!id_char(c)) return false;
  }
  return true;
}

}  // namespace harness::detail
