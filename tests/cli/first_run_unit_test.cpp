// The pure parts of `harness-cli init` and `connect`: the config text init writes for what it
// found, the Ollama URL it looks at, .env key names, and merging into the clients' files.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include <harness/config.h>

#include "client_configs.h"
#include "init_config.h"
#include "json_doc.h"
#include "ollama_discovery.h"

using namespace harness_cli;

namespace {

ollama_model model(std::string name, std::vector<std::string> caps, bool known = true) {
  ollama_model m;
  m.name = std::move(name);
  m.capabilities = std::move(caps);
  m.capabilities_known = known;
  return m;
}

harness::result<harness::config> parse(const std::string& text) {
  return harness::parse_config(text, "init.toml", [](std::string_view) {
    return std::optional<std::string>("present");
  });
}

const harness::model_route* route(const harness::config& cfg, const std::string& name) {
  for (const auto& m : cfg.models)
    if (m.name == name) return &m;
  return nullptr;
}

proxy_target target() {
  proxy_target t;
  t.root_url = "http://127.0.0.1:9000";
  t.models = {"coder", "small"};
  t.context_windows = {32768, 0};
  t.main_model = "coder";
  t.small_model = "small";
  return t;
}

}  // namespace

TEST_CASE("init writes a policy per capability and a config that loads") {
  init_findings found;
  found.ollama_url = "http://127.0.0.1:11434";
  found.ollama.reachable = true;
  found.ollama.models = {model("coder:latest", {"completion", "tools"}),
                         model("chat:7b", {"completion"}),
                         model("mystery", {}, /*known=*/false)};
  found.keyed = {&cloud_services()[0]};  // Anthropic
  for (policy_style style : {policy_style::policy_key, policy_style::booleans}) {
    const std::string text = render_init_config(found, style);
    auto cfg = parse(text);
    REQUIRE(cfg);
    CHECK(harness::check_config(*cfg).empty());
    const auto* coder = route(*cfg, "coder");
    REQUIRE(coder != nullptr);
    CHECK(coder->model == "coder:latest");
    CHECK(coder->policy.rescue);
    CHECK_FALSE(coder->policy.emulate_tools);
    const auto* chat = route(*cfg, "chat:7b");
    REQUIRE(chat != nullptr);
    CHECK(chat->policy.emulate_tools);
    REQUIRE(route(*cfg, "mystery") != nullptr);
    REQUIRE(route(*cfg, "claude-*") != nullptr);
    CHECK(cfg->default_model == "coder");
    if (style == policy_style::policy_key) {
      CHECK(route(*cfg, "mystery")->policy.choice == harness::policy_choice::automatic);
    }
    // Keys by name only.
    CHECK(text.find("ANTHROPIC_API_KEY") != std::string::npos);
    CHECK(text.find("OPENROUTER_API_KEY") != std::string::npos);
  }
}

TEST_CASE("init without Ollama or keys still writes a loadable config") {
  init_findings found;
  found.ollama_url = "http://127.0.0.1:11434";
  found.ollama.error = "connection refused";
  const std::string text = render_init_config(found, policy_style::policy_key);
  CHECK(text.find("connection refused") != std::string::npos);
  auto cfg = parse(text);
  REQUIRE(cfg);
  // One pass-through route to where Ollama will be, so check-config accepts the file.
  REQUIRE(cfg->models.size() == 1);
  CHECK(cfg->models[0].name == "*");
  CHECK(harness::check_config(*cfg).empty());
}

TEST_CASE("the Ollama URL follows --ollama-url, then OLLAMA_HOST as Ollama reads it") {
  CHECK(ollama_url("", nullptr) == "http://127.0.0.1:11434");
  CHECK(ollama_url("http://box:1/", "ignored:2") == "http://box:1");
  CHECK(ollama_url("", "0.0.0.0:11434") == "http://127.0.0.1:11434");
  CHECK(ollama_url("", ":8000") == "http://127.0.0.1:8000");
  CHECK(ollama_url("", "gpu-box") == "http://gpu-box:11434");
  CHECK(ollama_url("", "https://ollama.example/") == "https://ollama.example");
  CHECK(public_name("qwen3:latest") == "qwen3");
  CHECK(public_name("qwen3:8b") == "qwen3:8b");
}

