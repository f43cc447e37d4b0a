// harness-cli connect CLIENT: the provider block a coding tool needs to use the proxy, with the
// proxy's exact public model names (from the config, or from a running proxy's /v1/models);
// --write merges it into the tool's config file, after a timestamped backup.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <harness/config.h>

#include "client_configs.h"
#include "commands.h"
#include "http_fetch.h"
#include "io.h"
#include "json_doc.h"

namespace harness_cli {
namespace {

namespace fs = std::filesystem;

struct connect_options {
  std::string client;
  std::string config_path;
  std::string url;
  bool write = false;
  std::string target;
};

int fail(const std::string& message, int code = exit_bad_input) {
  std::fprintf(stderr, "harness-cli connect: %s\n", message.c_str());
  return code;
}

// The proxy's names from its config: concrete routes only (a pattern is no model name).
std::optional<proxy_target> target_from_config(const std::string& path, std::string& error) {
  auto cfg = harness::load_config(path);
  if (!cfg) {
    error = cfg.error_value().message;
    return std::nullopt;
  }
  proxy_target t;
  std::string host = cfg->server.host;
  if (host == "0.0.0.0" || host == "::" || host.empty()) host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  if (cfg->server.port == 0) {
    error = path + ": [server] port is 0 (any free port): pass the running proxy's --url instead";
    return std::nullopt;
  }
  t.root_url = "http://" + host + ":" + std::to_string(cfg->server.port);
  t.token_env = cfg->server.access_token_env;
  for (const auto& m : cfg->models) {
    if (!m.name.empty() && m.name.back() == '*') continue;
    t.models.push_back(m.name);
    t.context_windows.push_back(m.policy.num_ctx ? static_cast<int>(*m.policy.num_ctx) : 0);
  }
  const auto is_concrete = [&t](const std::string& n) {
    return std::find(t.models.begin(), t.models.end(), n) != t.models.end();
  };
  if (!t.models.empty()) t.main_model = t.models.front();
  t.small_model = is_concrete(cfg->default_model) ? cfg->default_model : t.main_model;
  return t;
}

// The names a running proxy lists at GET /v1/models.
std::optional<proxy_target> target_from_url(std::string url, std::string& error) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() >= 3 && url.compare(url.size() - 3, 3, "/v1") == 0) url.resize(url.size() - 3);
  const fetch_result r = http_fetch(url + "/v1/models", "", std::chrono::seconds(5));
  if (r.status == 401) {
    error = "GET " + url + "/v1/models: 401, the proxy wants its access token: use --config FILE";
    return std::nullopt;
  }
  if (!r.ok()) {
    error = "GET " + url + "/v1/models: " +
            (r.status != 0 ? "HTTP " + std::to_string(r.status) : r.error) +
            " (is harness-server running there?)";
    return std::nullopt;
  }
  rapidjson::Document doc;
  doc.Parse(r.body.data(), r.body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data") || !doc["data"].IsArray()) {
    error = "GET " + url + "/v1/models did not answer a model list";
    return std::nullopt;
  }
  proxy_target t;
  t.root_url = url;
  for (const auto& m : doc["data"].GetArray()) {
    if (m.IsObject() && m.HasMember("id") && m["id"].IsString()) {
      t.models.emplace_back(m["id"].GetString(), m["id"].GetStringLength());
      t.context_windows.push_back(0);
    }
  }
  if (!t.models.empty()) t.main_model = t.small_model = t.models.front();
  return t;
}

std::string home_path(const char* rel) {
  const char* home = std::getenv("HOME");
  return (fs::path(home != nullptr ? home : ".") / rel).string();
}

std::string xdg_config(const char* rel) {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg != '\0') return (fs::path(xdg) / rel).string();
  return home_path((std::string(".config/") + rel).c_str());
}

// Each client's own user-level config file.
std::string default_target(client_kind kind) {
  switch (kind) {
    case client_kind::opencode: return xdg_config("opencode/opencode.json");
    case client_kind::crush: return xdg_config("crush/crush.json");
    case client_kind::claude_code: {
      const char* dir = std::getenv("CLAUDE_CONFIG_DIR");
      if (dir != nullptr && *dir != '\0') return (fs::path(dir) / "settings.json").string();
      return home_path(".claude/settings.json");
    }
    case client_kind::codex: {
      const char* dir = std::getenv("CODEX_HOME");
      if (dir != nullptr && *dir != '\0') return (fs::path(dir) / "config.toml").string();
      return home_path(".codex/config.toml");
    }
    case client_kind::cursor: break;
  }
  return {};
}

