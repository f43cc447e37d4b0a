#include "events_route.h"

#include <chrono>
#include <memory>

#include <harness/codec.h>
#include <harness/version.h>

#include "event_hub.h"
#include "front/exchange.h"

namespace harness_server {

void watcher_threads::reap_locked() {
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
}

void watcher_threads::join_all() {
  std::list<entry> all;
  {
    std::lock_guard lock(mu_);
    all.swap(threads_);
  }
  for (auto& e : all) e.thread.join();
}

void serve_events(event_hub& hub, const std::atomic<bool>& stopping, watcher_threads& threads,
                  const std::shared_ptr<exchange>& reply) {
  const std::string hello = std::string("{\"server\":\"harness-server\",\"version\":\"") +
                            harness::version() + "\"}";
  std::shared_ptr<event_subscription> sub = hub.subscribe(hello);
  if (sub == nullptr) {
    harness::error err = harness::make_error(harness::errc::upstream_transport,
                                             "too many watchers connected; try again later");
    err.http_status = 503;
    reply->reply(503, "application/json", harness::encode_error(harness::dialect::openai, err),
                 {{"retry-after", "5"}});
    return;
  }
  reply->on_head(200, "text/event-stream", {});
  // A watcher that stops reading holds only its own queue (bounded by the hub, which drops
  // and says so); the gateway's publish never waits for it.
  threads.start([sub, reply, &stopping] {
    const std::stop_token left = reply->stop_token();
    for (;;) {
      bool ended = false;
      const std::string out = sub->next(std::chrono::milliseconds(250), ended);
      if (!out.empty() && !reply->on_body(out)) break;
      if (ended || stopping.load()) {
        reply->on_end();
        break;
      }
      if (left.stop_requested()) break;
      // Hold back while the client's queue is full: the hub drops for a slow watcher.
      while (!reply->ready_for_body() && !left.stop_requested() && !stopping.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    sub->cancel();
  });
}

}  // namespace harness_server
