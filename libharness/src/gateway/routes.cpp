// What the gateway knows about each route: config facts now; discovery fills in the rest.
#include <harness/gateway.h>

#include "gateway/routes.h"

namespace harness::detail {

std::string policy_name(const model_policy& p) {
  if (p.emulate_tools) return "emulate_tools";
  if (p.strip_tools) return "strip_tools";
  return p.rescue ? "native+rescue" : "native";
}

route_state config_route_state(const config& cfg, const model_route& route) {
  route_state s;
  s.name = route.name;
  s.provider = route.provider;
  s.upstream_model = route.model;
  s.policy = policy_name(route.policy);
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
    s.detail = "set " + p->api_key_env +
               (cfg.env_file.empty() ? std::string(" in the environment")
                                     : " in the environment or in " + cfg.env_file);
  }
  return s;
}

}  // namespace harness::detail
