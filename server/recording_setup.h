// recording_setup.h: harness-server's recording (`--record DIR` or `[server] record_dir`).
#pragma once

#include <memory>
#include <string>

#include <harness/config.h>
#include <harness/recording.h>

namespace harness_server {

/// The recorder to give the gateway: `flag_dir` (--record, relative to the working directory)
/// wins over `cfg.server.record_dir` (relative to the directory of `config_path`). nullptr
/// with `error` empty when recording is off; nullptr with `error` set when the directory
/// cannot be created.
std::shared_ptr<harness::exchange_recorder> open_recorder(const std::string& flag_dir,
                                                          const harness::config& cfg,
                                                          const std::string& config_path,
                                                          std::string& error);

}  // namespace harness_server
