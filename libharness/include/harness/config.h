// config.h: the one configuration of a gateway: server settings, providers, model routes.
//
// A config is an immutable value once loaded. Keys (API keys, access tokens) are resolved from
// the environment and held only in `secret` fields, which no function of the library ever
// prints, logs or serialises.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <harness/dialect.h>
#include <harness/result.h>

namespace harness {
inline namespace v0 {

/// Looks up an environment variable by name; nullopt when unset. The functions below call it
/// only during their own call and do not keep it. Tests and embedders pass their own.
using env_lookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment (getenv at lookup time). POSIX getenv is not safe against a
/// concurrent setenv/putenv in another thread: load configs before starting threads that
/// change the environment.
env_lookup process_env();

/// `[server]`: where and how the proxy listens. Defaults are safe for a laptop.
struct server_config {
  std::string host = "127.0.0.1";
  int port = 8081;
  /// Clients must send it (Authorization: Bearer / x-api-key) when set. Required when `host`
  /// is not a loopback address.
  std::string access_token_env;
  std::string access_token;  ///< resolved secret; never printed
  std::int64_t max_body_bytes = 32 * 1024 * 1024;
  int max_concurrent_streams = 256;
  int threads = 0;  ///< HTTP event-loop threads (no thread per connection); 0: one per core the process may use
  std::int64_t request_timeout_ms = 600000;
  std::int64_t first_byte_timeout_ms = 300000;
  std::int64_t idle_timeout_ms = 300000;
  std::int64_t connect_timeout_ms = 10000;
  int retries = 1;  ///< extra attempts on 429 / 5xx / connect failure, before any byte is sent
  std::int64_t retry_backoff_ms = 250;
  /// Where harness-server writes one JSON line per exchange: "stderr", "off", or a file path
  /// (appended to; a relative path is relative to the config file's directory).
  std::string request_log = "stderr";
  /// How long what a backend said about a model (`policy = "auto"`) is trusted before it is
  /// asked again, in seconds; 0: ask at every request.
  std::int64_t discovery_ttl_s = 600;
  /// Directory where harness-server records every exchange (docs/record-replay.md; keys
  /// redacted); empty: no recording. A relative path is relative to the config file's directory.
  std::string record_dir;
};

/// `[providers.NAME]`: one upstream service.
struct provider_config {
  std::string name;
  dialect kind = dialect::openai;
  /// anthropic: the root (the proxy posts /v1/messages); openai: includes /v1 (posts
  /// /chat/completions); ollama: the root (posts /api/chat). Trailing '/' removed on load.
  std::string base_url;
  std::string api_key_env;  ///< name of the variable holding the key; empty: no key
  std::string api_key;      ///< resolved secret; never printed
  bool key_present() const noexcept { return !api_key.empty(); }
};

/// `policy = "..."` of a `[[models]]` entry.
enum class policy_choice {
  unset,          ///< no `policy` key: the booleans decide; an Ollama route with none is `automatic`
  automatic,      ///< "auto": ask the backend what the model can do (discovery) and pick
  native,         ///< "native": tools as they are, no fixer
  rescue,         ///< "rescue": native tools, calls printed as text promoted (same as rescue = true)
  emulate_tools,  ///< "emulate_tools" (same as emulate_tools = true)
  strip_tools,    ///< "strip_tools" (same as strip_tools = true)
};

/// `on_no_tools`: what an automatic policy does for a model without tool support.
enum class no_tools_action { emulate, strip };

/// Per-model fixes and defaults.
struct model_policy {
  /// `policy`; the parser also sets the matching boolean below ("rescue" -> rescue = true).
  policy_choice choice = policy_choice::unset;
  no_tools_action on_no_tools = no_tools_action::emulate;
  bool strip_tools = false;    ///< the model crashes on tool schemas: remove tools, flatten history
  bool rescue = false;         ///< promote tool calls printed as text into real calls
  bool emulate_tools = false;  ///< describe tools in the prompt and rescue the reply
  std::optional<std::int64_t> max_tokens;  ///< output limit when the client sends none
  std::optional<std::int64_t> num_ctx;     ///< Ollama context window
  std::vector<std::string> fallbacks;      ///< public model names tried when this one fails
};

/// `[[models]]`: a public model name and where it goes.
struct model_route {
  /// What clients send as `model`. A name ending in '*' is a prefix pattern: "ollama/*" routes
  /// "ollama/qwen3" to upstream model `model`, or to "qwen3" when `model` is empty.
  std::string name;
  std::string provider;  ///< a key of `providers`
  std::string model;     ///< the upstream model id
  model_policy policy;
  int line = 0;          ///< line of the entry in the config file (for messages)
};

/// A whole configuration. A regular value (copyable, owns its strings); the gateway shares one
/// as `std::shared_ptr<const config>`, so it is read concurrently and never changed.
struct config {
  server_config server;
  std::vector<provider_config> providers;
  std::vector<model_route> models;
  /// Route for model names no entry matches (e.g. the small model Claude Code uses for titles);
  /// empty: unknown names are a 404.
  std::string default_model;
  std::string source;    ///< the file it came from, or "<embedded default>"
  std::string env_file;  ///< the .env that was read, empty if none
  /// Line of each table and key read from the file ("server", "server.port", "providers.local",
  /// "providers.local.base_url", "models[0]", "models[0].provider", "default_model"); used only
  /// to place messages. Empty for the embedded default.
  std::map<std::string, int, std::less<>> key_lines;

  /// The provider called `name`; nullptr when none.
  const provider_config* find_provider(std::string_view name) const noexcept;
  /// The route for a client's model name: an exact name first, then the longest matching
  /// prefix pattern ("claude-*"; the first declared on a tie), then the route of
  /// `default_model` (itself matched exactly or by prefix); nullptr when none.
  const model_route* find_model(std::string_view name) const noexcept;
};

/// Parses TOML text. Unknown keys, wrongly typed values and missing required keys (`kind`,
/// `base_url` of a provider; `name`, `provider` of a model) are errors (errc::config) whose
/// `message` is one whole line "source_name:line:col: key: problem" (models counted from 0:
/// "models[2].provder: unknown key (did you mean 'provider'?)") and whose `path` is
/// "source_name:line:col"; the earliest in the file is reported. Keys (`api_key_env`,
/// `access_token_env`) are resolved through `env`; a missing key is not an error here (see
/// check_config). Never throws.
result<config> parse_config(std::string_view toml_text, std::string_view source_name,
                            const env_lookup& env);

/// Reads `path`, and the `.env` file beside it when present (its variables fill what `env` does
/// not set, or sets to an empty string). `.env` syntax: KEY=VALUE lines, optional `export `
/// prefix, `#` comments, blank lines, values bare or in single ('literal') or double quotes
/// (with \n \t \" \\ escapes). Errors as parse_config; a bad `.env` line is an error
/// "path/.env:line: KEY: problem" that never shows the value.
result<config> load_config(const std::string& path, const env_lookup& env = process_env());

/// The variables of the `.env` file at `path`, read with the syntax load_config uses, as a
/// lookup over them alone (a variable set to "" counts as unset). No file at `path`: a lookup
/// that finds nothing. Errors (errc::config): the file cannot be read, or a bad line
/// ("path:line: KEY: problem", never the value).
result<env_lookup> read_env_file(const std::string& path);

/// The embedded default: a local Ollama at 127.0.0.1:11434 (model names passed through), plus
/// Anthropic / OpenAI routes for the keys `env` has. Never fails; reads no file.
config default_config(const env_lookup& env = process_env());

/// Checks a loaded config for problems that are not syntax: unknown provider, missing key
/// variable, duplicate model name, bad URL, unsafe bind, port out of range (0 is allowed: any
/// free port), fallbacks or default_model naming no model. Each problem is one line
/// "file:line: key: what is wrong" ("file: key: ..." when the line is unknown), in line
/// order; empty when all is well. No line ever contains a resolved key. Never throws.
std::vector<std::string> check_config(const config& cfg);

}  // namespace v0
}  // namespace harness
