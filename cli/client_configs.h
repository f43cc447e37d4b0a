// client_configs.h: the provider block each coding tool needs to use the proxy, and merging it
// into the tool's own config file without losing what is there. Text in, text out (no I/O).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace harness_cli {

/// What a client needs to know about the proxy.
struct proxy_target {
  std::string root_url;             ///< "http://127.0.0.1:8081" (no /v1)
  std::vector<std::string> models;  ///< exact public names, in config order
  std::string main_model;           ///< the one to select by default
  std::string small_model;          ///< for titles / background work (Claude Code)
  std::string token_env;            ///< variable holding the proxy's access token; empty: none
  std::vector<int> context_windows; ///< per model; 0 unknown (Crush wants a number)
};

enum class client_kind { opencode, crush, claude_code, codex, cursor };

/// "opencode" -> client_kind::opencode, ...; nullopt for an unknown name.
std::optional<client_kind> parse_client(const std::string& name);

/// The complete snippet for the client (JSON for OpenCode, Crush and Claude Code's
/// settings.json; TOML for Codex; plain instructions for Cursor).
std::string client_snippet(client_kind kind, const proxy_target& target);

/// `existing` (the client's file, possibly empty) with the proxy's block merged in: other keys,
/// providers and tables are kept; the proxy's own entries are replaced. Error text (a file that
/// does not parse) in `error`, then the return value is empty. Not for Cursor.
std::string merge_client_config(client_kind kind, const proxy_target& target,
                                const std::string& existing, std::string& error);

}  // namespace harness_cli
