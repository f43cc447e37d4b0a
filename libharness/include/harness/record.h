// record.h: harness::record, recordings as directories of files and their replay
// (docs/record-replay.md). Link harness::record; it does file I/O only when asked to.
//
//   auto recorder = harness::make_file_recorder("/tmp/rec");     // result<shared_ptr<...>>
//   harness::gateway_options options;
//   options.recorder = *recorder;
//   ...
//   auto rec = harness::read_recording("/tmp/rec/20261126T162854.123Z-000001-gpt-4o");
//   auto now = harness::replay(*rec, rec->policy);                // what the client gets now
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <harness/config.h>
#include <harness/dialect.h>
#include <harness/recording.h>
#include <harness/result.h>
#include <harness/transport.h>

namespace harness {
inline namespace v0 {

/// A recorder writing each exchange to `dir`/<UTC time>-<seq>-<model>/ (model name reduced to
/// [A-Za-z0-9._-]): client-request.json, upstream-request.json, upstream-response.{json,sse,
/// ndjson}, client-response.{json,sse,ndjson} and, once the exchange ended, meta.json. Earlier
/// attempts (retries, fallbacks) keep their files as attempt-N-upstream-*.
/// Bodies stream to files through stdio buffers (bounded memory). Creates `dir` when missing;
/// fails (errc::config) when it cannot. An exchange whose directory cannot be made is not recorded.
result<std::shared_ptr<exchange_recorder>> make_file_recorder(const std::string& dir);

/// One recorded exchange, read back (read_recording).
struct recorded_exchange {
  std::string dir;
  dialect client = dialect::openai;
  std::string model;             ///< public name the client asked for
  bool stream = false;           ///< the client asked for a stream
  std::string client_request;
  // The last upstream attempt (none when the exchange failed before one).
  bool has_attempt = false;
  std::string route;
  std::string provider;
  dialect provider_kind = dialect::openai;
  std::string upstream_model;
  model_policy policy;           ///< the route's policy as applied then (auto resolved)
  bool has_upstream_response = false;  ///< a head arrived
  int upstream_status = 0;
  header_list upstream_headers;
  std::string upstream_response;       ///< raw bytes as received
  std::string upstream_response_file;  ///< its file name ("upstream-response.sse")
  // What the client got.
  int client_status = 0;
  std::string client_content_type;
  std::string client_response;
  std::string client_response_file;
};

/// Reads a recording directory (it must hold meta.json). Errors (errc::invalid_request): no
/// readable meta.json, one not of a recording, a recorded file that cannot be read.
result<recorded_exchange> read_recording(const std::string& dir);

/// The answer a client gets.
struct replayed_answer {
  int status = 0;
  std::string content_type;
  std::string body;
};

/// Runs the recorded exchange through a gateway (the live code path) whose transport answers
/// with the recorded upstream bytes: the client's request, the recorded route with `policy`
/// (no retries or fallbacks), the current codecs and fixer. Errors: errc::timeout if the
/// gateway does not answer (it always should).
result<replayed_answer> replay(const recorded_exchange& recording, const model_policy& policy);

/// A client answer as lines for comparison: a JSON body pretty-printed (one value per line),
/// SSE `data:` payloads and NDJSON lines compacted; values that differ between runs replaced:
/// every `created` and `created_at` member becomes 0, and for dialect::responses (whose ids
/// derive from the clock) the values of `id`, `item_id` and `response_id` become `id-1`,
/// `id-2`, ... in order of first appearance. Bytes that are not JSON stay as they are.
std::string normalize_client_answer(dialect client, std::string_view content_type,
                                    std::string_view body);

}  // namespace v0
}  // namespace harness
