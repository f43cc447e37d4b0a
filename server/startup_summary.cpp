#include "startup_summary.h"

#include <fmt/format.h>

namespace harness_server {
namespace {

const char* key_text(const harness::route_state& r) {
  if (!r.key_needed) return "not needed";
  return r.key_present ? "yes" : "no";
}

// "no_key" -> "no key": the words a person reads.
std::string health_text(const std::string& health) {
  std::string out = health;
  for (char& c : out)
    if (c == '_') c = ' ';
  return out;
}

}  // namespace

void print_startup_summary(const harness::config& cfg,
                           const std::vector<harness::route_state>& routes, int port,
                           std::FILE* out) {
  std::string text = fmt::format("harness-server listening on http://{}:{} (config: {}{})\n",
                                 cfg.server.host, port, cfg.source,
                                 cfg.env_file.empty() ? "" : ", env: " + cfg.env_file);
  const auto row = [](std::string_view model, std::string_view provider,
                      std::string_view upstream, std::string_view policy, std::string_view key,
                      std::string_view health) {
    return fmt::format("  {:<28} {:<14} {:<28} {:<14} {:<10} {}", model, provider, upstream,
                       policy, key, health);
  };
  text += row("model", "provider", "upstream", "policy", "key", "health") + "\n";
  std::size_t flagged = 0;
  for (const auto& r : routes) {
    text += row(r.name, r.provider, r.upstream_model.empty() ? "(as requested)" : r.upstream_model,
                r.policy, key_text(r), health_text(r.health));
    if (!r.usable()) {
      ++flagged;
      text += "  !! " + health_text(r.health) + (r.detail.empty() ? "" : ": " + r.detail);
    }
    text += "\n";
  }
  if (flagged != 0) {
    text += fmt::format("  {} route(s) cannot answer yet (marked !!); GET /health shows them too\n",
                        flagged);
  }
  std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace harness_server