std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

int write_merged(client_kind kind, const proxy_target& t, const std::string& path) {
  std::error_code ec;
  std::string existing;
  const bool exists = fs::exists(path, ec);
  if (exists) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return fail("cannot read " + path, exit_failure);
    existing = text.str();
  }
  std::string error;
  const std::string merged = merge_client_config(kind, t, existing, error);
  if (!error.empty()) return fail(path + ": " + error + "; left unchanged");
  std::string backup;
  if (exists) {
    // Never overwrite an earlier backup (two merges in one second).
    backup = path + ".bak." + timestamp();
    const std::string stem = backup;
    for (int i = 1; fs::exists(backup, ec); ++i) backup = stem + "-" + std::to_string(i);
    fs::copy_file(path, backup, fs::copy_options::none, ec);
    if (ec) return fail("cannot write the backup " + backup + ": " + ec.message(), exit_failure);
  } else if (const auto dir = fs::path(path).parent_path(); !dir.empty()) {
    fs::create_directories(dir, ec);
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << merged;
    if (!out.flush()) return fail("cannot write " + tmp, exit_failure);
  }
  fs::rename(tmp, path, ec);
  if (ec) return fail("cannot write " + path + ": " + ec.message(), exit_failure);
  std::fprintf(stderr, "merged the harness provider into %s%s\n", path.c_str(),
               backup.empty() ? " (new file)" : (" (backup: " + backup + ")").c_str());
  return exit_ok;
}

int run_connect(const connect_options& opt) {
  const auto kind = parse_client(opt.client);
  if (!kind) {
    return fail("unknown client '" + opt.client +
                "'; one of: opencode, crush, claude-code, codex, cursor");
  }
  std::string error;
  std::optional<proxy_target> target;
  if (!opt.url.empty()) {
    target = target_from_url(opt.url, error);
    if (!target) return fail(error, exit_failure);
  } else {
    const std::string path = opt.config_path.empty() ? "harness.toml" : opt.config_path;
    std::error_code ec;
    if (opt.config_path.empty() && !fs::exists(path, ec)) {
      return fail("no harness.toml here: pass --config FILE, --url http://HOST:PORT of a "
                  "running proxy, or run `harness-cli init` first");
    }
    target = target_from_config(path, error);
    if (!target) return fail(error);
  }
  if (target->models.empty()) {
    return fail("the proxy has no exact model names to offer (only prefix routes such as "
                "'claude-*'); add [[models]] entries with exact names");
  }
  if (!opt.write) {
    return write_out(client_snippet(*kind, *target)) && std::fflush(stdout) == 0 ? exit_ok
                                                                                  : exit_failure;
  }
  if (*kind == client_kind::cursor) {
    std::fputs(client_snippet(*kind, *target).c_str(), stderr);
    return fail("Cursor has no config file to merge into: follow the steps above");
  }
  return write_merged(*kind, *target, opt.target.empty() ? default_target(*kind) : opt.target);
}

}  // namespace

void register_connect(CLI::App& app, command_action& action) {
  auto opt = std::make_shared<connect_options>();
  auto* cmd = app.add_subcommand(
      "connect", "Print (or --write into the client's config) the block a coding tool needs to "
                 "use the proxy, with its exact model names");
  cmd->add_option("client", opt->client, "opencode | crush | claude-code | codex | cursor")
      ->required();
  auto* config = cmd->add_option("--config", opt->config_path,
                                 "The proxy's config file (default: ./harness.toml)");
  cmd->add_option("--url", opt->url, "A running proxy (its GET /v1/models names the models)")
      ->excludes(config);
  auto* write = cmd->add_flag("--write", opt->write,
                              "Merge into the client's config file (keeps what is there; "
                              "writes FILE.bak.TIMESTAMP first)");
  cmd->add_option("--target", opt->target, "The client's config file to merge into")
      ->needs(write);
  cmd->callback([opt, &action] { action = [opt] { return run_connect(*opt); }; });
}

}  // namespace harness_cli
