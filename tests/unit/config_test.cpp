// Tests of the config module: TOML schema and errors, .env, routing, default config, checks.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <harness/config.h>

#include "config/internal.h"

using namespace harness;

namespace {

namespace fs = std::filesystem;

std::string data(const std::string& rel) {
  return std::string(HARNESS_TEST_DATA_DIR) + "/config/" + rel;
}

std::string sample_path() {
  return std::string(HARNESS_TEST_DATA_DIR) + "/../../examples/harness.toml";
}

/// A fake environment.
env_lookup env_of(std::map<std::string, std::string, std::less<>> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const env_lookup no_env = env_of({});

/// The error message of parsing `text` as "t.toml" (the test fails when it parses).
std::string parse_error(std::string_view text) {
  auto r = parse_config(text, "t.toml", no_env);
  REQUIRE_FALSE(r);
  CHECK(r.error_value().code == errc::config);
  return r.error_value().message;
}

/// A fresh directory, removed with its contents at the end of the scope.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string templ = (fs::temp_directory_path() / "harness_config_XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

/// Changes the working directory for the scope.
struct scoped_cwd {
  fs::path old = fs::current_path();
  explicit scoped_cwd(const fs::path& to) { fs::current_path(to); }
  ~scoped_cwd() {
    std::error_code ec;
    fs::current_path(old, ec);
  }
};

const char* const minimal = R"(
[providers.local]
kind = "ollama"
base_url = "http://127.0.0.1:11434"

[[models]]
name = "m"
provider = "local"
)";

}  // namespace

TEST_CASE("the sample examples/harness.toml parses and checks clean with its keys set") {
  auto cfg = load_config(sample_path(), env_of({{"ANTHROPIC_API_KEY", "sk-ant-sample-key-0000000000"},
                                                {"OPENROUTER_API_KEY", "sk-or-sample-key-000000000"},
                                                {"OLLAMA_API_KEY", "ollama-sample-key-00000000"}}));
  REQUIRE(cfg);
  CHECK(cfg->providers.size() == 4);
  CHECK(cfg->server.host == "127.0.0.1");
  CHECK(cfg->server.port == 8081);
  CHECK(cfg->default_model == "claude-sonnet-4-6");
  REQUIRE(cfg->find_provider("ollama-cloud") != nullptr);
  CHECK(cfg->find_provider("ollama-cloud")->kind == dialect::ollama);
  CHECK(cfg->find_provider("openrouter")->kind == dialect::openai);
  CHECK(cfg->find_provider("anthropic")->api_key == "sk-ant-sample-key-0000000000");
  CHECK(cfg->find_model("claude-sonnet-4-6")->model == "claude-sonnet-4-6");
  CHECK(cfg->find_model("qwen3-coder")->policy.rescue);
  CHECK(check_config(*cfg).empty());

  // Without the keys, each provider with api_key_env is reported, naming its variable.
  auto bare = load_config(sample_path(), no_env);
  REQUIRE(bare);
  const auto problems = check_config(*bare);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].find("providers.anthropic.api_key_env: ANTHROPIC_API_KEY is not set") !=
        std::string::npos);
  CHECK(problems[1].find("OPENROUTER_API_KEY") != std::string::npos);
  CHECK(problems[2].find("OLLAMA_API_KEY") != std::string::npos);
}

