#include "init_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace harness_cli {
namespace {

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// What a local model needs, from its /api/show capabilities.
enum class need { native, emulate, unsure };

need need_of(const ollama_model& m) {
  if (!m.capabilities_known) return need::unsure;
  return m.has("tools") ? need::native : need::emulate;
}

std::string policy_lines(need n, policy_style style) {
  if (style == policy_style::policy_key) {
    switch (n) {
      // "rescue": native tool calls, plus calls a local model prints as text promoted.
      case need::native: return "policy = \"rescue\"\n";
      case need::emulate: return "policy = \"emulate_tools\"\n";
      case need::unsure: return "policy = \"auto\"\n";
    }
  }
  switch (n) {
    case need::native: return "rescue = true\n";
    case need::emulate: return "emulate_tools = true\n";
    case need::unsure: return "rescue = true\n";
  }
  return {};
}

std::string why(const ollama_model& m, need n) {
  std::string caps;
  for (const auto& c : m.capabilities) caps += (caps.empty() ? "" : ", ") + c;
  switch (n) {
    case need::native:
      return fmt::format("# {}: capabilities {} -> native tool calls (rescue promotes calls it "
                         "prints as text)\n", m.name, caps);
    case need::emulate:
      return fmt::format("# {}: capabilities {} (no \"tools\") -> tools emulated in the prompt\n",
                         m.name, caps.empty() ? "(none)" : caps);
    case need::unsure:
      return fmt::format("# {}: Ollama did not report capabilities -> unsure; if it answers 400 "
                         "to tools, use emulate_tools = true\n", m.name);
  }
  return {};
}

}  // namespace

const std::vector<cloud_service>& cloud_services() {
  static const std::vector<cloud_service> services = {
      {"anthropic", "Anthropic", "anthropic", "https://api.anthropic.com", "ANTHROPIC_API_KEY",
       "claude-*", "", "claude-sonnet-4-6"},
      {"openai", "OpenAI", "openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-*", "",
       "gpt-5"},
      {"openrouter", "OpenRouter", "openai", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
       "openrouter/*", "", "openrouter/qwen/qwen3-coder"},
      {"ollama_cloud", "Ollama Cloud", "ollama", "https://ollama.com", "OLLAMA_API_KEY", "cloud/*",
       "", "cloud/gpt-oss:120b"},
  };
  return services;
}

std::string public_name(const std::string& ollama_name) {
  constexpr std::string_view latest = ":latest";
  if (ollama_name.size() > latest.size() &&
      ollama_name.compare(ollama_name.size() - latest.size(), latest.size(), latest) == 0)
    return ollama_name.substr(0, ollama_name.size() - latest.size());
  return ollama_name;
}

std::string render_init_config(const init_findings& found, policy_style style) {
  std::string out;
  out += "# harness.toml: written by `harness-cli init` from what this machine has. Edit freely;\n"
         "# `harness-cli check-config FILE` checks it, `harness-cli connect CLIENT` points a\n"
         "# coding tool at it. All keys: examples/harness.toml and README.md.\n#\n";
  out += "# API keys come from the environment or from a .env file beside this file\n"
         "# (KEY=VALUE lines; real environment variables win). Names only, never values:\n";
  for (const auto& s : cloud_services()) {
    const bool has = std::find(found.keyed.begin(), found.keyed.end(), &s) != found.keyed.end();
    out += fmt::format("#   {:<20} {:<13} {}\n", s.key_env, s.title,
                       has ? "found: routes below"
                           : "not set: set it and run `harness-cli init --force` to add routes");
  }
  if (!found.dotenv_path.empty()) out += "# (read " + found.dotenv_path + ")\n";
  out += "\n";

  // The local models, in Ollama's order; names made unique.
  struct local_route {
    const ollama_model* model;
    std::string name;
    need n;
  };
  std::vector<local_route> locals;
  std::set<std::string> used;
  for (const auto& m : found.ollama.models) {
    std::string name = public_name(m.name);
    if (!used.insert(name).second) {
      name = m.name;
      if (!used.insert(name).second) continue;
    }
    locals.push_back({&m, name, need_of(m)});
  }

  // Top-level keys come before the first table. Names no route matches (Claude Code's small
  // model for titles) go to the first local model that calls tools natively.
  const auto fallback = std::find_if(locals.begin(), locals.end(),
                                     [](const local_route& r) { return r.n == need::native; });
  if (fallback != locals.end()) {
    out += "# Model names no route below matches (e.g. Claude Code's small model) go here.\n";
    out += "default_model = " + toml_string(fallback->name) + "\n\n";
  }

  out += "[server]\nhost = \"127.0.0.1\"          # loopback only; another address needs "
         "access_token_env\nport = 8081\n\n";

  // With nothing found, one pass-through route to the Ollama URL keeps the file usable (the
  // proxy flags it unreachable until Ollama runs) instead of a config that refuses everything.
  const bool nothing_found = locals.empty() && found.keyed.empty();
  if (found.ollama.reachable || nothing_found) {
    if (found.ollama.reachable) {
      out += fmt::format("# Local Ollama: {} model(s) found at {}.\n", locals.size(),
                         found.ollama_url);
    } else {
      out += fmt::format("# No Ollama answered at {}{}. Start it (`ollama serve`) and run\n"
                         "# `harness-cli init --force` for a route per model.\n",
                         found.ollama_url,
                         found.ollama.error.empty() ? "" : " (" + found.ollama.error + ")");
    }
    out += "[providers.local]\nkind = \"ollama\"\nbase_url = " + toml_string(found.ollama_url) +
           "\n\n";
  } else {
    out += fmt::format("# No Ollama answered at {}{}. Start it (`ollama serve`) and run\n"
                       "# `harness-cli init --force`, or pass --ollama-url.\n\n",
                       found.ollama_url,
                       found.ollama.error.empty() ? "" : " (" + found.ollama.error + ")");
  }
  for (const cloud_service* s : found.keyed) {
    out += fmt::format("# {}: key from {}.\n[providers.{}]\nkind = \"{}\"\nbase_url = \"{}\"\n"
                       "api_key_env = \"{}\"\n\n",
                       s->title, s->key_env, s->provider, s->kind, s->base_url, s->key_env);
  }

  for (const auto& r : locals) {
    out += why(*r.model, r.n);
    out += "[[models]]\nname = " + toml_string(r.name) + "\nprovider = \"local\"\nmodel = " +
           toml_string(r.model->name) + "\n";
    out += policy_lines(r.n, style);
    if (r.model->context_length > 0) {
      // Ollama's small default context truncates coding-tool prompts.
      out += fmt::format("num_ctx = {}\n", std::min<long long>(r.model->context_length, 32768));
    }
    out += "\n";
  }
  for (const cloud_service* s : found.keyed) {
    out += fmt::format("# {} models by name, e.g. \"{}\". Add a [[models]] entry per exact name\n"
                       "# you want clients to list (`harness-cli connect` names only those).\n",
                       s->title, s->example);
    out += fmt::format("[[models]]\nname = \"{}\"\nprovider = \"{}\"\n", s->pattern, s->provider);
    if (*s->upstream != '\0') out += fmt::format("model = \"{}\"\n", s->upstream);
    out += "\n";
  }
  if (nothing_found) {
    out += "# Nothing found yet (no Ollama models, no provider keys): every model name goes to\n"
           "# the local Ollama as is. See examples/harness.toml for more providers.\n"
           "[[models]]\nname = \"*\"\nprovider = \"local\"\n";
  }
  return out;
}

}  // namespace harness_cli
