#include "startup_summary.h"

#include <fmt/format.h>

namespace harness_server {
namespace {

std::string policy_text(const harness::model_policy& p) {
  std::string out;
  auto add = [&out](const char* s) {
    if (!out.empty()) out += ',';
    out += s;
  };
  if (p.strip_tools) add("strip_tools");
  if (p.rescue) add("rescue");
  if (p.emulate_tools) add("emulate_tools");
  return out.empty() ? "native" : out;
}

}  // namespace

void print_startup_summary(const harness::config& cfg, int port, std::FILE* out) {
  std::string text = fmt::format("harness-server listening on http://{}:{} (config: {}{})\n",
                                 cfg.server.host, port, cfg.source,
                                 cfg.env_file.empty() ? "" : ", env: " + cfg.env_file);
  text += fmt::format("  {:<28} {:<14} {:<28} {:<14} {}\n", "model", "provider", "upstream",
                      "policy", "key");
  for (const auto& m : cfg.models) {
    const auto* p = cfg.find_provider(m.provider);
    const char* key = p == nullptr               ? "unknown provider"
                      : p->api_key_env.empty()   ? "not needed"
                      : p->key_present()         ? "yes"
                                                 : "MISSING";
    text += fmt::format("  {:<28} {:<14} {:<28} {:<14} {}\n", m.name, m.provider,
                        m.model.empty() ? "(as requested)" : m.model, policy_text(m.policy), key);
  }
  std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace harness_server