TEST_CASE("merging into an OpenCode file keeps its keys and replaces only the proxy's block") {
  const std::string existing = R"({
    // my settings
    "theme": "dark",
    "model": "other/x",
    "provider": {"other": {"npm": "y"}, "harness": {"old": true}},
  })";
  std::string error;
  const std::string once = merge_client_config(client_kind::opencode, target(), existing, error);
  REQUIRE(error.empty());
  rapidjson::Document doc;
  REQUIRE_FALSE(doc.Parse(once.c_str()).HasParseError());
  CHECK(std::string(doc["theme"].GetString()) == "dark");
  CHECK(std::string(doc["model"].GetString()) == "other/x");
  CHECK(doc["provider"].HasMember("other"));
  CHECK_FALSE(doc["provider"]["harness"].HasMember("old"));
  CHECK(doc["provider"]["harness"]["models"].MemberCount() == 2);
  CHECK(std::string(doc["provider"]["harness"]["options"]["baseURL"].GetString()) ==
        "http://127.0.0.1:9000/v1");
  // Merging again changes nothing.
  CHECK(merge_client_config(client_kind::opencode, target(), once, error) == once);
}

TEST_CASE("an access token is referenced by its variable, never written") {
  proxy_target t = target();
  t.token_env = "PROXY_TOKEN";
  CHECK(client_snippet(client_kind::opencode, t).find("{env:PROXY_TOKEN}") != std::string::npos);
  CHECK(client_snippet(client_kind::crush, t).find("\"$PROXY_TOKEN\"") != std::string::npos);
  CHECK(client_snippet(client_kind::claude_code, t).find("ANTHROPIC_AUTH_TOKEN") ==
        std::string::npos);
  CHECK(client_snippet(client_kind::codex, t).find("env_key = 'PROXY_TOKEN'") != std::string::npos);
}

TEST_CASE("a client file that is not a JSON object or not TOML is refused") {
  std::string error;
  CHECK(merge_client_config(client_kind::crush, target(), "[1, 2]", error).empty());
  CHECK(error.find("not a JSON object") != std::string::npos);
  error.clear();
  CHECK(merge_client_config(client_kind::claude_code, target(), "{\"a\":", error).empty());
  CHECK_FALSE(error.empty());
  error.clear();
  CHECK(merge_client_config(client_kind::codex, target(), "model = ", error).empty());
  CHECK(error.find("line 1") != std::string::npos);
}

TEST_CASE("merging into Codex's config.toml replaces the proxy's tables and keeps the rest") {
  const std::string existing =
      "model = \"o3\"\n[model_providers.harness]\nbase_url = \"http://old/v1\"\n"
      "[model_providers.other]\nname = \"o\"\n[profiles.work]\nmodel = \"o3\"\n";
  std::string error;
  const std::string merged = merge_client_config(client_kind::codex, target(), existing, error);
  REQUIRE(error.empty());
  const toml::table doc = toml::parse(merged);
  CHECK(doc["model"].value_or(std::string()) == "o3");
  CHECK(doc["model_providers"]["other"]["name"].value_or(std::string()) == "o");
  CHECK(doc["model_providers"]["harness"]["base_url"].value_or(std::string()) ==
        "http://127.0.0.1:9000/v1");
  CHECK(doc["profiles"]["work"]["model"].value_or(std::string()) == "o3");
  CHECK(doc["profiles"]["harness"]["model"].value_or(std::string()) == "coder");
  // A file without the proxy's tables gets them appended, its text (comments) untouched.
  const std::string plain = "# mine\nmodel = \"o3\"\n";
  const std::string appended = merge_client_config(client_kind::codex, target(), plain, error);
  CHECK(appended.rfind(plain, 0) == 0);
  CHECK(toml::parse(appended)["profiles"]["harness"]["model_provider"].value_or(std::string()) ==
        "harness");
}
