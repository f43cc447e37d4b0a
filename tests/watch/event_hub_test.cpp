// The server's event hub: fan-out to watchers, bounded queues, pings, clean end at stop.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "event_hub.h"

using harness_server::event_hub;
using harness_server::event_hub_options;
using namespace std::chrono_literals;

namespace {

// Everything a subscription has queued now.
std::string drain(harness_server::event_subscription& s) {
  bool ended = false;
  return s.next(0ms, ended);
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("every watcher gets hello, then each exchange as an SSE event", "[event_hub]") {
  event_hub hub;
  CHECK_FALSE(hub.has_subscribers());
  auto a = hub.subscribe(R"({"version":"1"})");
  auto b = hub.subscribe(R"({"version":"1"})");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(hub.has_subscribers());
  hub.publish(R"({"model":"m1"})");
  hub.publish(R"({"model":"m2"})");
  const std::string expected =
      "event: hello\ndata: {\"version\":\"1\"}\n\n"
      "event: exchange\ndata: {\"model\":\"m1\"}\n\n"
      "event: exchange\ndata: {\"model\":\"m2\"}\n\n";
  CHECK(drain(*a) == expected);
  CHECK(drain(*b) == expected);
  a->cancel();
  hub.publish(R"({"model":"m3"})");
  CHECK(drain(*a).empty());
  CHECK(drain(*b) == "event: exchange\ndata: {\"model\":\"m3\"}\n\n");
}

TEST_CASE("a watcher that does not read loses events and is told how many", "[event_hub]") {
  event_hub_options o;
  o.queue_limit = 4;
  event_hub hub(o);
  auto slow = hub.subscribe("{}");  // hello takes one of the four places
  REQUIRE(slow != nullptr);
  // publish() returns for every event although nobody reads: the gateway never waits.
  for (int i = 0; i < 1000; ++i) hub.publish("{\"n\":" + std::to_string(i) + "}");
  const std::string got = drain(*slow);
  CHECK(count_of(got, "event: exchange\n") == 3);
  CHECK(got.find("data: {\"n\":0}") != std::string::npos);
  CHECK(got.find("data: {\"n\":2}") != std::string::npos);
  CHECK(got.find("data: {\"n\":3}") == std::string::npos);
  // The notice comes after the events that were kept.
  CHECK(got.ends_with("event: exchange\ndata: {\"n\":2}\n\nevent: dropped\ndata: {\"count\":997}\n\n"));
  // Once read, it gets new events again.
  hub.publish(R"({"n":"next"})");
  CHECK(drain(*slow) == "event: exchange\ndata: {\"n\":\"next\"}\n\n");
}

TEST_CASE("a silent stream gets a ping comment", "[event_hub]") {
  event_hub_options o;
  o.ping_interval = 30ms;
  event_hub hub(o);
  auto s = hub.subscribe("{}");
  REQUIRE(s != nullptr);
  CHECK(drain(*s).find("event: hello") == 0);
  bool ended = false;
  std::string out;
  for (int i = 0; i < 100 && out.empty(); ++i) out = s->next(10ms, ended);
  CHECK(out == ": ping\n\n");
  CHECK_FALSE(ended);
}

TEST_CASE("closing the hub ends every watcher after what it queued, and no new ones", "[event_hub]") {
  event_hub hub;
  auto s = hub.subscribe("{}");
  REQUIRE(s != nullptr);
  hub.publish(R"({"last":true})");
  // A reader blocked in next() wakes at close.
  std::string got;
  bool ended = false;
  std::thread reader([&] {
    (void)s->next(0ms, ended);  // hello + the event
    got = s->next(10s, ended);
  });
  std::this_thread::sleep_for(20ms);
  hub.close();
  reader.join();
  CHECK(ended);
  CHECK(got.empty());
  CHECK(hub.subscribe("{}") == nullptr);
  CHECK_FALSE(hub.has_subscribers());
}

TEST_CASE("watchers beyond the limit are refused", "[event_hub]") {
  event_hub_options o;
  o.max_subscribers = 2;
  event_hub hub(o);
  auto a = hub.subscribe("{}");
  auto b = hub.subscribe("{}");
  CHECK(a != nullptr);
  CHECK(b != nullptr);
  CHECK(hub.subscribe("{}") == nullptr);
  a->cancel();  // a watcher that left frees its place
  CHECK(hub.subscribe("{}") != nullptr);
}
