// init_config.h: the commented TOML config `harness-cli init` writes, from what it found.
// Pure text generation (no I/O), so tests and init share it.
#pragma once

#include <string>
#include <vector>

#include "ollama_discovery.h"

namespace harness_cli {

/// A cloud service init knows how to route to.
struct cloud_service {
  const char* provider;  ///< [providers.NAME]
  const char* title;     ///< for comments ("Anthropic")
  const char* kind;      ///< anthropic | openai | ollama
  const char* base_url;
  const char* key_env;   ///< the variable the provider's own tools read
  const char* pattern;   ///< prefix route: names clients send
  const char* upstream;  ///< upstream model of the pattern ("" passes the rest of the name)
  const char* example;   ///< a concrete public name for comments
};

/// Anthropic, OpenAI, OpenRouter and Ollama Cloud.
const std::vector<cloud_service>& cloud_services();

struct init_findings {
  std::string ollama_url;
  ollama_inventory ollama;
  std::vector<const cloud_service*> keyed;  ///< services whose key is set
  std::string dotenv_path;                  ///< the .env that was read; empty if none
};

/// How to write each route's policy: the `policy` key when the config loader knows it,
/// else the boolean keys (`rescue`, `emulate_tools`).
enum class policy_style { policy_key, booleans };

/// The whole config file text.
std::string render_init_config(const init_findings& found, policy_style style);

/// The public name init gives an Ollama model: its name without a ":latest" tag.
std::string public_name(const std::string& ollama_name);

}  // namespace harness_cli
