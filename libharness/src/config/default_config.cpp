// default_config.cpp: the embedded configuration used when no file is given.
//
// A local Ollama takes every model name as is ("*"); Anthropic and OpenAI are added, with
// their usual model-name prefixes, only when their key variable is set.
#include <exception>
#include <initializer_list>
#include <string>

#include <harness/config.h>

namespace harness {
inline namespace v0 {
namespace {

std::string key_of(const env_lookup& env, const char* name) {
  if (!env) return {};
  try {
    return env(name).value_or(std::string());
  } catch (...) {
    return {};  // an environment that cannot be read has no keys
  }
}

provider_config make_provider(const char* name, dialect kind, const char* base_url,
                              const char* key_env = "", std::string key = {}) {
  provider_config p;
  p.name = name;
  p.kind = kind;
  p.base_url = base_url;
  p.api_key_env = key_env;
  p.api_key = std::move(key);
  return p;
}

void add_routes(config& cfg, const char* provider, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    model_route r;
    r.name = name;
    r.provider = provider;
    cfg.models.push_back(std::move(r));
  }
}

}  // namespace

config default_config(const env_lookup& env) {
  config cfg;
  cfg.source = "<embedded default>";
  cfg.providers.push_back(make_provider("local", dialect::ollama, "http://127.0.0.1:11434"));
  add_routes(cfg, "local", {"*"});
  if (std::string key = key_of(env, "ANTHROPIC_API_KEY"); !key.empty()) {
    cfg.providers.push_back(make_provider("anthropic", dialect::anthropic,
                                          "https://api.anthropic.com", "ANTHROPIC_API_KEY",
                                          std::move(key)));
    add_routes(cfg, "anthropic", {"claude-*"});
  }
  if (std::string key = key_of(env, "OPENAI_API_KEY"); !key.empty()) {
    cfg.providers.push_back(make_provider("openai", dialect::openai, "https://api.openai.com/v1",
                                          "OPENAI_API_KEY", std::move(key)));
    add_routes(cfg, "openai", {"gpt-*", "o1*", "o3*", "o4*"});
  }
  return cfg;
}

}  // namespace v0
}  // namespace harness
