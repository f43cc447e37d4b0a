// `policy`, `on_no_tools` and `[server] discovery_ttl_s` (#12): parsed into model_policy, the
// named policy sets its boolean, and a contradiction with a boolean is an error with its line.
#include <catch2/catch.hpp>

#include <string>

#include <harness/config.h>

using namespace harness;

namespace {

const char* kHead =
    "[server]\ndiscovery_ttl_s = 60\n\n[providers.local]\nkind = \"ollama\"\n"
    "base_url = \"http://127.0.0.1:11434\"\n\n";

result<config> parse(const std::string& models) {
  return parse_config(std::string(kHead) + models, "p.toml",
                      [](std::string_view) { return std::nullopt; });
}

std::string model(const std::string& body) {
  return "[[models]]\nname = \"m\"\nprovider = \"local\"\n" + body;
}

}  // namespace

TEST_CASE("policy names set the matching fix, and auto keeps them all off") {
  auto cfg = parse(model("policy = \"auto\"\non_no_tools = \"strip\"\n"));
  REQUIRE(cfg);
  CHECK(cfg->server.discovery_ttl_s == 60);
  const model_policy& p = cfg->models[0].policy;
  CHECK(p.choice == policy_choice::automatic);
  CHECK(p.on_no_tools == no_tools_action::strip);
  CHECK_FALSE(p.rescue);
  CHECK_FALSE(p.emulate_tools);
  CHECK_FALSE(p.strip_tools);

  auto rescue = parse(model("policy = \"rescue\"\n"));
  REQUIRE(rescue);
  CHECK(rescue->models[0].policy.rescue);
  auto emulate = parse(model("policy = \"emulate_tools\"\nrescue = true\n"));  // compatible
  REQUIRE(emulate);
  CHECK(emulate->models[0].policy.emulate_tools);
  auto strip = parse(model("policy = \"strip_tools\"\n"));
  REQUIRE(strip);
  CHECK(strip->models[0].policy.strip_tools);
  auto plain = parse(model(""));
  REQUIRE(plain);
  CHECK(plain->models[0].policy.choice == policy_choice::unset);
  CHECK(plain->models[0].policy.on_no_tools == no_tools_action::emulate);
  CHECK(plain->server.discovery_ttl_s == 60);
}

TEST_CASE("a policy that contradicts a boolean is an error on the policy's line") {
  // Lines: 1 [server] .. 7 blank, 8 [[models]], 9 name, 10 provider, 11 strip_tools, 12 policy.
  auto cfg = parse(model("strip_tools = true\npolicy = \"native\"\n"));
  REQUIRE_FALSE(cfg);
  CHECK(cfg.error_value().message ==
        "p.toml:12:10: models[0].policy: conflicts with strip_tools = true (set one or the other)");
  auto auto_rescue = parse(model("policy = \"auto\"\nrescue = true\n"));
  REQUIRE_FALSE(auto_rescue);
  CHECK(auto_rescue.error_value().message.find("models[0].policy: conflicts with rescue") !=
        std::string::npos);
}

TEST_CASE("unknown policy and on_no_tools values are errors that list the choices") {
  auto cfg = parse(model("policy = \"automatic\"\n"));
  REQUIRE_FALSE(cfg);
  CHECK(cfg.error_value().message ==
        "p.toml:11:10: models[0].policy: unknown policy 'automatic' (expected auto, native, "
        "rescue, emulate_tools or strip_tools)");
  auto bad = parse(model("on_no_tools = \"drop\"\n"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error_value().message.find("expected emulate or strip") != std::string::npos);
  auto typed = parse(model("policy = true\n"));
  REQUIRE_FALSE(typed);
  CHECK(typed.error_value().message.find("expected a string") != std::string::npos);
}

TEST_CASE("a negative discovery_ttl_s is reported by check_config") {
  auto cfg = parse_config(
      "[server]\ndiscovery_ttl_s = -1\n\n[providers.local]\nkind = \"ollama\"\n"
      "base_url = \"http://127.0.0.1:11434\"\n\n[[models]]\nname = \"m\"\nprovider = \"local\"\n",
      "p.toml", [](std::string_view) { return std::nullopt; });
  REQUIRE(cfg);
  const auto problems = check_config(*cfg);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "p.toml:2: server.discovery_ttl_s: must not be negative");
}
