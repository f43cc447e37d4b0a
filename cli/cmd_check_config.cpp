// harness-cli check-config: load a config file (and the .env beside it) and report its problems.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include <harness/config.h>

#include "commands.h"

namespace harness_cli {
namespace {

int run_check_config(const std::string& path) {
  const auto cfg = harness::load_config(path);
  if (!cfg) {
    // The message is a whole "file:line:col: key: problem" line.
    std::fprintf(stderr, "%s\n", cfg.error_value().message.c_str());
    return exit_bad_input;
  }
  const std::vector<std::string> problems = harness::check_config(*cfg);
  for (const std::string& line : problems) std::fprintf(stderr, "%s\n", line.c_str());
  if (!problems.empty()) return exit_bad_input;
  std::printf("ok: %zu providers, %zu models\n", cfg->providers.size(), cfg->models.size());
  return std::fflush(stdout) == 0 ? exit_ok : exit_failure;
}

}  // namespace

void register_check_config(CLI::App& app, command_action& action) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("check-config",
                                 "Load a config file (and the .env beside it) and report every "
                                 "problem; exit 2 when there is one");
  cmd->add_option("file", *path, "The TOML config file")->required();
  cmd->callback([path, &action] { action = [path] { return run_check_config(*path); }; });
}

}  // namespace harness_cli
