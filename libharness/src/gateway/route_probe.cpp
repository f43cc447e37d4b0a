// Route states for routes() and the start-up / on-demand probe of every route.
#include "gateway/route_probe.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>

#include "gateway/discovery.h"
#include "gateway/routes.h"

namespace harness::detail {

std::string route_facts_model(const model_route& route) {
  if (!route.model.empty()) return route.model;
  if (!route.name.empty() && route.name.back() == '*') return {};
  return route.name;  // no upstream id: the public name passes through
}

std::vector<route_state> route_states(const gateway_core& core) {
  const config& cfg = *core.cfg;
  const auto facts = core.capabilities->snapshot();
  std::vector<route_state> out;
  out.reserve(cfg.models.size());
  for (const auto& route : cfg.models) {
    route_state s = config_route_state(cfg, route);
    const auto it = facts.find(facts_key(route.provider, route_facts_model(route)));
    apply_facts(s, cfg, route, it == facts.end() ? nullptr : &it->second);
    out.push_back(std::move(s));
  }
  return out;
}

void probe_all(const std::shared_ptr<gateway_core>& core, std::chrono::milliseconds timeout) {
  struct pending {
    std::mutex mu;
    std::condition_variable cv;
    int left = 0;
  };
  auto wait = std::make_shared<pending>();
  const config& cfg = *core->cfg;
  std::set<std::string> asked;
  std::vector<std::pair<const provider_config*, std::string>> todo;
  for (const auto& route : cfg.models) {
    const provider_config* p = cfg.find_provider(route.provider);
    // A missing key is already known (config_route_state says no_key): nothing to ask.
    if (p == nullptr || (!p->api_key_env.empty() && !p->key_present())) continue;
    const std::string model = route_facts_model(route);
    if (asked.insert(facts_key(p->name, model)).second) todo.emplace_back(p, model);
  }
  wait->left = static_cast<int>(todo.size());
  for (const auto& [provider, model] : todo) {
    const std::string key = facts_key(provider->name, model);
    // The callbacks hold the core: they may end after this call timed out.
    discover(*core->upstream, *provider, cfg.server, model, timeout,
             [wait, core, key](model_facts facts) {
               core->capabilities->complete(key, std::move(facts));
               std::lock_guard lock(wait->mu);
               --wait->left;
               wait->cv.notify_all();
             });
  }
  std::unique_lock lock(wait->mu);
  wait->cv.wait_for(lock, timeout + std::chrono::milliseconds(500), [&] { return wait->left == 0; });
}

}  // namespace harness::detail
