// The gateway's cache of model facts (policy = "auto"): TTLs, shared discovery, a bound on size.
#include <catch2/catch.hpp>

#include <string>

#include "gateway/capability_cache.h"

using harness::detail::capability_cache;
using harness::detail::model_facts;
using namespace std::chrono_literals;

namespace {

struct fake_clock {
  capability_cache::clock::time_point now{};
  void install(capability_cache& c) {
    c.set_clock([this] { return now; });
  }
};

model_facts answered(const char* capability) {
  model_facts f;
  f.answered = true;
  f.capabilities_known = true;
  f.capabilities = {capability};
  f.health = "ok";
  return f;
}

// Runs one discovery round for `key` that answers `facts`.
void discover(capability_cache& c, const std::string& key, const model_facts& facts) {
  bool start = false;
  REQUIRE_FALSE(c.get_or_wait(key, [](const model_facts&) {}, start));
  REQUIRE(start);
  c.complete(key, facts);
}

}  // namespace

TEST_CASE("concurrent askers share one discovery and all get its answer") {
  capability_cache c(600s);
  int woken = 0;
  bool first = false, second = false;
  CHECK_FALSE(c.get_or_wait("p\nm", [&](const model_facts& f) { woken += f.has("tools"); }, first));
  CHECK_FALSE(c.get_or_wait("p\nm", [&](const model_facts& f) { woken += f.has("tools"); }, second));
  CHECK(first);
  CHECK_FALSE(second);  // only one caller runs the discovery
  c.complete("p\nm", answered("tools"));
  CHECK(woken == 2);
  bool again = true;
  const auto fresh = c.get_or_wait("p\nm", [](const model_facts&) {}, again);
  REQUIRE(fresh);
  CHECK(fresh->has("tools"));
  CHECK_FALSE(again);
}

TEST_CASE("answers expire after the TTL, failures after at most 30 s") {
  capability_cache c(600s);
  fake_clock clock;
  clock.install(c);
  discover(c, "p\nok", answered("tools"));
  model_facts failed;
  failed.health = "unreachable";
  discover(c, "p\ndown", failed);
  clock.now += 31s;
  CHECK(c.peek("p\nok"));
  CHECK_FALSE(c.peek("p\ndown"));
  clock.now += 600s;
  CHECK_FALSE(c.peek("p\nok"));
}

TEST_CASE("what an error taught overrides discovery until the entry is discovered again") {
  capability_cache c(600s);
  fake_clock clock;
  clock.install(c);
  discover(c, "p\nliar", answered("tools"));
  c.learn("p\nliar", true, false);
  auto f = c.peek("p\nliar");
  REQUIRE(f);
  CHECK(f->no_tools());
  clock.now += 601s;
  discover(c, "p\nliar", answered("tools"));
  f = c.peek("p\nliar");
  REQUIRE(f);
  CHECK_FALSE(f->no_tools());
}

TEST_CASE("client-chosen model names cannot grow the cache without bound") {
  capability_cache c(600s, 4);
  fake_clock clock;
  clock.install(c);
  for (int i = 0; i < 4; ++i) {
    discover(c, "p\nm" + std::to_string(i), answered("tools"));
    clock.now += 1s;
  }
  clock.now += 700s;  // all answers expired
  // A discovery in flight is never evicted: its askers wait for it.
  bool start = false;
  int woken = 0;
  REQUIRE_FALSE(c.get_or_wait("p\nm0", [&](const model_facts&) { ++woken; }, start));
  REQUIRE(start);
  discover(c, "p\nnew", answered("tools"));  // evicts the expired m1..m3, not m0
  CHECK(c.snapshot().size() == 2);
  c.complete("p\nm0", answered("tools"));
  CHECK(woken == 1);
  CHECK(c.peek("p\nnew"));
  CHECK(c.peek("p\nm0"));
  // Full of fresh entries: the oldest goes.
  for (int i = 0; i < 10; ++i) {
    clock.now += 1s;
    discover(c, "p\nx" + std::to_string(i), answered("tools"));
  }
  const auto all = c.snapshot();
  CHECK(all.size() == 4);
  CHECK(all.count("p\nx9") == 1);
  CHECK(all.count("p\nx6") == 1);
  CHECK(all.count("p\nx5") == 0);
}
