// recording.h: the gateway's recording hook (record and replay, docs/record-replay.md).
//
// With gateway_options::recorder set, the gateway hands each exchange's four byte streams to
// an exchange_recording: the client's request, each upstream request, each upstream response
// (raw bytes as received) and the bytes the client got. The gateway does no file I/O itself;
// harness::record (harness/record.h) provides a recorder that writes directories of files.
//
// Secrets never reach a recorder: the gateway drops the values of credential headers
// (authorization, x-api-key, api-key, cookie, set-cookie) and replaces every occurrence of a
// configured key (provider keys, the server's access token) in bodies and header values with
// "[redacted]", also when a key is split across two pieces of a stream.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <harness/config.h>
#include <harness/dialect.h>
#include <harness/transport.h>

namespace harness {
inline namespace v0 {

struct exchange_record;  // gateway.h

/// Where one upstream attempt of a recorded exchange went (retries and fallbacks make more).
struct recorded_attempt {
  int number = 1;             ///< 1, 2, ... in order
  std::string route;          ///< the `[[models]]` name that matched
  std::string provider;       ///< the provider's config name
  dialect provider_kind = dialect::openai;
  std::string upstream_model;
  /// Path of the upstream URL ("/v1/chat/completions"): no scheme, host, user info or query.
  std::string url_path;
  bool stream = false;        ///< a stream was asked of the upstream
  /// The route's policy as applied to this attempt: an automatic one (`policy = "auto"`)
  /// resolved to the booleans it chose.
  model_policy policy;
};

/// The four byte streams of an exchange.
enum class recorded_part { client_request, upstream_request, upstream_response, client_response };

/// One exchange being recorded. Calls never overlap (they may come from different threads),
/// in this order: body(client_request) once; per attempt: attempt(), body(upstream_request)
/// once, head(upstream_response) unless the transfer failed first, body(upstream_response)
/// zero or more times; then head(client_response), body(client_response) zero or more times;
/// finish() last. Implementations must not block for long: they run on the gateway's threads.
class exchange_recording {
 public:
  virtual ~exchange_recording() = default;
  virtual void attempt(const recorded_attempt& attempt) = 0;
  /// Status and headers (credentials removed) of the upstream's or the client's answer. For
  /// client_response the first header is "content-type".
  virtual void head(recorded_part part, int status, const header_list& headers) = 0;
  /// The next bytes of `part`, as they went over the wire (keys replaced).
  virtual void body(recorded_part part, std::string_view bytes) = 0;
  /// The exchange ended; `record` is what the request log gets.
  virtual void finish(const exchange_record& record) = 0;
};

/// Starts a recording per exchange. Thread-safe: start() is called from many threads at once.
class exchange_recorder {
 public:
  virtual ~exchange_recorder() = default;
  /// A client speaking `client` asked for `model`; nullptr: do not record this exchange.
  virtual std::shared_ptr<exchange_recording> start(dialect client, std::string_view model) = 0;
};

}  // namespace v0
}  // namespace harness
