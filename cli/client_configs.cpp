#include "client_configs.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <sstream>

#include "json_doc.h"

namespace harness_cli {
namespace {

using rapidjson::Value;
using alloc_t = rapidjson::Document::AllocatorType;

// The provider's key in every client's config.
constexpr const char* provider_id = "harness";
constexpr const char* provider_title = "libharness proxy";
constexpr const char* placeholder_key = "unused-unless-access_token-is-set";

Value str(const std::string& s, alloc_t& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// Sets obj[key] = value, replacing what was there.
void put(Value& obj, const char* key, Value value, alloc_t& a) {
  if (auto it = obj.FindMember(key); it != obj.MemberEnd()) {
    it->value = std::move(value);
  } else {
    obj.AddMember(Value(key, a), std::move(value), a);
  }
}

// obj[key] as an object, created (or replaced when it is not one).
Value& object_at(Value& obj, const char* key, alloc_t& a) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsObject()) {
    put(obj, key, Value(rapidjson::kObjectType), a);
    it = obj.FindMember(key);
  }
  return it->value;
}

std::string v1(const proxy_target& t) { return t.root_url + "/v1"; }

// OpenCode: a provider using @ai-sdk/openai-compatible; {env:NAME} reads a variable.
void merge_opencode(Value& doc, const proxy_target& t, alloc_t& a) {
  if (!doc.HasMember("$schema")) put(doc, "$schema", str("https://opencode.ai/config.json", a), a);
  Value p(rapidjson::kObjectType);
  p.AddMember("npm", "@ai-sdk/openai-compatible", a);
  p.AddMember("name", Value(provider_title, a), a);
  Value options(rapidjson::kObjectType);
  options.AddMember("baseURL", str(v1(t), a), a);
  options.AddMember("apiKey",
                    str(t.token_env.empty() ? placeholder_key : "{env:" + t.token_env + "}", a), a);
  p.AddMember("options", options, a);
  Value models(rapidjson::kObjectType);
  for (const auto& m : t.models) {
    Value entry(rapidjson::kObjectType);
    entry.AddMember("name", str(m + " (via proxy)", a), a);
    entry.AddMember("tool_call", true, a);
    models.AddMember(str(m, a), entry, a);
  }
  p.AddMember("models", models, a);
  put(object_at(doc, "provider", a), provider_id, std::move(p), a);
  // The user's own choice of model stays; a file without one gets the proxy's.
  if (!doc.HasMember("model") && !t.main_model.empty())
    put(doc, "model", str(std::string(provider_id) + "/" + t.main_model, a), a);
  if (!doc.HasMember("small_model") && !t.small_model.empty())
    put(doc, "small_model", str(std::string(provider_id) + "/" + t.small_model, a), a);
}

// Crush: an openai-compat provider; "$NAME" reads a variable.
void merge_crush(Value& doc, const proxy_target& t, alloc_t& a) {
  if (!doc.HasMember("$schema")) put(doc, "$schema", str("https://charm.land/crush.json", a), a);
  Value p(rapidjson::kObjectType);
  p.AddMember("name", Value(provider_title, a), a);
  p.AddMember("type", "openai-compat", a);
  p.AddMember("base_url", str(v1(t), a), a);
  p.AddMember("api_key", str(t.token_env.empty() ? placeholder_key : "$" + t.token_env, a), a);
  Value models(rapidjson::kArrayType);
  for (std::size_t i = 0; i < t.models.size(); ++i) {
    Value entry(rapidjson::kObjectType);
    entry.AddMember("id", str(t.models[i], a), a);
    entry.AddMember("name", str(t.models[i] + " (via proxy)", a), a);
    const int window = i < t.context_windows.size() ? t.context_windows[i] : 0;
    // Crush sizes its history and summaries by this; 128k when the config does not say.
    entry.AddMember("context_window", window > 0 ? window : 131072, a);
    entry.AddMember("default_max_tokens", 8192, a);
    models.PushBack(entry, a);
  }
  p.AddMember("models", models, a);
  put(object_at(doc, "providers", a), provider_id, std::move(p), a);
}

// Claude Code: ~/.claude/settings.json "env" (no /v1: it appends /v1/messages itself).
void merge_claude(Value& doc, const proxy_target& t, alloc_t& a) {
  Value& env = object_at(doc, "env", a);
  put(env, "ANTHROPIC_BASE_URL", str(t.root_url, a), a);
  // With an access token the user sets ANTHROPIC_AUTH_TOKEN in the shell: no secret in files.
  if (t.token_env.empty()) put(env, "ANTHROPIC_AUTH_TOKEN", str(placeholder_key, a), a);
  if (!t.main_model.empty()) put(env, "ANTHROPIC_MODEL", str(t.main_model, a), a);
  if (!t.small_model.empty())
    put(env, "ANTHROPIC_DEFAULT_HAIKU_MODEL", str(t.small_model, a), a);
  put(env, "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", Value("1", a), a);
}

std::string json_merge(client_kind kind, const proxy_target& t, const std::string& existing,
                       std::string& error) {
  rapidjson::Document doc;
  const bool blank = existing.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) {
    doc.SetObject();
  } else {
    // JSONC (comments, trailing commas) is accepted on read; the backup keeps the comments.
    constexpr unsigned flags = rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag;
    doc.Parse<flags>(existing.data(), existing.size());
    if (doc.HasParseError()) {
      error = fmt::format("not valid JSON at offset {}: {}", doc.GetErrorOffset(),
                          rapidjson::GetParseError_En(doc.GetParseError()));
      return {};
    }
    if (!doc.IsObject()) {
      error = "the file is not a JSON object";
      return {};
    }
  }
  auto& a = doc.GetAllocator();
  if (kind == client_kind::opencode) merge_opencode(doc, t, a);
  if (kind == client_kind::crush) merge_crush(doc, t, a);
  if (kind == client_kind::claude_code) merge_claude(doc, t, a);
  return json_pretty(doc);
}