TEST_CASE("every key is read into its field") {
  auto cfg = load_config(data("full.toml"), env_of({{"FULL_TOKEN", "token-0123456789"},
                                                    {"FULL_KEY", "key-0123456789"}}));
  REQUIRE(cfg);
  const server_config& s = cfg->server;
  CHECK(s.host == "0.0.0.0");
  CHECK(s.port == 9000);
  CHECK(s.access_token_env == "FULL_TOKEN");
  CHECK(s.access_token == "token-0123456789");
  CHECK(s.max_body_bytes == 1048576);
  CHECK(s.max_concurrent_streams == 8);
  CHECK(s.threads == 4);
  CHECK(s.request_timeout_ms == 1000);
  CHECK(s.first_byte_timeout_ms == 2000);
  CHECK(s.idle_timeout_ms == 3000);
  CHECK(s.connect_timeout_ms == 4000);
  CHECK(s.retries == 3);
  CHECK(s.retry_backoff_ms == 50);
  REQUIRE(cfg->models.size() == 2);
  const model_route& m = cfg->models[0];
  CHECK(m.name == "small");
  CHECK(m.provider == "up");
  CHECK(m.model == "upstream-small");
  CHECK(m.line == 23);
  CHECK(m.policy.strip_tools);
  CHECK(m.policy.rescue);
  CHECK(m.policy.emulate_tools);
  CHECK(m.policy.max_tokens == 4096);
  CHECK(m.policy.num_ctx == 8192);
  CHECK(m.policy.fallbacks == std::vector<std::string>{"big"});
  CHECK(cfg->models[1].model.empty());
  CHECK(cfg->source == data("full.toml"));
  CHECK(cfg->env_file.empty());
  CHECK(cfg->key_lines.at("server.port") == 6);
  CHECK(check_config(*cfg).empty());  // 0.0.0.0 is fine with an access token
}

TEST_CASE("providers keep the order of the file and base_url loses its trailing slash") {
  auto cfg = parse_config(R"(
[providers.zeta]
kind = "openai"
base_url = "https://z.example/v1/"
[providers.alpha]
kind = "anthropic"
base_url = "https://a.example"
)",
                          "t.toml", no_env);
  REQUIRE(cfg);
  REQUIRE(cfg->providers.size() == 2);
  CHECK(cfg->providers[0].name == "zeta");
  CHECK(cfg->providers[0].base_url == "https://z.example/v1");
  CHECK(cfg->providers[1].name == "alpha");
  CHECK(cfg->providers[1].kind == dialect::anthropic);
}

TEST_CASE("an unknown key names file, line, column and key, with a suggestion") {
  const std::string path = data("errors/unknown_key.toml");
  auto r = load_config(path, no_env);
  REQUIRE_FALSE(r);
  // The misspelt key is reported, not the "provider" it leaves missing.
  CHECK(r.error_value().message ==
        path + ":12:1: models[1].provder: unknown key (did you mean 'provider'?)");
  CHECK(r.error_value().path == path + ":12:1");
  CHECK(r.error_value().code == errc::config);

  CHECK(parse_error("[server]\nhost = \"::1\"\n  prot = 1\n") ==
        "t.toml:3:3: server.prot: unknown key (did you mean 'port'?)");
  CHECK(parse_error("serve = 1\n") == "t.toml:1:1: serve: unknown key (did you mean 'server'?)");
  CHECK(parse_error("[providers.x]\nkind = \"openai\"\nbase_url = \"http://h\"\napi_key = \"k\"\n") ==
        "t.toml:4:1: providers.x.api_key: unknown key (did you mean 'api_key_env'?)");
  CHECK(parse_error("[server]\nwhatever = 1\n") == "t.toml:2:1: server.whatever: unknown key");
  CHECK(parse_error(std::string(minimal) + "default_model = \"m\"\n") ==
        "t.toml:9:1: models[0].default_model: unknown key (top-level keys must come before the "
        "first [table])");
}

TEST_CASE("the earliest error of the file is reported") {
  CHECK(parse_error("[server]\nzz = 1\naa = 2\n") == "t.toml:2:1: server.zz: unknown key");
}

