#include "recording_setup.h"

#include <filesystem>

#include <harness/record.h>

namespace harness_server {

std::shared_ptr<harness::exchange_recorder> open_recorder(const std::string& flag_dir,
                                                          const harness::config& cfg,
                                                          const std::string& config_path,
                                                          std::string& error) {
  std::filesystem::path dir = flag_dir;
  if (dir.empty() && !cfg.server.record_dir.empty()) {
    dir = cfg.server.record_dir;
    if (dir.is_relative() && !config_path.empty()) {
      dir = std::filesystem::absolute(config_path).parent_path() / dir;
    }
  }
  if (dir.empty()) return nullptr;
  auto recorder = harness::make_file_recorder(dir.string());
  if (!recorder) {
    error = recorder.error_value().message;
    return nullptr;
  }
  return std::move(*recorder);
}

}  // namespace harness_server
