// What the gateway knows about each route (config facts, refined by discovery and learning),
// and the policy an exchange applies.
#include <harness/gateway.h>

#include <algorithm>

#include "gateway/routes.h"

namespace harness::detail {

std::string policy_name(const model_policy& p) {
  if (p.emulate_tools) return "emulate_tools";
  if (p.strip_tools) return "strip_tools";
  return p.rescue ? "native+rescue" : "native";
}

bool is_automatic(const config& cfg, const model_route& route) {
  const model_policy& p = route.policy;
  if (p.choice == policy_choice::automatic) return true;
  if (p.choice != policy_choice::unset || p.rescue || p.emulate_tools || p.strip_tools) return false;
  const provider_config* provider = cfg.find_provider(route.provider);
  return provider != nullptr && provider->kind == dialect::ollama;
}

resolved_policy resolve_policy(const config& cfg, const model_route& route,
                               const model_facts* facts) {
  resolved_policy r;
  const model_policy& p = route.policy;
  if (facts != nullptr) r.context_length = facts->context_length;
  if (!is_automatic(cfg, route)) {
    r.strip_tools = p.strip_tools;
    r.emulate_tools = p.emulate_tools;
    r.rescue = p.rescue;
    r.name = policy_name(p);
    const bool set = p.choice != policy_choice::unset || p.rescue || p.emulate_tools || p.strip_tools;
    r.source = set ? "config" : "default";
    return r;
  }
  model_policy chosen;
  chosen.rescue = true;  // native tools, and calls printed as text promoted
  r.source = "default";
  if (facts != nullptr) {
    if (facts->answered) r.source = "discovered";
    if (facts->no_tools()) {
      chosen.emulate_tools = p.on_no_tools == no_tools_action::emulate;
      chosen.strip_tools = p.on_no_tools == no_tools_action::strip;
      chosen.rescue = chosen.emulate_tools;
    }
    r.drop_thinking = facts->no_thinking();
    if (facts->learned_no_tools || facts->learned_no_thinking) r.source = "learned";
  }
  r.strip_tools = chosen.strip_tools;
  r.emulate_tools = chosen.emulate_tools;
  r.rescue = chosen.rescue;
  r.name = policy_name(chosen);
  return r;
}

std::int64_t pick_num_ctx(std::int64_t context_length, std::size_t request_bytes,
                          std::int64_t max_tokens) {
  if (context_length <= 0) return 0;
  constexpr std::int64_t floor = 8192;
  const std::int64_t need = static_cast<std::int64_t>(request_bytes / 4) +
                            (max_tokens > 0 ? max_tokens : 4096);
  std::int64_t size = floor;
  while (size < need && size < (std::int64_t{1} << 40)) size *= 2;
  return std::min(size, context_length);
}

std::string missing_key_hint(const config& cfg, const provider_config& provider) {
  std::string where = " in the environment";
  if (!cfg.env_file.empty()) {
    where += " or in " + cfg.env_file;
  } else if (!cfg.source.empty() && cfg.source.front() != '<') {
    // No .env was read: say where the proxy looks for one.
    where += " or in a .env beside " + cfg.source + " (none found)";
  }
  return "set " + provider.api_key_env + where;
}

route_state config_route_state(const config& cfg, const model_route& route) {
  route_state s;
  s.name = route.name;
  s.provider = route.provider;
  s.upstream_model = route.model;
  const resolved_policy pol = resolve_policy(cfg, route, nullptr);
  s.policy = is_automatic(cfg, route) ? "auto" : pol.name;
  s.policy_source = pol.source;
  const provider_config* p = cfg.find_provider(route.provider);
  if (p == nullptr) {
    s.health = "unreachable";
    s.detail = "unknown provider '" + route.provider + "'";
    return s;
  }
  s.key_env = p->api_key_env;
  s.key_needed = !p->api_key_env.empty();
  s.key_present = p->key_present();
  if (s.key_needed && !s.key_present) {
    s.health = "no_key";
    s.detail = missing_key_hint(cfg, *p);
  }
  return s;
}

void apply_facts(route_state& s, const config& cfg, const model_route& route,
                 const model_facts* facts) {
  if (facts == nullptr) return;
  const bool prefix = !route.name.empty() && route.name.back() == '*' && route.model.empty();
  if (!prefix && is_automatic(cfg, route)) {
    const resolved_policy pol = resolve_policy(cfg, route, facts);
    s.policy = pol.name;
    s.policy_source = pol.source;
  }
  s.capabilities = facts->capabilities;
  if (facts->learned_no_tools) s.capabilities.erase(std::remove(s.capabilities.begin(), s.capabilities.end(), "tools"), s.capabilities.end());
  if (facts->learned_no_thinking) s.capabilities.erase(std::remove(s.capabilities.begin(), s.capabilities.end(), "thinking"), s.capabilities.end());
  s.context_length = facts->context_length;
  if (s.health != "no_key" && facts->health != "unknown") {
    s.health = facts->health;
    s.detail = facts->detail;
  } else if (s.health != "no_key" && !facts->detail.empty()) {
    s.detail = facts->detail;
  }
}

}  // namespace harness::detail