TEST_CASE("wrongly typed values are errors, never defaults") {
  CHECK(parse_error("[server]\nport = \"8081\"\n") ==
        "t.toml:2:8: server.port: expected an integer, got a string");
  CHECK(parse_error("[server]\nmax_body_bytes = 1.5\n") ==
        "t.toml:2:18: server.max_body_bytes: expected an integer, got a float");
  CHECK(parse_error("[server]\nport = 99999999999\n") == "t.toml:2:8: server.port: value out of range");
  CHECK(parse_error(std::string(minimal) + "rescue = \"yes\"\n") ==
        "t.toml:9:10: models[0].rescue: expected a boolean, got a string");
  CHECK(parse_error(std::string(minimal) + "max_tokens = 1.0\n") ==
        "t.toml:9:14: models[0].max_tokens: expected an integer, got a float");
  CHECK(parse_error(std::string(minimal) + "fallbacks = [\"a\", 1]\n") ==
        "t.toml:9:19: models[0].fallbacks[1]: expected a string, got an integer");
  CHECK(parse_error(std::string(minimal) + "fallbacks = \"a\"\n") ==
        "t.toml:9:13: models[0].fallbacks: expected an array, got a string");
  CHECK(parse_error("[providers.x]\nkind = \"gemini\"\nbase_url = \"http://h\"\n") ==
        "t.toml:2:8: providers.x.kind: unknown kind 'gemini' (expected anthropic, openai or ollama)");
  CHECK(parse_error("default_model = 3\n") == "t.toml:1:17: default_model: expected a string, got an integer");
  CHECK(parse_error("server = 1\n") == "t.toml:1:10: server: expected a table ([server]), got an integer");
  CHECK(parse_error("[providers]\nx = \"y\"\n") ==
        "t.toml:2:5: providers.x: expected a table ([providers.x]), got a string");
  CHECK(parse_error("[models]\nname = \"m\"\n") ==
        "t.toml:1:1: models: expected an array of tables ([[models]]), got a table");
}

TEST_CASE("missing required keys are errors at the table") {
  CHECK(parse_error("[providers.x]\nkind = \"openai\"\n") == "t.toml:1:1: providers.x.base_url: required key is missing");
  CHECK(parse_error("\n[[models]]\nname = \"m\"\n") == "t.toml:2:1: models[0].provider: required key is missing");
}

TEST_CASE("TOML syntax errors carry file, line and column") {
  const std::string message = parse_error("[server]\nport = \n");
  INFO(message);
  CHECK(message.rfind("t.toml:2:8: ", 0) == 0);
  CHECK(message.find("expected value") != std::string::npos);
  CHECK(parse_error("a = 1\na = 2\n").rfind("t.toml:2:", 0) == 0);
}

TEST_CASE("api_key_env must name a variable, and a pasted key is never echoed") {
  const std::string key = "sk-ant-api03-AbCdEf0123456789xyz";
  const std::string message =
      parse_error("[providers.a]\nkind = \"anthropic\"\nbase_url = \"https://h\"\napi_key_env = \"" + key + "\"\n");
  CHECK(message.rfind("t.toml:4:15: providers.a.api_key_env: must be the NAME", 0) == 0);
  CHECK(message.find(key) == std::string::npos);
  // Letters and digits only, but clearly a key.
  const std::string alnum = "AbCdEf0123456789abcdef0123456789";
  const std::string m2 = parse_error("[server]\naccess_token_env = \"" + alnum + "\"\n");
  CHECK(m2.find(alnum) == std::string::npos);
}

TEST_CASE("the .env beside the config is read whatever the working directory") {
  temp_dir elsewhere;
  scoped_cwd cwd(elsewhere.path);
  auto cfg = load_config(data("dotenv/harness.toml"), no_env);
  REQUIRE(cfg);
  CHECK(cfg->env_file == fs::path(data("dotenv/.env")).lexically_normal().string());
  CHECK(cfg->find_provider("anthropic")->api_key == "sk-ant-test-from-dotenv-0001");
  CHECK(cfg->find_provider("anthropic")->base_url == "https://api.anthropic.com");
  CHECK(cfg->find_provider("openai")->api_key == "sk-openai-test-\"quoted\"-0002");
  CHECK(cfg->server.access_token == "token literal \\n 0003");
  CHECK(check_config(*cfg).empty());
}

TEST_CASE("real environment variables win over the .env, and empty ones do not") {
  auto cfg = load_config(data("dotenv/harness.toml"),
                         env_of({{"HARNESS_TEST_ANTHROPIC_KEY", "sk-from-the-environment-9999"},
                                 {"HARNESS_TEST_OPENAI_KEY", ""}}));
  REQUIRE(cfg);
  CHECK(cfg->find_provider("anthropic")->api_key == "sk-from-the-environment-9999");
  CHECK(cfg->find_provider("openai")->api_key == "sk-openai-test-\"quoted\"-0002");
}

