#include "wire.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>

namespace fake {

namespace {

std::uint64_t mix(std::uint64_t z) {  // splitmix64 finaliser
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::string make_id(std::string_view prefix, std::size_t n, std::string_view alphabet) {
  static const std::uint64_t seed =
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t state = mix(seed ^ (counter.fetch_add(1) * 0xD1B54A32D192ED03ull));
  std::string out(prefix);
  for (std::size_t i = 0; i < n; ++i) {
    state = mix(state + 0x9E3779B97F4A7C15ull);
    out.push_back(alphabet[state % alphabet.size()]);
  }
  return out;
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string rfc3339_now() {
  auto now = std::chrono::system_clock::now();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string frac = std::to_string(ns % 1000000000);
  return std::string(buf, n) + "." + std::string(9 - frac.size(), '0') + frac + "Z";
}

std::vector<std::string> fragments(std::string_view text) {
  static constexpr std::size_t kSizes[] = {4, 9, 2, 13, 6, 1, 8};
  std::size_t scale = text.size() / 400 + 1;
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < text.size(); ++i) {
    std::size_t end = std::min(text.size(), pos + kSizes[i % 7] * scale);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    out.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::string sse_event(std::string_view name, std::string_view json) {
  std::string out = "event: ";
  out.append(name).append("\ndata: ").append(json).append("\n\n");
  return out;
}

std::string sse_data(std::string_view json) {
  std::string out = "data: ";
  out.append(json).append("\n\n");
  return out;
}

}  // namespace fake
