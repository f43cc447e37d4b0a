// gateway.h: the whole proxy pipeline as one object an embedding program can own.
//
//   decode (client dialect) -> route -> fix request -> encode (upstream dialect) -> transport
//   -> decode response or stream -> fix response -> encode (client dialect) -> client sink
//
// Thread-safe: handle() may be called from many threads at once; per-request state lives in
// the call. The gateway owns no socket: it sends through the transport it is given.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <harness/config.h>
#include <harness/dialect.h>
#include <harness/recording.h>
#include <harness/request.h>
#include <harness/response.h>
#include <harness/result.h>
#include <harness/transport.h>

namespace harness {
inline namespace v0 {

/// Receives a gateway's answer to one client request. Calls come from the transport's thread
/// or from the thread that called handle(), never two at once, in order: on_head once, on_body
/// zero or more times, on_end once. They must not block for long.
class client_sink {
 public:
  virtual ~client_sink() = default;
  /// Status, content type ("application/json", "text/event-stream", "application/x-ndjson")
  /// and extra headers (e.g. retry-after).
  virtual void on_head(int status, std::string_view content_type, const header_list& headers) = 0;
  /// Body bytes. Return false when the client went away: the gateway cancels the upstream.
  virtual bool on_body(std::string_view bytes) = 0;
  /// Flow control for streams: false while the client cannot take more yet (a slow reader's
  /// queue is full); the gateway then stops reading the upstream until it turns true. Called
  /// on the transport's thread; must not block. The default never holds back.
  virtual bool ready_for_body() { return true; }
  virtual void on_end() = 0;
};

/// One exchange as the request log sees it (no bodies, no keys).
struct exchange_record {
  dialect client = dialect::openai;
  std::string model;     ///< public name asked for
  std::string provider;  ///< empty when routing failed
  std::string upstream_model;
  bool stream = false;
  int status = 0;        ///< what the client got
  std::int64_t first_byte_us = 0;
  std::int64_t total_us = 0;
  harness::usage usage;
  int attempts = 0;
  std::string error;     ///< short reason when status >= 400 or the stream failed
  // What the fixer did.
  bool tools_stripped = false;
  bool tools_emulated = false;
  int calls_rescued = 0;
  std::string rescue_family;
  /// Anthropic server tools (web_search, ...) dropped because the upstream cannot run them;
  /// the client sees them in the `x-harness-dropped-tools` response header.
  std::vector<std::string> dropped_tools;
  bool tools_offered = false;     ///< the client's request carried tools
  int calls_native = 0;           ///< tool calls the upstream made natively (reaching the client)
  int args_repaired = 0;          ///< native calls whose arguments needed repair
  int unknown_tools_dropped = 0;  ///< calls naming a tool the client did not offer, removed
  int truncated_calls_refused = 0;  ///< calls cut off by the output limit, not passed on
  /// The turn offered tools and ended with text only (no call reached the client).
  bool text_only_with_tools = false;
  /// Where the route's policy came from: "config", "discovered", "learned", "default".
  std::string policy_source;
  /// Short class of a failure: "upstream_4xx", "upstream_5xx", "rate_limited", "timeout",
  /// "transport", "stream_error", "bad_request", "unknown_model", "no_key", "canceled" (the
  /// client left), "config", "internal"; empty on success.
  std::string error_kind;
};

/// The record as one JSON object on one line (no trailing newline): the request log format.
std::string to_json_line(const exchange_record& record);

/// What the gateway knows about one route (`[[models]]` entry), for start-up tables, /health,
/// `GET /v1/models` and `harness-cli models`. Never holds a key value.
struct route_state {
  std::string name;            ///< public name (may end in '*')
  std::string provider;
  std::string upstream_model;  ///< empty: the client's name passes through
  /// Policy in effect: "native", "native+rescue", "emulate_tools", "strip_tools", "auto"
  /// (auto and not discovered yet).
  std::string policy;
  /// "config" (set in the file), "discovered" (backend said), "learned" (from an upstream
  /// error), "default" (nothing known; the dialect's default).
  std::string policy_source = "config";
  bool key_needed = false;
  bool key_present = false;
  std::string key_env;  ///< the variable's name (never its value)
  /// "ok", "no_key", "unreachable", "model_missing", "unknown" (not probed yet).
  std::string health = "unknown";
  std::string detail;   ///< why, for humans ("connection refused", "404 model not found")
  std::vector<std::string> capabilities;  ///< as the backend reported them ("tools", "thinking")
  std::int64_t context_length = 0;        ///< 0: unknown
  /// Clients can use it now: known provider, key present when needed, not known to be down.
  bool usable() const noexcept { return health != "no_key" && health != "unreachable" &&
                                        health != "model_missing"; }
};

/// The routes as a JSON array of objects with the fields of route_state (and `usable`): the
/// body of the server's `GET /v1/harness/models`.
std::string to_json(const std::vector<route_state>& routes);

/// Counters for /metrics.
struct gateway_stats {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::uint64_t open_streams = 0;
  std::uint64_t upstream_latency_us_sum = 0;
  std::uint64_t upstream_latency_count = 0;
  struct per_model {
    std::string model;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    // What the fixer did, summed over exchange_record fields.
    std::uint64_t calls_native = 0;
    std::uint64_t calls_rescued = 0;
    std::uint64_t args_repaired = 0;
    std::uint64_t truncated_calls_refused = 0;
    std::uint64_t unknown_tools_dropped = 0;
    std::uint64_t text_only_turns = 0;  ///< turns that offered tools and got no call
    /// Failures by exchange_record::error_kind (a fixed set: the series stay bounded).
    std::vector<std::pair<std::string, std::uint64_t>> errors_by_kind;
  };
  /// Per public model name; names no route matched count as "(unrouted)", and names beyond
  /// the first 256 as "(other)" (clients choose the names: the series stay bounded).
  std::vector<per_model> models;
};

struct gateway_options {
  /// Called once per finished exchange (any thread). Empty: no log.
  std::function<void(const exchange_record&)> on_exchange;
  /// Records each exchange's bytes (keys redacted; recording.h). Null: no recording, no cost.
  std::shared_ptr<exchange_recorder> recorder;
};

/// The pipeline. Not copyable. Lifetime: the state of each request in flight is shared (with
/// the config and the transport), so destroying the gateway does not cut them: they finish (and
/// call their sinks) on their own; request a stop on their tokens to end them early. That state
/// is released on the transport's thread a moment after the answer ends; for a deterministic
/// teardown keep a reference to the transport and drop it last, once it is the only one
/// (docs/api.md, "Shutdown").
///
/// Example (an in-process agent; see examples/agent_loop.cpp):
///   harness::curl_global_guard curl;                        // once, in main
///   auto cfg = harness::load_config("harness.toml");       // result<config>
///   if (!cfg) return fail(cfg.error_value().describe());
///   std::shared_ptr<harness::transport> transport = harness::make_curl_transport();
///   harness::gateway gw(std::make_shared<const harness::config>(std::move(*cfg)), transport);
///   auto reply = gw.complete(request);                     // result<chat_response>
class gateway {
 public:
  /// `cfg` and `transport` are shared: they must outlive every in-flight request, which the
  /// shared ownership guarantees. Preconditions: both non-null.
  gateway(std::shared_ptr<const config> cfg, std::shared_ptr<transport> transport,
          gateway_options options = {});
  ~gateway();
  gateway(const gateway&) = delete;
  gateway& operator=(const gateway&) = delete;

  /// Handles one client request whose body is in dialect `client`. Returns quickly; the answer
  /// goes to `sink` (possibly after handle() returned). A stop on `stop` cancels the upstream.
  /// Bad input, unknown models and upstream failures are answered in the client's dialect with
  /// the right status; a stream that fails after its head ends with the dialect's error event.
  void handle(dialect client, std::string body, std::shared_ptr<client_sink> sink,
              std::stop_token stop = {});
  /// The same, with the client's HTTP request headers. Only those that matter upstream are
  /// used: `anthropic-beta` is passed on to an Anthropic upstream when the client speaks
  /// Anthropic (the betas unlock fields the body carries through, e.g. Claude Code's
  /// `context_management`); names match case-insensitively.
  void handle(dialect client, std::string body, const header_list& client_headers,
              std::shared_ptr<client_sink> sink, std::stop_token stop = {});

  /// Blocking convenience for embedders: sends a canonical request and waits for the complete
  /// canonical response (the request's `stream` flag is ignored). Thread-safe. Errors: every
  /// non-2xx answer of the pipeline comes back as errc::upstream_http carrying the status a
  /// client would have got (404 unknown model, the upstream's 4xx/429/5xx, 502 transport
  /// failure, 504 upstream timeout) and its message; errc::timeout when no answer arrives
  /// within the config's request timeout (+5 s). Must not be called from a sink or transport
  /// callback: it waits for that same thread.
  result<chat_response> complete(const chat_request& request, std::stop_token stop = {});

  /// Body of `GET /v1/models` for dialect `client`: public model names of the config, less
  /// the routes known to be unusable (route_state::usable(): no key, backend down, model
  /// missing, as the last discovery or probe found).
  std::string list_models(dialect client) const;

  /// Every route of the config with what is known about it now (policy in effect and its
  /// source, key presence, last probe result). Thread-safe; does no I/O.
  std::vector<route_state> routes() const;

  /// Asks each route's backend what it can do and whether it answers (Ollama `/api/show`,
  /// OpenAI-compatible `/models`, ...), through the transport, and waits up to `timeout` for
  /// the answers; routes not answered by then keep health "unknown". Results are cached (see
  /// routes()). Blocking: never call it from a sink or transport callback.
  void probe_routes(std::chrono::milliseconds timeout);

  /// A consistent snapshot of the counters; thread-safe.
  gateway_stats stats() const;
  /// The config it was built with; valid while the gateway lives.
  const config& configuration() const noexcept;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace v0
}  // namespace harness
