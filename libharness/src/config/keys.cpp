// keys.cpp: spelling of config keys in messages, "did you mean", variable-name checks.
#include <algorithm>
#include <string>
#include <vector>

#include "config/internal.h"

namespace harness::detail {
namespace {

bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Edit distance counting a swap of two neighbours as one edit (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

bool is_env_var_name(std::string_view name) noexcept {
  if (name.empty() || is_digit(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '_'; });
}

bool looks_like_secret(std::string_view name) noexcept {
  // Variable names are conventionally upper case; keys are long mixes of cases and digits.
  const bool lower = std::any_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  const bool digit = std::any_of(name.begin(), name.end(), is_digit);
  return name.size() >= 24 && lower && digit;
}

std::string key_segment(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-';
  });
  if (bare) return std::string(key);
  std::string out = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string provider_key(std::string_view name) { return "providers." + key_segment(name); }

std::string model_key(std::size_t index) { return "models[" + std::to_string(index) + "]"; }

std::string did_you_mean(std::string_view key, std::span<const std::string_view> candidates) {
  std::string_view best;
  std::size_t best_distance = 0;
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(key, c);
    // A truncated name ("api_key" for "api_key_env") is as good as a one-letter typo.
    if (key.size() >= 4 && c.substr(0, key.size()) == key) d = 1;
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  // Close enough to be a typo: at most 2 edits, and fewer than half of the word.
  if (best.empty() || best_distance > 2 || best_distance * 2 >= std::max(key.size(), best.size()))
    return {};
  return " (did you mean '" + std::string(best) + "'?)";
}

}  // namespace harness::detail
