// events_route.h: GET /v1/harness/events, the live exchange stream (SSE) `harness-cli watch` reads.
#pragma once

#include <atomic>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace harness_server {

class event_hub;

/// Subscribes the caller (already authorized) to `hub` and streams `text/event-stream` until
/// the watcher leaves or `stopping` turns true (the stream then ends cleanly). 503 when too
/// many watchers are connected.
void serve_events(event_hub& hub, const std::atomic<bool>& stopping, const httplib::Request& req,
                  httplib::Response& res);

}  // namespace harness_server
