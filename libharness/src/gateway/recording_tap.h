// recording_tap.h: between an exchange and its recorder (gateway_options::recorder). Tees the
// client's and the upstream's bytes to the recording with every configured key replaced and
// credential headers dropped, so no secret ever reaches a recorder.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <harness/gateway.h>
#include <harness/recording.h>

namespace harness::detail {

/// Replaces every occurrence of each secret in a byte stream with "[redacted]", also when an
/// occurrence is split across pieces: the last (longest secret - 1) bytes are held back until
/// more arrive or flush(). Memory stays bounded by one piece plus that tail.
class secret_scrubber {
 public:
  explicit secret_scrubber(const std::vector<std::string>& secrets);
  void feed(std::string_view bytes, std::string& out);
  void flush(std::string& out);

 private:
  const std::vector<std::string>& secrets_;
  std::size_t hold_ = 0;
  std::string pending_;
};

/// Every key value of `cfg` (provider keys, the server's access token), non-empty ones only.
std::vector<std::string> config_secrets(const config& cfg);

class recording_tap : public std::enable_shared_from_this<recording_tap> {
 public:
  recording_tap(std::shared_ptr<exchange_recording> recording, std::vector<std::string> secrets);

  void client_request(std::string_view body);
  /// Records the attempt and its request; returns the sink the transport reports to (it tees
  /// the upstream's answer into the recording and passes everything on to `target`).
  std::shared_ptr<response_sink> upstream_attempt(recorded_attempt attempt,
                                                  const http_request& request,
                                                  std::shared_ptr<response_sink> target);
  /// A sink that tees the client's answer into the recording and passes it on to `target`.
  std::shared_ptr<client_sink> client(std::shared_ptr<client_sink> target);
  /// The exchange ended (idempotent).
  void finish(const exchange_record& record);

  // For the tee sinks.
  void head(recorded_part part, int status, const header_list& headers);
  void body(recorded_part part, std::string_view bytes);
  void end(recorded_part part);

 private:
  secret_scrubber& scrubber(recorded_part part);

  std::mutex mu_;
  std::shared_ptr<exchange_recording> recording_;
  std::vector<std::string> secrets_;
  secret_scrubber upstream_scrubber_{secrets_};
  secret_scrubber client_scrubber_{secrets_};
  std::string scratch_;
  bool finished_ = false;
};

}  // namespace harness::detail