TEST_CASE(".env syntax") {
  auto vars = detail::parse_env_file(
      "\xEF\xBB\xBF# comment\r\n\r\nA=1\r\nexport B = two words # note\n C=\"x\\ny\" # c\n"
      "E='a#b'\nF=a#b\nG=\"multi\nline\"\nH=\nA=again\n",
      ".env");
  REQUIRE(vars);
  CHECK(vars->at("A") == "again");
  CHECK(vars->at("B") == "two words");
  CHECK(vars->at("C") == "x\ny");
  CHECK(vars->at("E") == "a#b");
  CHECK(vars->at("F") == "a#b");
  CHECK(vars->at("G") == "multi\nline");
  CHECK(vars->at("H").empty());

  auto bad = detail::parse_env_file("A=1\nOPENAI_KEY \"sk-secret-value-123456\"\n", "/p/.env");
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().message == "/p/.env:2: OPENAI_KEY: expected '=' after the name");
  auto unterminated = detail::parse_env_file("\n\nK=\"sk-secret-value-123456\n", "/p/.env");
  REQUIRE_FALSE(unterminated);
  CHECK(unterminated.error_value().message == "/p/.env:3: K: unterminated quoted value");
  auto junk = detail::parse_env_file("sk-secret-value-123456\n", "/p/.env");
  REQUIRE_FALSE(junk);
  CHECK(junk.error_value().message.find("sk-secret") == std::string::npos);
  auto trailing = detail::parse_env_file("K='v' sk-secret-value-123456\n", "/p/.env");
  REQUIRE_FALSE(trailing);
  CHECK(trailing.error_value().message.find("sk-secret") == std::string::npos);
}

TEST_CASE("a bad .env fails load_config with its path and line") {
  temp_dir dir;
  const std::string config_path = dir.write("harness.toml", minimal);
  dir.write(".env", "# keys\nNOT A LINE\n");
  auto r = load_config(config_path, no_env);
  REQUIRE_FALSE(r);
  CHECK(r.error_value().message ==
        (dir.path / ".env").string() + ":2: NOT: expected '=' after the name");
}

TEST_CASE("an unreadable config file is an error naming it") {
  auto r = load_config(data("does-not-exist.toml"), no_env);
  REQUIRE_FALSE(r);
  CHECK(r.error_value().code == errc::config);
  CHECK(r.error_value().message.find("does-not-exist.toml") != std::string::npos);
  CHECK(r.error_value().message.find("No such file") != std::string::npos);
}

TEST_CASE("model names: exact first, then the longest prefix, then default_model") {
  auto cfg = parse_config(R"(default_model = "fallback"
[providers.p]
kind = "openai"
base_url = "http://h/v1"
[[models]]
name = "*"
provider = "p"
[[models]]
name = "claude-*"
provider = "p"
[[models]]
name = "claude-opus-*"
provider = "p"
[[models]]
name = "claude-opus-4"
provider = "p"
[[models]]
name = "fallback"
provider = "p"
model = "small"
)",
                          "t.toml", no_env);
  REQUIRE(cfg);
  CHECK(cfg->find_model("claude-opus-4")->name == "claude-opus-4");
  CHECK(cfg->find_model("claude-opus-4-1")->name == "claude-opus-*");
  CHECK(cfg->find_model("claude-sonnet")->name == "claude-*");
  CHECK(cfg->find_model("llama3")->name == "*");
  CHECK(cfg->find_provider("p")->kind == dialect::openai);
  CHECK(cfg->find_provider("q") == nullptr);

  cfg->models.erase(cfg->models.begin());  // without the catch-all, default_model applies
  CHECK(cfg->find_model("llama3")->name == "fallback");
  cfg->default_model = "claude-x";  // default_model is matched like a name
  CHECK(cfg->find_model("llama3")->name == "claude-*");
  cfg->default_model.clear();
  CHECK(cfg->find_model("llama3") == nullptr);
}

