// load_file.cpp: load_config, a config file plus the `.env` beside it.
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include <harness/config.h>

#include "config/internal.h"

namespace harness {
inline namespace v0 {
namespace {

namespace fs = std::filesystem;

/// The `.env` beside `config_path` (absolute when it can be made so, for messages).
std::string env_path_beside(const std::string& config_path) {
  const fs::path env = fs::path(config_path).parent_path() / ".env";
  std::error_code ec;
  fs::path absolute = fs::absolute(env, ec);
  return (ec ? env : absolute.lexically_normal()).string();
}

// The variables of the .env at `env_file` (none when there is no such file).
result<std::shared_ptr<detail::env_vars>> env_vars_of(const std::string& env_file) {
  auto vars = std::make_shared<detail::env_vars>();
  std::error_code ec;
  if (!fs::is_regular_file(env_file, ec)) return vars;
  auto env_text = detail::read_text_file(env_file);
  if (!env_text) return std::move(env_text).error_value();
  auto parsed = detail::parse_env_file(*env_text, env_file);
  if (!parsed) return std::move(parsed).error_value();
  *vars = std::move(*parsed);
  return vars;
}

}  // namespace

result<env_lookup> read_env_file(const std::string& path) {
  try {
    auto vars = env_vars_of(path);
    if (!vars) return std::move(vars).error_value();
    return env_lookup([vars = *vars](std::string_view name) -> std::optional<std::string> {
      if (const auto it = vars->find(name); it != vars->end() && !it->second.empty()) {
        return it->second;
      }
      return std::nullopt;
    });
  } catch (const std::exception& e) {
    return make_error(errc::config, path + ": cannot read: " + e.what(), path);
  }
}

result<config> load_config(const std::string& path, const env_lookup& env) {
  try {
    auto text = detail::read_text_file(path);
    if (!text) return std::move(text).error_value();

    std::string env_file = env_path_beside(path);
    auto read = env_vars_of(env_file);
    if (!read) return std::move(read).error_value();
    std::shared_ptr<detail::env_vars> vars = std::move(*read);
    std::error_code ec;
    if (!fs::is_regular_file(env_file, ec)) env_file.clear();

    // The real environment wins; an empty variable counts as unset (it can hold no key).
    env_lookup merged = [&env, vars](std::string_view name) -> std::optional<std::string> {
      std::optional<std::string> v = env ? env(name) : std::nullopt;
      if (v && !v->empty()) return v;
      if (const auto it = vars->find(name); it != vars->end()) return it->second;
      return v;
    };
    auto cfg = parse_config(*text, path, merged);
    if (!cfg) return cfg;
    cfg->env_file = std::move(env_file);
    return cfg;
  } catch (const std::exception& e) {
    return make_error(errc::config, path + ": cannot load the configuration: " + e.what(), path);
  } catch (...) {
    return make_error(errc::config, path + ": cannot load the configuration", path);
  }
}

}  // namespace v0
}  // namespace harness
