// curl_transport.h: the libcurl implementation of harness::transport (library harness::curl).
//
// One transport owns one I/O thread and one libcurl multi handle. Every transfer started on it
// runs on that thread, so connections (HTTP/1.1 keep-alive and HTTP/2 multiplexing), DNS and TLS
// sessions are shared and reused across transfers. Create one transport per process (or per
// upstream pool) and share it; it is cheap to keep and costly to recreate.
//
// Process-global initialisation: the library never calls curl_global_init. The application
// calls it once in main (or holds a curl_global_guard there) before creating a transport, and
// keeps it until every transport is destroyed. Since libcurl does not install a SIGPIPE handler
// here (CURLOPT_NOSIGNAL is set for threaded use), the application should ignore SIGPIPE.
//
// Example:
//
//   int main() {
//     harness::curl_global_guard curl;              // once, before any thread starts
//     if (!curl.ok()) return 1;
//     auto transport = harness::make_curl_transport();
//     std::stop_source stop;
//     transport->start(std::move(request), sink, stop.get_token());
//     ...                                           // sink->on_complete runs on the I/O thread
//   }                                               // transport destroyed, then curl cleaned up
#pragma once

#include <memory>
#include <string>

#include <harness/transport.h>

namespace harness {
inline namespace v0 {

/// Settings of one curl transport; fixed for its lifetime.
struct curl_transport_options {
  /// Most connections open at once to one host (CURLMOPT_MAX_HOST_CONNECTIONS); transfers
  /// beyond it wait for a free connection. 0: no limit.
  int max_connections_per_host = 64;
  /// Most connections open at once in total (CURLMOPT_MAX_TOTAL_CONNECTIONS). 0: no limit.
  int max_total_connections = 0;
  /// Most idle connections kept for reuse (CURLMOPT_MAXCONNECTS). 0: libcurl's default (four
  /// times the number of transfers in flight).
  int max_idle_connections = 0;
  /// Offer HTTP/2 to https upstreams (ALPN); plain http always uses HTTP/1.1.
  bool http2 = true;
  /// CA bundle (PEM file) to verify upstream certificates with; empty: the system's bundle.
  /// Certificate and host name verification is always on.
  std::string ca_file;
  /// Directory of hashed CA certificates (CURLOPT_CAPATH); empty: the system's default.
  std::string ca_path;
};

/// Creates a libcurl transport and starts its I/O thread. Returns an owned transport, or null
/// when libcurl or the system is out of resources (no multi handle, no thread).
///
/// Thread-safety: `start` may be called from any thread, concurrently. All sink callbacks of all
/// transfers run on the transport's one I/O thread, so they must not block (a sink that cannot
/// take more answers false from ready_for_body: the transfer is paused with CURL_WRITEFUNC_PAUSE
/// and resumed once the sink is ready again) and must not destroy the transport. A sink may call `start` or request a stop from inside its callbacks.
///
/// Proxies: libcurl's environment variables apply (http_proxy, https_proxy, no_proxy).
///
/// Transfers: the request's timeouts are applied as documented in transport.h. The first-byte
/// timeout counts from `start` (connecting included) until the final response head (after any
/// `100 Continue`); the idle timeout counts from the head or the last body bytes. Redirects are
/// not followed, only http and https are allowed, and the response status is reported as is
/// (an error status is not a transport error). Failures complete with errc::upstream_transport
/// (DNS, connect, TLS, reset), errc::timeout or errc::canceled; their messages name the host and
/// port, never a header, the URL's path or query, or a body. If the request has no Content-Type
/// header, none is sent (libcurl's form default is suppressed), and `Expect: 100-continue` is not
/// sent unless the request asks for it.
///
/// Lifetime: destroying the transport cancels every transfer in flight (each sink gets
/// on_complete(errc::canceled)), joins the I/O thread and closes all connections. Destroyed on its
/// own I/O thread (the last reference dropped from a sink callback, or by state a sink held), it
/// detaches that thread instead, which finishes the same work by itself. It must not be destroyed
/// concurrently with a call to `start`.
std::unique_ptr<transport> make_curl_transport(const curl_transport_options& options = {});

/// A libcurl transport that the caller's event loop drives instead of a thread of its own: the
/// same transfers, options and guarantees as make_curl_transport, with every sink callback on
/// the loop's thread. A server whose requests arrive on that loop starts their upstream
/// transfers there and gets the answers there: no hand-off between threads, no wake-up.
///
/// Driving it (one loop thread; epoll, poll or anything that watches a descriptor):
///
///   auto upstream = harness::make_curl_loop_transport();
///   upstream->bind_to_this_thread();
///   add upstream->watch_fd() to the loop's set, for input;
///   each turn: wait at most upstream->timeout_ms() (-1: no limit from it), and call
///              upstream->run() when watch_fd() was readable or that time has passed;
///   at the end: upstream->close() on the loop thread.
///
/// Thread-safety: `start` may be called from any thread; made on the loop thread (outside
/// run()) it starts the transfer at once, from another thread it queues it and makes
/// watch_fd() readable. A stop requested on another thread also wakes watch_fd(); one requested
/// on the loop thread makes timeout_ms() 0. Every other member is for the loop thread only.
class curl_loop_transport : public transport {
 public:
  /// Readable whenever run() has work (an epoll set of the transport's own sockets and its
  /// wake-up): watch it for input, level-triggered.
  virtual int watch_fd() const noexcept = 0;
  /// How long the loop may wait before run() is due even if watch_fd() stays quiet (libcurl's
  /// timers, the request timeouts, a paused transfer asking its sink again): 0 now, -1 no limit.
  virtual int timeout_ms() noexcept = 0;
  /// Does everything that is ready without blocking: socket I/O, timers, transfers queued from
  /// other threads. Every sink callback runs inside, or inside `start` and `close`.
  virtual void run() noexcept = 0;
  /// Makes the calling thread the loop thread (the first run() does it too).
  virtual void bind_to_this_thread() noexcept = 0;
  /// True on the loop thread.
  virtual bool on_loop_thread() const noexcept = 0;
  /// Cancels every transfer (each sink gets on_complete(errc::canceled)); later starts complete
  /// at once as canceled. On the loop thread, or on any thread once the loop no longer runs.
  /// The destructor does it too.
  virtual void close() noexcept = 0;
};

/// Creates a curl transport for the caller's event loop; null when libcurl or the system is out
/// of resources. Needs curl_global_init as make_curl_transport does.
std::unique_ptr<curl_loop_transport> make_curl_loop_transport(
    const curl_transport_options& options = {});

/// RAII for libcurl's process-global state, for frontends: the constructor calls
/// curl_global_init(CURL_GLOBAL_DEFAULT), the destructor curl_global_cleanup() if the init
/// succeeded. Create one in main before any transport and before starting threads; destroy it
/// after the last transport. Not copyable, not movable.
class curl_global_guard {
 public:
  curl_global_guard() noexcept;
  ~curl_global_guard();
  curl_global_guard(const curl_global_guard&) = delete;
  curl_global_guard& operator=(const curl_global_guard&) = delete;

  /// True when curl_global_init succeeded.
  bool ok() const noexcept { return ok_; }

 private:
  bool ok_ = false;
};

}  // namespace v0
}  // namespace harness