TEST_CASE("default_config: local Ollama always, hosted providers with their keys") {
  const config bare = default_config(no_env);
  CHECK(bare.source == "<embedded default>");
  REQUIRE(bare.providers.size() == 1);
  CHECK(bare.providers[0].name == "local");
  CHECK(bare.providers[0].kind == dialect::ollama);
  CHECK(bare.providers[0].base_url == "http://127.0.0.1:11434");
  REQUIRE(bare.models.size() == 1);
  CHECK(bare.find_model("claude-sonnet-4-6")->provider == "local");
  CHECK(bare.find_model("qwen3")->model.empty());
  CHECK(check_config(bare).empty());

  const config keyed = default_config(env_of({{"ANTHROPIC_API_KEY", "sk-ant-default-000000000"},
                                              {"OPENAI_API_KEY", "sk-openai-default-000000000"}}));
  REQUIRE(keyed.providers.size() == 3);
  CHECK(keyed.find_provider("anthropic")->base_url == "https://api.anthropic.com");
  CHECK(keyed.find_provider("anthropic")->api_key == "sk-ant-default-000000000");
  CHECK(keyed.find_provider("openai")->base_url == "https://api.openai.com/v1");
  CHECK(keyed.find_model("claude-sonnet-4-6")->provider == "anthropic");
  for (const char* name : {"gpt-4.1", "o1-mini", "o3", "o4-mini"}) CHECK(keyed.find_model(name)->provider == "openai");
  CHECK(keyed.find_model("qwen3")->provider == "local");
  CHECK(check_config(keyed).empty());

  const config only_openai = default_config(env_of({{"OPENAI_API_KEY", "sk-openai-default-000000000"}}));
  CHECK(only_openai.find_provider("anthropic") == nullptr);
  CHECK(only_openai.find_model("claude-sonnet-4-6")->provider == "local");
}

TEST_CASE("check_config keeps each problem on one line when names hold control characters") {
  // Found by fuzz_config: a fallback written "qw\n3-coder" (a TOML escape) made a two-line message.
  auto cfg = parse_config(
      "[providers.p]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\n"
      "[[models]]\nname = \"m\"\nprovider = \"p\"\nfallbacks = [\"qw\\n3\\u0007x\"]\n",
      "t.toml", no_env);
  REQUIRE(cfg);
  const auto problems = check_config(*cfg);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "t.toml:7: models[0].fallbacks: unknown model 'qw\\n3\\x07x'");
}

TEST_CASE("check_config reports each problem at its file:line and key") {
  const std::string path = data("errors/problems.toml");
  auto cfg = load_config(path, no_env);
  REQUIRE(cfg);
  const std::vector<std::string> expected = {
      path + ":1: default_model: 'nowhere' matches no [[models]] name",
      path + ":4: server.host: binding to 0.0.0.0 requires [server] access_token_env (clients "
             "must then send that token)",
      path + ":5: server.port: 70000 is out of range (1-65535; 0: any free port)",
      path + ":10: providers.anthropic.api_key_env: PROBLEMS_ANTHROPIC_KEY is not set or empty "
             "(looked in the environment; no .env file was read beside the config)",
      path + ":14: providers.broken.base_url: must start with http:// or https://",
      path + ":19: models[0].fallbacks: unknown model 'ghost'",
      path + ":22: models[1].name: duplicate model name 'claude' (first defined by models[0] at "
             "line 16)",
      path + ":23: models[1].provider: unknown provider 'antropic' (known: anthropic, broken)",
  };
  CHECK(check_config(*cfg) == expected);
}

TEST_CASE("a missing key names the .env that was read") {
  temp_dir dir;
  const std::string config_path = dir.write("harness.toml", std::string(R"(
[providers.a]
kind = "anthropic"
base_url = "https://api.anthropic.com"
api_key_env = "CHECK_MISSING_KEY"
)") + "[[models]]\nname = \"m\"\nprovider = \"a\"\n");
  dir.write(".env", "OTHER=1\n");
  auto cfg = load_config(config_path, no_env);
  REQUIRE(cfg);
  const auto problems = check_config(*cfg);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == config_path + ":5: providers.a.api_key_env: CHECK_MISSING_KEY is not set or "
                                     "empty (looked in the environment and " +
                           (dir.path / ".env").string() + ")");
}

