// Links harness::gateway and harness::curl: a gateway over the libcurl transport, configured
// in-process. Lists the public models, then sends one request to a closed loopback port and
// expects the gateway's 502 for a transport failure (proving the libcurl code links and runs).
#include <harness/config.h>
#include <harness/curl_transport.h>
#include <harness/gateway.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

int main() {
  harness::curl_global_guard curl;
  if (!curl.ok()) return 1;
  const char* toml = R"(
[server]
retries = 0
connect_timeout_ms = 2000
[providers.local]
kind = "ollama"
base_url = "http://127.0.0.1:1"
[[models]]
name = "consumer-model"
provider = "local"
model = "m"
)";
  auto cfg = harness::parse_config(toml, "consumer.toml", harness::process_env());
  if (!cfg) {
    std::fprintf(stderr, "config: %s\n", cfg.error_value().describe().c_str());
    return 1;
  }
  std::shared_ptr<harness::transport> transport = harness::make_curl_transport();
  if (!transport) return 1;
  {
    harness::gateway gw(std::make_shared<const harness::config>(std::move(*cfg)), transport);
    std::printf("%s\n", gw.list_models(harness::dialect::openai).c_str());

    harness::chat_request request;
    request.model = "consumer-model";
    harness::message user;
    user.content.push_back(harness::text_block{"hi", {}});
    request.messages.push_back(user);
    auto reply = gw.complete(request);
    if (reply) return 1;  // nothing listens on port 1
    std::printf("upstream error: %s %d\n", harness::to_string(reply.error_value().code),
                reply.error_value().http_status);
  }
  // The request's state is released on the transport's I/O thread a moment after complete()
  // returns; releasing the last reference here joins that thread before libcurl's global cleanup.
  while (transport.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return 0;
}
