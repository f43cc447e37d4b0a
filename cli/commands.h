// commands.h: each harness-cli subcommand registers itself on the app (one file per command).
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace harness_cli {

/// Exit codes shared by every command (style.md 3.7): 0 success, 1 other failure (I/O,
/// upstream), 2 bad input data or usage.
enum exit_code : int { exit_ok = 0, exit_failure = 1, exit_bad_input = 2 };

/// A registered command's body, run after parsing; returns the exit code.
using command_action = std::function<int()>;

/// Adds the subcommand to `app` and stores what to run in `action` when it is selected.
void register_translate(CLI::App& app, command_action& action);
void register_rescue(CLI::App& app, command_action& action);
void register_check_config(CLI::App& app, command_action& action);
void register_eval(CLI::App& app, command_action& action);
void register_replay(CLI::App& app, command_action& action);
void register_models(CLI::App& app, command_action& action);
void register_watch(CLI::App& app, command_action& action);
void register_init(CLI::App& app, command_action& action);
void register_connect(CLI::App& app, command_action& action);

}  // namespace harness_cli
