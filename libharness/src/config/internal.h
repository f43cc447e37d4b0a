// internal.h: helpers shared by the files of the config module (not installed).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include <harness/config.h>
#include <harness/result.h>

namespace harness::detail {

/// Variables of a `.env` file, by name.
using env_vars = std::map<std::string, std::string, std::less<>>;

/// Parses `.env` text (KEY=VALUE lines; see load_config). Errors are errc::config
/// "source_name:line: KEY: problem" and never show a value.
result<env_vars> parse_env_file(std::string_view text, std::string_view source_name);

/// The whole file; errc::config "cannot read PATH: reason" when it cannot be read.
result<std::string> read_text_file(const std::string& path);

/// [A-Za-z_][A-Za-z0-9_]*: what api_key_env / access_token_env must look like.
bool is_env_var_name(std::string_view name) noexcept;
/// A name that is more likely the key itself than a variable name (long, mixed case, digits).
bool looks_like_secret(std::string_view name) noexcept;

/// A key as written in a dotted path: bare when it is [A-Za-z0-9_-]+, else "quoted".
std::string key_segment(std::string_view key);
/// "providers.NAME".
std::string provider_key(std::string_view name);
/// "models[INDEX]" (counted from 0).
std::string model_key(std::size_t index);

/// " (did you mean 'x'?)" when one of `candidates` is close to `key`; empty otherwise.
std::string did_you_mean(std::string_view key, std::span<const std::string_view> candidates);

/// Exact name, then the longest prefix pattern; no default_model. nullptr when none.
const model_route* match_route(const config& cfg, std::string_view name) noexcept;

/// The problem with a provider's base_url (http(s), host, no query...), empty when none.
/// Never quotes the URL (it could hold credentials).
std::string base_url_problem(std::string_view url);

/// True for "localhost", 127.x.y.z, "::1" and "[::1]".
bool is_loopback_host(std::string_view host) noexcept;

}  // namespace harness::detail
