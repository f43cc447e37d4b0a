// capability_cache.h: what each backend said about each model (discovery) and what its errors
// taught us, per (provider, upstream model), with a TTL. One per gateway (no globals).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace harness::detail {

/// The facts about one model. `answered` false: the backend could not say (failure, timeout,
/// or a listing without capability fields): nothing is known beyond `health`.
struct model_facts {
  bool answered = false;
  /// The backend listed capabilities ("tools", "thinking", ...); false: it says nothing about
  /// them (an OpenAI-compatible listing without `supported_parameters`).
  bool capabilities_known = false;
  std::vector<std::string> capabilities;
  std::int64_t context_length = 0;  ///< 0: unknown
  std::string health = "unknown";   ///< "ok", "unreachable", "model_missing", "no_key", "unknown"
  std::string detail;
  // Learned from upstream errors (they override what discovery said).
  bool learned_no_tools = false;
  bool learned_no_thinking = false;

  bool has(const std::string& capability) const;
  /// Known to lack tool support (discovery or an error said so).
  bool no_tools() const { return learned_no_tools || (capabilities_known && !has("tools")); }
  bool no_thinking() const {
    return learned_no_thinking || (capabilities_known && !has("thinking"));
  }
};

class capability_cache {
 public:
  using clock = std::chrono::steady_clock;
  using waiter = std::function<void(const model_facts&)>;

  /// At most `max_entries` models are remembered: prefix routes let clients name models, so a
  /// new name past the bound first evicts expired entries, then the oldest one.
  explicit capability_cache(std::chrono::seconds ttl, std::size_t max_entries = 1024)
      : ttl_(ttl), max_entries_(max_entries) {}

  /// The facts for `key` when fresh, without starting anything.
  std::optional<model_facts> peek(const std::string& key) const;
  /// The fresh facts (returned), or nullopt with `on_ready` queued for when discovery ends.
  /// `start` is set true for exactly one caller per round: it must run the discovery and hand
  /// its result to complete(). Concurrent callers share that one discovery.
  std::optional<model_facts> get_or_wait(const std::string& key, waiter on_ready, bool& start);
  /// Stores a discovery result (learned facts of the entry it replaces are kept while fresh)
  /// and runs the queued waiters with it (outside the lock, on the calling thread).
  void complete(const std::string& key, model_facts facts);
  /// Records what an upstream error taught (no tools / no thinking) for `key`.
  void learn(const std::string& key, bool no_tools, bool no_thinking);
  /// Every entry (fresh or not), for routes().
  std::map<std::string, model_facts> snapshot() const;

  /// Replaces the clock (tests).
  void set_clock(std::function<clock::time_point()> now) { now_ = std::move(now); }

 private:
  struct entry {
    model_facts facts;
    clock::time_point stored{};
    bool has_facts = false;
    bool in_flight = false;
    std::vector<waiter> waiters;
  };
  bool fresh(const entry& e, clock::time_point now) const;
  /// The entry for `key`, made (after evicting, when the cache is full) if missing. Locked.
  entry& slot(const std::string& key);

  std::chrono::seconds ttl_;
  std::size_t max_entries_;
  std::function<clock::time_point()> now_ = [] { return clock::now(); };
  mutable std::mutex mu_;
  std::map<std::string, entry> entries_;
};

/// The cache key of a model on a provider.
std::string facts_key(const std::string& provider, const std::string& upstream_model);

}  // namespace harness::detail
