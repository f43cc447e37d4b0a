// harness-cli replay: runs a recorded upstream response through the current codecs and fixer
// (a real gateway over an in-memory transport) and compares with what the client got then.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include <harness/config.h>
#include <harness/record.h>

#include "commands.h"
#include "json_doc.h"
#include "line_diff.h"

namespace harness_cli {
namespace {

namespace fs = std::filesystem;

struct replay_args {
  std::string dir;
  std::string config_path;
  bool show_diff = false;
  bool json = false;
};

// A recording directory, or a record_dir holding many (each replayed, in name order).
std::vector<std::string> recordings_in(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(fs::path(dir) / "meta.json", ec)) return {dir};
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec) && fs::exists(entry.path() / "meta.json", ec)) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct outcome {
  bool same = false;
  std::string diff;
};

// Replays one recording; exit_bad_input on a broken recording or a policy that cannot be found.
int replay_one(const std::string& dir, const replay_args& args, const harness::config* cfg,
               outcome& result) {
  auto rec = harness::read_recording(dir);
  if (!rec) {
    std::fprintf(stderr, "harness-cli replay: %s\n", rec.error_value().describe().c_str());
    return exit_bad_input;
  }
  harness::model_policy policy = rec->policy;
  if (cfg != nullptr && rec->has_attempt) {
    const harness::model_route* route = cfg->find_model(rec->model);
    if (route == nullptr) {
      std::fprintf(stderr, "harness-cli replay: %s: model '%s' has no route in %s\n", dir.c_str(),
                   rec->model.c_str(), args.config_path.c_str());
      return exit_bad_input;
    }
    // An automatic route decides per model at run time: keep what it decided then.
    const bool automatic = route->policy.choice == harness::policy_choice::automatic;
    const harness::model_policy decided = policy;
    policy = route->policy;
    if (automatic) {
      policy.strip_tools = decided.strip_tools;
      policy.emulate_tools = decided.emulate_tools;
      policy.rescue = decided.rescue;
    }
  }
  auto now = harness::replay(*rec, policy);
  if (!now) {
    std::fprintf(stderr, "harness-cli replay: %s: %s\n", dir.c_str(),
                 now.error_value().describe().c_str());
    return exit_failure;
  }
  const std::string then_text =
      "status: " + std::to_string(rec->client_status) + "\ncontent-type: " +
      rec->client_content_type + "\n" +
      harness::normalize_client_answer(rec->client, rec->client_content_type, rec->client_response);
  const std::string now_text =
      "status: " + std::to_string(now->status) + "\ncontent-type: " + now->content_type + "\n" +
      harness::normalize_client_answer(rec->client, now->content_type, now->body);
  const std::string name = rec->client_response_file.empty() ? std::string("client-response")
                                                             : rec->client_response_file;
  result.diff = unified_diff(then_text, now_text, dir + "/" + name + " (recorded)",
                             "replay (now)");
  result.same = result.diff.empty();
  return exit_ok;
}

int run_replay(const replay_args& args) {
  std::unique_ptr<harness::config> cfg;
  if (!args.config_path.empty()) {
    auto loaded = harness::load_config(args.config_path);
    if (!loaded) {
      std::fprintf(stderr, "harness-cli replay: %s\n", loaded.error_value().describe().c_str());
      return exit_bad_input;
    }
    cfg = std::make_unique<harness::config>(std::move(*loaded));
  }
  const auto dirs = recordings_in(args.dir);
  if (dirs.empty()) {
    std::fprintf(stderr, "harness-cli replay: %s: no recording (meta.json) found\n",
                 args.dir.c_str());
    return exit_bad_input;
  }
  int code = exit_ok;
  for (const auto& dir : dirs) {
    outcome result;
    const int status = replay_one(dir, args, cfg.get(), result);
    if (status != exit_ok) return status;
    if (args.json) {
      std::printf("{\"recording\":%s,\"same\":%s,\"diff\":%s}\n", json_quote(dir).c_str(),
                  result.same ? "true" : "false", json_quote(result.diff).c_str());
    } else {
      std::printf("%s: %s\n", result.same ? "same" : "DIFFERENT", dir.c_str());
      if (!result.same && args.show_diff) std::fputs(result.diff.c_str(), stdout);
    }
    if (!result.same) code = exit_failure;
  }
  return code;
}

}  // namespace

void register_replay(CLI::App& app, command_action& action) {
  auto args = std::make_shared<replay_args>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Replay recorded exchanges (harness-server --record) through the current codecs and "
      "fixer and compare with what the client got; exit 0 same, 1 different, 2 bad input");
  cmd->add_option("dir", args->dir, "A recording directory, or a record_dir of many")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--config", args->config_path,
                  "Take the route's policy from this config (default: the recorded policy)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--show-diff", args->show_diff, "Print the unified diff of each difference");
  cmd->add_flag("--json", args->json, "One JSON line per recording: recording, same, diff");
  cmd->callback([args, &action] { action = [args] { return run_replay(*args); }; });
}

}  // namespace harness_cli
