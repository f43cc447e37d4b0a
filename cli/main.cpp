// harness-cli: a thin command-line frontend over libharness.
#include <CLI/CLI.hpp>

#include <cstdio>

#include <harness/version.h>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"harness-cli: translate, rescue and evaluate LLM tool calling (libharness " +
               std::string(harness::version()) + ")"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(harness::version()));

  harness_cli::command_action action;
  harness_cli::register_translate(app, action);
  harness_cli::register_rescue(app, action);
  harness_cli::register_check_config(app, action);
  harness_cli::register_eval(app, action);
  harness_cli::register_replay(app, action);
  harness_cli::register_models(app, action);
  harness_cli::register_watch(app, action);
  harness_cli::register_init(app, action);
  harness_cli::register_connect(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // Usage errors are "bad input" (exit 2); --help and --version exit 0.
    return code == 0 ? 0 : harness_cli::exit_bad_input;
  }
  return action ? action() : harness_cli::exit_failure;
}