toml::table codex_tables(const proxy_target& t) {
  toml::table provider{{"name", provider_title},
                       {"base_url", v1(t)},
                       {"wire_api", "responses"},
                       {"env_key", t.token_env.empty() ? "HARNESS_ACCESS_TOKEN" : t.token_env}};
  toml::table profile{{"model", t.main_model}, {"model_provider", provider_id}};
  return toml::table{{"model_providers", toml::table{{provider_id, provider}}},
                     {"profiles", toml::table{{provider_id, profile}}}};
}

std::string codex_snippet(const proxy_target& t) {
  std::ostringstream body;
  body << codex_tables(t);
  std::string out = "# ~/.codex/config.toml ($CODEX_HOME): run `codex --profile harness`.\n";
  out += "# Public models of the proxy: ";
  for (std::size_t i = 0; i < t.models.size(); ++i) out += (i ? ", " : "") + t.models[i];
  out += "\n";
  out += t.token_env.empty()
             ? "# Codex requires env_key to be set: export HARNESS_ACCESS_TOKEN=unused\n"
             : "# env_key names the variable holding the proxy's access token.\n";
  return out + body.str() + "\n";
}

std::string codex_merge(const proxy_target& t, const std::string& existing, std::string& error) {
  toml::table doc;
  try {
    doc = toml::parse(existing);
  } catch (const toml::parse_error& e) {
    error = fmt::format("not valid TOML at line {}: {}", e.source().begin.line, e.description());
    return {};
  }
  const bool ours_present = doc.at_path("model_providers.harness") ||
                            doc.at_path("profiles.harness");
  if (!ours_present) {
    // Appending keeps the user's comments and layout exactly.
    std::string out = existing;
    if (!out.empty() && out.back() != '\n') out += '\n';
    return out + "\n" + codex_snippet(t);
  }
  // Replace the proxy's tables; toml++ rewrites the file (the backup keeps its comments).
  const toml::table ours = codex_tables(t);
  for (const char* section : {"model_providers", "profiles"}) {
    auto* dest = doc[section].as_table();
    if (dest == nullptr) {
      doc.insert_or_assign(section, toml::table{});
      dest = doc[section].as_table();
    }
    dest->insert_or_assign(provider_id, *ours[section][provider_id].as_table());
  }
  std::ostringstream out;
  out << doc << "\n";
  return out.str();
}

std::string cursor_instructions(const proxy_target& t) {
  std::string names;
  for (const auto& m : t.models) names += "  " + m + "\n";
  return fmt::format(
      "Cursor keeps its model settings in the app (no config file to merge):\n"
      "  1. Cursor Settings > Models > API Keys > OpenAI API Key: {}\n"
      "  2. Turn on \"Override OpenAI Base URL\" and enter the proxy's /v1 URL.\n"
      "  3. Add each model name below as a custom model and enable it.\n"
      "Cursor sends these requests from its own servers, not from your machine, so\n"
      "{} is not reachable from there: expose the proxy through an HTTPS tunnel,\n"
      "set [server] access_token_env (the tunnel makes it public; the key in step 1 is then\n"
      "the token) and enter the tunnel's URL + /v1 in step 2.\n"
      "Public model names:\n{}",
      t.token_env.empty() ? "any non-empty value" : "the value of $" + t.token_env, v1(t), names);
}

}  // namespace

std::optional<client_kind> parse_client(const std::string& name) {
  if (name == "opencode") return client_kind::opencode;
  if (name == "crush") return client_kind::crush;
  if (name == "claude-code" || name == "claude") return client_kind::claude_code;
  if (name == "codex") return client_kind::codex;
  if (name == "cursor") return client_kind::cursor;
  return std::nullopt;
}

std::string client_snippet(client_kind kind, const proxy_target& target) {
  if (kind == client_kind::cursor) return cursor_instructions(target);
  if (kind == client_kind::codex) return codex_snippet(target);
  std::string unused;
  return json_merge(kind, target, "", unused);
}

std::string merge_client_config(client_kind kind, const proxy_target& target,
                                const std::string& existing, std::string& error) {
  if (kind == client_kind::codex) return codex_merge(target, existing, error);
  return json_merge(kind, target, existing, error);
}

}  // namespace harness_cli
