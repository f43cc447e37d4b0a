#include "events_route.h"

#include <httplib.h>

#include <chrono>
#include <memory>

#include <harness/codec.h>
#include <harness/version.h>

#include "event_hub.h"

namespace harness_server {

void serve_events(event_hub& hub, const std::atomic<bool>& stopping, const httplib::Request&,
                  httplib::Response& res) {
  const std::string hello = std::string("{\"server\":\"harness-server\",\"version\":\"") +
                            harness::version() + "\"}";
  std::shared_ptr<event_subscription> sub = hub.subscribe(hello);
  if (sub == nullptr) {
    res.status = 503;
    res.set_header("retry-after", "5");
    harness::error err = harness::make_error(harness::errc::upstream_transport,
                                             "too many watchers connected; try again later");
    err.http_status = 503;
    res.set_content(harness::encode_error(harness::dialect::openai, err), "application/json");
    return;
  }
  res.set_header("Cache-Control", "no-cache");
  // A watcher that stops reading blocks only this worker thread (sink.write, bounded by the
  // server's write timeout); the gateway's publish never waits for it.
  res.set_chunked_content_provider(
      "text/event-stream",
      [sub, &stopping](std::size_t, httplib::DataSink& sink) {
        for (;;) {
          bool ended = false;
          const std::string out = sub->next(std::chrono::milliseconds(250), ended);
          if (!out.empty() && !sink.write(out.data(), out.size())) break;
          if (ended || stopping.load()) {
            sink.done();
            sub->cancel();
            return true;
          }
          if (out.empty() && !sink.is_writable()) break;
        }
        sub->cancel();
        return false;
      },
      [sub](bool) { sub->cancel(); });
}

}  // namespace harness_server
