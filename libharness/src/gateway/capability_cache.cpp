// The per-gateway cache of model facts: one in-flight discovery per model, waiters resumed
// when it ends; failures are trusted for a shorter time than answers.
#include "gateway/capability_cache.h"

#include <algorithm>

namespace harness::detail {
namespace {

// A failed discovery (backend down, no /api/show) is retried sooner than an answer expires:
// the backend may come up a moment later.
constexpr std::chrono::seconds failure_ttl{30};

}  // namespace

bool model_facts::has(const std::string& capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

std::string facts_key(const std::string& provider, const std::string& upstream_model) {
  return provider + '\n' + upstream_model;
}

bool capability_cache::fresh(const entry& e, clock::time_point now) const {
  if (!e.has_facts) return false;
  const auto ttl = e.facts.answered ? ttl_ : std::min(ttl_, failure_ttl);
  return now - e.stored < ttl;
}

capability_cache::entry& capability_cache::slot(const std::string& key) {
  if (const auto it = entries_.find(key); it != entries_.end()) return it->second;
  if (entries_.size() >= max_entries_) {
    const auto now = now_();
    // Entries with a discovery in flight have waiters: they always stay.
    std::erase_if(entries_, [&](const auto& kv) { return !kv.second.in_flight && !fresh(kv.second, now); });
    if (entries_.size() >= max_entries_) {
      auto oldest = entries_.end();
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (!it->second.in_flight && (oldest == entries_.end() || it->second.stored < oldest->second.stored)) {
          oldest = it;
        }
      }
      if (oldest != entries_.end()) entries_.erase(oldest);
    }
  }
  return entries_[key];
}

std::optional<model_facts> capability_cache::peek(const std::string& key) const {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it == entries_.end() || !fresh(it->second, now_())) return std::nullopt;
  return it->second.facts;
}

std::optional<model_facts> capability_cache::get_or_wait(const std::string& key, waiter on_ready,
                                                         bool& start) {
  std::lock_guard lock(mu_);
  entry& e = slot(key);
  start = false;
  if (!e.in_flight && fresh(e, now_())) return e.facts;
  e.waiters.push_back(std::move(on_ready));
  if (!e.in_flight) {
    e.in_flight = true;
    start = true;
  }
  return std::nullopt;
}

void capability_cache::complete(const std::string& key, model_facts facts) {
  std::vector<waiter> waiters;
  {
    std::lock_guard lock(mu_);
    entry& e = slot(key);
    // A new round starts from what the backend says now: learned facts expire with the entry
    // they were learned on (a model fixed upstream gets its native tools back).
    e.facts = facts;
    e.stored = now_();
    e.has_facts = true;
    e.in_flight = false;
    waiters.swap(e.waiters);
  }
  for (auto& w : waiters) w(facts);
}

void capability_cache::learn(const std::string& key, bool no_tools, bool no_thinking) {
  std::lock_guard lock(mu_);
  entry& e = slot(key);
  if (!e.has_facts) {
    e.has_facts = true;
    e.stored = now_();
  }
  e.facts.learned_no_tools = e.facts.learned_no_tools || no_tools;
  e.facts.learned_no_thinking = e.facts.learned_no_thinking || no_thinking;
}

std::map<std::string, model_facts> capability_cache::snapshot() const {
  std::lock_guard lock(mu_);
  std::map<std::string, model_facts> out;
  for (const auto& [key, e] : entries_) {
    if (e.has_facts) out.emplace(key, e.facts);
  }
  return out;
}

}  // namespace harness::detail
