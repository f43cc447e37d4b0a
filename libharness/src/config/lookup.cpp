// lookup.cpp: the process environment, and finding providers and model routes by name.
#include <cstdlib>
#include <string>

#include <harness/config.h>

#include "config/internal.h"

namespace harness {
inline namespace v0 {

env_lookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);  // getenv needs a terminated string
    const char* value = std::getenv(key.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

const provider_config* config::find_provider(std::string_view name) const noexcept {
  for (const provider_config& p : providers) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const model_route* config::find_model(std::string_view name) const noexcept {
  if (const model_route* r = detail::match_route(*this, name)) return r;
  if (default_model.empty()) return nullptr;
  return detail::match_route(*this, default_model);
}

}  // namespace v0

namespace detail {

const model_route* match_route(const config& cfg, std::string_view name) noexcept {
  for (const model_route& r : cfg.models) {
    if (r.name == name) return &r;
  }
  const model_route* best = nullptr;
  for (const model_route& r : cfg.models) {
    if (r.name.empty() || r.name.back() != '*') continue;
    const std::string_view prefix = std::string_view(r.name).substr(0, r.name.size() - 1);
    if (name.substr(0, prefix.size()) != prefix) continue;
    if (best == nullptr || prefix.size() + 1 > best->name.size()) best = &r;
  }
  return best;
}

}  // namespace detail
}  // namespace harness
