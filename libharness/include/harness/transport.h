// transport.h: how the gateway talks HTTP to an upstream, as an interface.
//
// The library's core never opens a socket. A transport sends one upstream request and reports
// its response incrementally to a sink. harness::curl provides the libcurl implementation
// (make_curl_transport); an embedder with its own HTTP stack implements this interface.
#pragma once

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <harness/result.h>

namespace harness {
inline namespace v0 {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// One upstream HTTP request. Timeouts of zero mean "none".
struct http_request {
  std::string method = "POST";
  std::string url;
  header_list headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{10000};
  /// Longest wait for the response head (a model loading on Ollama can take minutes).
  std::chrono::milliseconds first_byte_timeout{300000};
  /// Longest silence between two body reads once the response started.
  std::chrono::milliseconds idle_timeout{300000};
  std::chrono::milliseconds total_timeout{0};
};

/// Receives one response. Calls arrive on the transport's thread, in order: on_head once (unless
/// the transfer failed before a head), on_body zero or more times, on_complete exactly once.
/// Callbacks must not block: they may run on a shared I/O thread.
class response_sink {
 public:
  virtual ~response_sink() = default;
  /// The status line and headers (names lower-cased).
  virtual void on_head(int status, const header_list& headers) = 0;
  /// A piece of the body as it arrived. Return false to abort the transfer (it then completes
  /// with errc::canceled).
  virtual bool on_body(std::string_view bytes) = 0;
  /// Flow control, asked before each piece of the body: while it returns false the transport
  /// reads no more of this response (TCP then holds the upstream back) and asks again every
  /// few milliseconds. The default never holds back.
  virtual bool ready_for_body() { return true; }
  /// The end: success, or the error that ended the transfer (errc::upstream_transport,
  /// errc::timeout, errc::canceled).
  virtual void on_complete(result<void> outcome) = 0;
};

/// Sends upstream requests. Implementations are thread-safe: `start` may be called from any
/// thread, for many transfers at once.
class transport {
 public:
  virtual ~transport() = default;
  /// Starts `request`; returns at once. `sink` must stay alive until its on_complete has
  /// returned. A stop requested on `stop` cancels the transfer (on_complete gets
  /// errc::canceled) within a second.
  virtual void start(http_request request, std::shared_ptr<response_sink> sink,
                     std::stop_token stop) = 0;
};

}  // namespace v0
}  // namespace harness
