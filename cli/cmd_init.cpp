// harness-cli init: look at this machine (a local Ollama and its models, provider keys in the
// environment or ./.env) and write a commented config that check-config accepts.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <harness/config.h>

#include "commands.h"
#include "init_config.h"
#include "ollama_discovery.h"

namespace harness_cli {
namespace {

struct init_options {
  std::string path = "harness.toml";
  bool force = false;
  std::string ollama_url;
};

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

// The config loader of this build may or may not know the `policy` key; the file must load.
policy_style style_for_this_loader() {
  static constexpr const char* probe =
      "[providers.p]\nkind = \"ollama\"\nbase_url = \"http://127.0.0.1:1\"\n"
      "[[models]]\nname = \"m\"\nprovider = \"p\"\npolicy = \"auto\"\n";
  const auto parsed = harness::parse_config(probe, "probe", [](std::string_view) {
    return std::optional<std::string>();
  });
  return parsed ? policy_style::policy_key : policy_style::booleans;
}

int run_init(const init_options& opt) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(opt.path, ec) && !opt.force) {
    std::fprintf(stderr,
                 "harness-cli init: %s already exists; not overwriting it (use --force to "
                 "replace it, or --config OTHER.toml)\n",
                 opt.path.c_str());
    return exit_bad_input;
  }

  init_findings found;
  found.ollama_url = ollama_url(opt.ollama_url, std::getenv("OLLAMA_HOST"));
  found.ollama = discover_ollama(found.ollama_url);
  // Keys: the environment, or a .env in the current directory (the proxy reads the .env
  // beside the config, so that is where they must end up).
  const std::string dotenv = (fs::current_path(ec) / ".env").string();
  auto dotenv_vars = harness::read_env_file(dotenv);
  if (!dotenv_vars) {
    // The proxy would refuse this .env too: say so now, by line (never the value).
    std::fprintf(stderr, "harness-cli init: %s\n", dotenv_vars.error_value().message.c_str());
    return exit_bad_input;
  }
  const auto in_dotenv = [&dotenv_vars](const std::string& name) {
    return (*dotenv_vars)(name).has_value();
  };
  if (fs::exists(dotenv, ec)) found.dotenv_path = dotenv;
  bool keys_only_in_dotenv = false;
  for (const auto& s : cloud_services()) {
    if (env_set(s.key_env) || in_dotenv(s.key_env)) found.keyed.push_back(&s);
    keys_only_in_dotenv = keys_only_in_dotenv || (!env_set(s.key_env) && in_dotenv(s.key_env));
  }

  // Write what this build's loader accepts, and check it as check-config would.
  const policy_style style = style_for_this_loader();
  const std::string text = render_init_config(found, style);
  const auto env = [&in_dotenv](std::string_view name) -> std::optional<std::string> {
    // Presence only: the check needs to know a key is there, never its value.
    const std::string n(name);
    if (env_set(n.c_str()) || in_dotenv(n)) return std::string("present");
    return std::nullopt;
  };
  const auto parsed = harness::parse_config(text, opt.path, env);
  if (!parsed) {
    std::fprintf(stderr,
                 "harness-cli init: internal error, the generated config does not load: %s\n",
                 parsed.error_value().message.c_str());
    return exit_failure;
  }

  const std::string tmp = opt.path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::fprintf(stderr, "harness-cli init: cannot write %s\n", tmp.c_str());
      return exit_failure;
    }
  }
  fs::rename(tmp, opt.path, ec);
  if (ec) {
    std::fprintf(stderr, "harness-cli init: cannot write %s: %s\n", opt.path.c_str(),
                 ec.message().c_str());
    return exit_failure;
  }

  // What was found, in a few lines.
  if (found.ollama.reachable) {
    std::printf("Ollama at %s: %zu model(s)\n", found.ollama_url.c_str(),
                found.ollama.models.size());
  } else {
    std::printf("Ollama at %s: not reachable (%s)\n", found.ollama_url.c_str(),
                found.ollama.error.c_str());
  }
  for (const auto& s : cloud_services()) {
    const bool has = std::find(found.keyed.begin(), found.keyed.end(), &s) != found.keyed.end();
    std::printf("%-20s %s\n", s.key_env, has ? "found" : "not set");
  }
  // The proxy reads the .env beside the config: keys found only in ./.env must go there.
  const fs::path config_dir = fs::absolute(opt.path, ec).parent_path();
  if (keys_only_in_dotenv && config_dir != fs::current_path(ec)) {
    std::printf("note: the proxy reads the .env beside %s; copy %s to %s\n", opt.path.c_str(),
                dotenv.c_str(), (config_dir / ".env").c_str());
  }
  std::printf("wrote %s (%zu routes). Next: harness-server --config %s; "
              "harness-cli connect opencode|crush|claude-code|codex|cursor --config %s\n",
              opt.path.c_str(), parsed->models.size(), opt.path.c_str(), opt.path.c_str());
  return std::fflush(stdout) == 0 ? exit_ok : exit_failure;
}

}  // namespace

void register_init(CLI::App& app, command_action& action) {
  auto opt = std::make_shared<init_options>();
  auto* cmd = app.add_subcommand(
      "init", "Look at this machine (local Ollama, provider keys) and write a commented config");
  cmd->add_option("--config", opt->path, "Config file to write")->capture_default_str();
  cmd->add_flag("--force", opt->force, "Replace the file if it exists");
  cmd->add_option("--ollama-url", opt->ollama_url,
                   "Ollama to look at (default: $OLLAMA_HOST, else http://127.0.0.1:11434)");
  cmd->callback([opt, &action] { action = [opt] { return run_init(*opt); }; });
}

}  // namespace harness_cli