TEST_CASE("base_url must be http(s) with a host and no query") {
  CHECK(detail::base_url_problem("https://api.anthropic.com").empty());
  CHECK(detail::base_url_problem("http://127.0.0.1:11434").empty());
  CHECK(detail::base_url_problem("HTTPS://openrouter.ai/api/v1").empty());
  CHECK(detail::base_url_problem("http://[::1]:8080/v1").empty());
  CHECK(detail::base_url_problem("") == "missing; must be an http:// or https:// URL");
  CHECK(detail::base_url_problem("api.openai.com/v1") == "must start with http:// or https://");
  CHECK(detail::base_url_problem("https:///v1") == "has no host");
  CHECK(detail::base_url_problem("https://:80") == "has no host");
  CHECK(detail::base_url_problem("https://h/v1?x=1") == "must not have a query ('?...')");
  CHECK(detail::base_url_problem("https://h/#a") == "must not have a fragment ('#...')");
  CHECK(detail::base_url_problem("https://h:99999") == "has a bad port (1-65535)");
  CHECK(detail::base_url_problem("https://h:8a") == "has a bad port (1-65535)");
  // Found by fuzz_config: a non-digit followed by many digits overflowed the port value (UB).
  CHECK(detail::base_url_problem("https://h:8a99999999999999999999999") == "has a bad port (1-65535)");
  CHECK(detail::base_url_problem("https://h:99999999999999999999999") == "has a bad port (1-65535)");
  CHECK(detail::base_url_problem("https://h:65535").empty());
  CHECK(detail::base_url_problem("https://h /v1") == "must not contain spaces or control characters");
  CHECK(detail::base_url_problem("https://u:sk-secret@h").find("sk-secret") == std::string::npos);
}

TEST_CASE("check_config: kind-specific base_url paths, unsafe bind, numbers") {
  auto cfg = parse_config(R"([server]
host = "192.168.1.5"
port = -1
max_body_bytes = 0
retries = -2
[providers.a]
kind = "anthropic"
base_url = "https://api.anthropic.com/v1"
[providers.o]
kind = "openai"
base_url = "https://api.openai.com/v1/chat/completions"
[providers.l]
kind = "ollama"
base_url = "http://localhost:11434/api"
[[models]]
name = "x*y"
provider = "a"
max_tokens = 0
fallbacks = ["x*y"]
)",
                          "t.toml", no_env);
  REQUIRE(cfg);
  const std::vector<std::string> expected = {
      "t.toml:2: server.host: binding to 192.168.1.5 requires [server] access_token_env (clients "
      "must then send that token)",
      "t.toml:3: server.port: -1 is out of range (1-65535; 0: any free port)",
      "t.toml:4: server.max_body_bytes: must be greater than 0",
      "t.toml:5: server.retries: must not be negative",
      "t.toml:8: providers.a.base_url: for kind anthropic give the root (https://api.anthropic.com); "
      "the proxy adds /v1/messages",
      "t.toml:11: providers.o.base_url: for kind openai give the URL up to /v1; the proxy adds "
      "/chat/completions",
      "t.toml:14: providers.l.base_url: for kind ollama give the root (http://127.0.0.1:11434); the "
      "proxy adds /api/chat",
      "t.toml:16: models[0].name: '*' may only end a name (a prefix pattern such as \"claude-*\")",
      "t.toml:18: models[0].max_tokens: must be greater than 0",
      "t.toml:19: models[0].fallbacks: 'x*y' is this model itself",
  };
  CHECK(check_config(*cfg) == expected);

  config loopback = default_config(no_env);
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) {
    loopback.server.host = host;
    CHECK(check_config(loopback).empty());
  }
  loopback.server.port = 0;
  CHECK(check_config(loopback).empty());
}

TEST_CASE("check_config: empty config and a pattern default_model") {
  auto empty = parse_config("", "t.toml", no_env);
  REQUIRE(empty);
  CHECK(check_config(*empty) ==
        std::vector<std::string>{"t.toml: models: no [[models]] entries: every request would be refused"});

  auto cfg = parse_config(std::string("default_model = \"ollama/qwen3\"\n") + minimal +
                              "[[models]]\nname = \"ollama/*\"\nprovider = \"local\"\n",
                          "t.toml", no_env);
  REQUIRE(cfg);
  const auto problems = check_config(*cfg);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].rfind("t.toml:1: default_model: 'ollama/qwen3' matches the pattern 'ollama/*'", 0) == 0);
}

