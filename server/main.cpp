// harness-server: the local gateway. Flags and process concerns only; the work is libharness's.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <pthread.h>
#include <thread>

#include <harness/config.h>
#include <harness/curl_transport.h>
#include <harness/gateway.h>
#include <harness/version.h>

#include "allocator.h"
#include "event_hub.h"
#include "http_server.h"
#include "recording_setup.h"
#include "request_log.h"
#include "startup_summary.h"
#include "upstream_pool.h"

namespace {

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"harness-server: one local endpoint for every model and coding tool (libharness " +
               std::string(harness::version()) + ")"};
  std::string config_path;
  std::string host;
  int port = -1;
  bool quiet = false;
  std::string port_file;
  app.add_option("--config", config_path, "TOML config file (default: embedded default config)")
      ->check(CLI::ExistingFile);
  app.add_option("--host", host, "Address to bind (overrides [server] host)");
  app.add_option("--port", port, "Port to listen on; 0 picks a free one (overrides [server] port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--port-file", port_file, "Write the bound port to this file once listening");
  std::string record_dir;
  app.add_option("--record", record_dir,
                 "Record every exchange as files in this directory, keys redacted (overrides "
                 "[server] record_dir)");
  app.add_flag("--quiet", quiet, "Write no request log (overrides [server] request_log)");
  app.set_version_flag("--version", std::string(harness::version()) + " (malloc: " +
                                        harness_server::allocator_name() + ")");
  CLI11_PARSE(app, argc, argv);

  auto loaded = config_path.empty() ? harness::result<harness::config>(harness::default_config())
                                    : harness::load_config(config_path);
  if (!loaded) {
    std::fprintf(stderr, "harness-server: %s\n", loaded.error_value().describe().c_str());
    return 2;
  }
  harness::config cfg = std::move(*loaded);
  if (!host.empty()) cfg.server.host = host;
  if (port >= 0) cfg.server.port = port;
  if (!is_loopback(cfg.server.host) && cfg.server.access_token.empty()) {
    std::fprintf(stderr,
                 "harness-server: refusing to bind %s without an access token: set [server] "
                 "access_token_env to a variable holding one, or bind 127.0.0.1\n",
                 cfg.server.host.c_str());
    return 2;
  }

  // Signals are handled by one thread (sigwait); every other thread has them blocked.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);  // reopens the request log file (logrotate)
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  // Every client connection and every upstream connection is a descriptor: the usual soft limit
  // of 1024 would refuse clients long before max_concurrent_streams does.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, 65536);
    setrlimit(RLIMIT_NOFILE, &files);
  }

  harness_server::tune_allocator();

  harness::curl_global_guard curl_init;
  auto shared_cfg = std::make_shared<const harness::config>(cfg);
  // The request log and the live event stream see the same line; both outlive the gateway's
  // last in-flight exchange (shared), which may finish after main's locals are gone.
  std::string log_error;
  std::shared_ptr<harness_server::request_log> request_log = harness_server::request_log::open(
      quiet ? "off" : cfg.server.request_log,
      config_path.empty() ? std::string() : harness_server::config_directory(config_path),
      log_error);
  if (request_log == nullptr) {
    std::fprintf(stderr, "harness-server: %s\n", log_error.c_str());
    return 2;
  }
  auto events = std::make_shared<harness_server::event_hub>();
  harness::gateway_options options;
  options.on_exchange = [request_log, events](const harness::exchange_record& record) {
    if (!request_log->enabled() && !events->has_subscribers()) return;
    const std::string line = harness::to_json_line(record);
    request_log->write(line);
    events->publish(line);
  };
  // Every stream the front may hold needs its own upstream connection (HTTP/1.1): without
  // enough of them, streams past the limit would wait for others to finish before starting.
  harness::curl_transport_options transport_options;
  transport_options.max_connections_per_host = std::max(
      transport_options.max_connections_per_host, shared_cfg->server.max_concurrent_streams);
  std::string record_error;
  options.recorder = harness_server::open_recorder(record_dir, cfg, config_path, record_error);
  if (!record_error.empty()) {
    std::fprintf(stderr, "harness-server: %s\n", record_error.c_str());
    return 2;
  }
  auto upstreams = harness_server::upstream_pool::create(
      harness_server::front_loop_count(shared_cfg->server), transport_options);
  if (upstreams == nullptr) {
    std::fprintf(stderr, "harness-server: cannot set up libcurl (out of resources)\n");
    return 1;
  }
  auto loop_transports = upstreams->loops();
  harness::gateway gateway(shared_cfg, std::move(upstreams), options);
  harness_server::http_server server(gateway, shared_cfg->server, std::move(loop_transports));
  server.set_event_hub(events);
  if (!server.bind(shared_cfg->server.host, shared_cfg->server.port)) {
    std::fprintf(stderr,
                 "harness-server: cannot listen on %s:%d (port in use?). Pick another with "
                 "--port N or [server] port.\n",
                 shared_cfg->server.host.c_str(), shared_cfg->server.port);
    return 1;
  }
  // Ask the backends once (bounded) so the table flags an unreachable upstream now, not at the
  // first request.
  gateway.probe_routes(std::chrono::milliseconds(1500));
  harness_server::print_startup_summary(*shared_cfg, gateway.routes(), server.port(), stderr);
  if (!port_file.empty()) {
    // Written after bind, so a test that waits for the file can connect at once.
    if (std::FILE* f = std::fopen(port_file.c_str(), "w"); f != nullptr) {
      std::fprintf(f, "%d\n", server.port());
      std::fclose(f);
    }
  }

  std::thread waiter([&server, &request_log, signals] {
    int sig = 0;
    while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) {
      if (!request_log->reopen()) {
        std::fprintf(stderr, "harness-server: cannot reopen %s; logging on to the old file\n",
                     request_log->path().c_str());
      }
    }
    server.stop();
  });
  const bool ok = server.run();
  // Wake the waiter if run() ended by itself.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return ok ? 0 : 1;
}
