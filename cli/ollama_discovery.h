// ollama_discovery.h: what a running Ollama has (models from /api/tags, each one's capabilities
// from /api/show), for `harness-cli init`.
#pragma once

#include <string>
#include <vector>

namespace harness_cli {

struct ollama_model {
  std::string name;                       ///< as Ollama lists it ("qwen2.5-coder:32b")
  std::vector<std::string> capabilities;  ///< from /api/show ("completion", "tools", ...)
  bool capabilities_known = false;        ///< /api/show answered with a `capabilities` list
  long long context_length = 0;           ///< model_info "<arch>.context_length"; 0: unknown
  bool has(const std::string& capability) const;
};

struct ollama_inventory {
  bool reachable = false;
  std::string error;  ///< why not reachable, for the user
  std::vector<ollama_model> models;
};

/// Asks the Ollama at `base_url` (root, e.g. "http://127.0.0.1:11434") for its models and
/// their capabilities. Never throws; an Ollama that does not answer gives reachable = false.
ollama_inventory discover_ollama(const std::string& base_url);

/// The Ollama URL to look at: `flag` when given, else $OLLAMA_HOST (a "host:port" or a URL,
/// as Ollama itself reads it), else http://127.0.0.1:11434. No trailing '/'.
std::string ollama_url(const std::string& flag, const char* ollama_host_env);

}  // namespace harness_cli