TEST_CASE("secrets never appear in any message") {
  const std::string key = "sk-ant-SECRET-never-shown-0123456789";
  const std::string token = "tok-SECRET-never-shown-9876543210";
  const env_lookup env = env_of({{"K1", key}, {"TOKEN", token}});
  std::vector<std::string> messages;

  // Every check fires on a config holding resolved secrets.
  auto cfg = parse_config(R"(default_model = "nope"
[server]
host = "0.0.0.0"
port = 123456
access_token_env = "TOKEN"
[providers.a]
kind = "anthropic"
base_url = "ftp://x"
api_key_env = "K1"
[providers.b]
kind = "openai"
base_url = "https://h/v1"
api_key_env = "MISSING"
[[models]]
name = "m"
provider = "zzz"
fallbacks = ["ghost"]
[[models]]
name = "m"
provider = "a"
)",
                          "t.toml", env);
  REQUIRE(cfg);
  CHECK(cfg->find_provider("a")->api_key == key);
  CHECK(cfg->server.access_token == token);
  const auto problems = check_config(*cfg);
  CHECK(problems.size() >= 6);
  messages.insert(messages.end(), problems.begin(), problems.end());

  // Whatever text ends up holding a key is redacted.
  config odd = *cfg;
  odd.models[0].provider = key;
  odd.default_model = token;
  for (const auto& m : check_config(odd)) messages.push_back(m);

  // Parse errors of a file whose keys resolve.
  for (std::string_view text : {"[server]\naccess_token_env = \"TOKEN\"\nbogus = 1\n",
                                "[providers.a]\nkind = \"anthropic\"\nbase_url = 1\napi_key_env = \"K1\"\n",
                                "[server\n"}) {
    auto r = parse_config(text, "t.toml", env);
    REQUIRE_FALSE(r);
    messages.push_back(r.error_value().message);
    messages.push_back(r.error_value().describe());
  }

  // A .env holding the key with a broken line after it.
  temp_dir dir;
  const std::string config_path = dir.write("harness.toml", minimal);
  dir.write(".env", "K1=" + key + "\nK2 " + key + "\n");
  auto bad_env = load_config(config_path, no_env);
  REQUIRE_FALSE(bad_env);
  messages.push_back(bad_env.error_value().describe());

  for (const std::string& m : messages) {
    INFO(m);
    CHECK(m.find(key) == std::string::npos);
    CHECK(m.find(token) == std::string::npos);
    CHECK(m.find("SECRET") == std::string::npos);
  }
}

TEST_CASE("read_env_file: the variables of a .env by load_config's syntax, empty ones unset") {
  const auto dir = std::filesystem::temp_directory_path() / ("harness-envfile-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / ".env").string();
  {
    std::ofstream out(path);
    out << "# comment\nexport A_KEY=\"x\"\nB_KEY=\nC_KEY=''\n  D_KEY = v # note\n"
        << "E_KEY=\"two\nlines\"\n";
  }
  auto vars = read_env_file(path);
  REQUIRE(vars);
  CHECK((*vars)("A_KEY") == std::optional<std::string>("x"));
  CHECK((*vars)("D_KEY") == std::optional<std::string>("v"));
  CHECK((*vars)("E_KEY") == std::optional<std::string>("two\nlines"));
  CHECK_FALSE((*vars)("B_KEY"));
  CHECK_FALSE((*vars)("C_KEY"));
  CHECK_FALSE((*vars)("HOME"));  // the file only, not the process environment

  auto none = read_env_file((dir / "absent.env").string());
  REQUIRE(none);
  CHECK_FALSE((*none)("A_KEY"));

  {
    std::ofstream out(path);
    out << "GOOD=1\nnot a line sk-secret-value\n";
  }
  auto bad = read_env_file(path);
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().code == errc::config);
  CHECK(bad.error_value().message.find(":2:") != std::string::npos);
  CHECK(bad.error_value().message.find("sk-secret-value") == std::string::npos);
  std::filesystem::remove_all(dir);
}
