// `[server] request_log`: the config key and the server's log destination.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <harness/config.h>

#include "process.h"
#include "request_log.h"

using harness_server::request_log;

namespace {

const harness::env_lookup no_env = [](std::string_view) -> std::optional<std::string> {
  return std::nullopt;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* minimal_models =
    "[providers.p]\nkind = \"ollama\"\nbase_url = \"http://127.0.0.1:11434\"\n\n"
    "[[models]]\nname = \"m\"\nprovider = \"p\"\nmodel = \"m\"\n";

}  // namespace

TEST_CASE("request_log is read from [server] and defaults to stderr", "[request_log]") {
  auto defaulted = harness::parse_config(minimal_models, "t.toml", no_env);
  REQUIRE(defaulted);
  CHECK(defaulted->server.request_log == "stderr");

  auto file = harness::parse_config(std::string("[server]\nrequest_log = \"logs/requests.jsonl\"\n") +
                                        minimal_models,
                                    "t.toml", no_env);
  REQUIRE(file);
  CHECK(file->server.request_log == "logs/requests.jsonl");
  for (const auto& p : harness::check_config(*file)) FAIL_CHECK(p);

  auto wrong_type = harness::parse_config(std::string("[server]\nrequest_log = 1\n") + minimal_models,
                                          "t.toml", no_env);
  REQUIRE_FALSE(wrong_type);
  CHECK(wrong_type.error_value().message.find("t.toml:2:15: server.request_log") == 0);

  auto empty = harness::parse_config(std::string("[server]\nrequest_log = \"\"\n") + minimal_models,
                                     "t.toml", no_env);
  REQUIRE(empty);
  const auto problems = harness::check_config(*empty);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("server.request_log: must not be empty") != std::string::npos);
}

TEST_CASE("a request log file is appended to, relative to the config directory", "[request_log]") {
  const std::string dir = harness_test::make_temp_dir("reqlog");
  {
    std::ofstream(dir + "/requests.jsonl") << "{\"earlier\":true}\n";
  }
  std::string error;
  auto log = request_log::open("requests.jsonl", dir, error);
  REQUIRE(log != nullptr);
  CHECK(log->enabled());
  CHECK(log->path() == dir + "/requests.jsonl");
  log->write(R"({"n":1})");
  log->write(R"({"n":2})");
  CHECK(read_file(dir + "/requests.jsonl") == "{\"earlier\":true}\n{\"n\":1}\n{\"n\":2}\n");

  // logrotate moves the file, then SIGHUP: the next lines go to a new file at the same path.
  REQUIRE(std::rename((dir + "/requests.jsonl").c_str(), (dir + "/requests.jsonl.1").c_str()) == 0);
  log->write(R"({"n":3})");
  CHECK(log->reopen());
  log->write(R"({"n":4})");
  CHECK(read_file(dir + "/requests.jsonl.1").ends_with("{\"n\":3}\n"));
  CHECK(read_file(dir + "/requests.jsonl") == "{\"n\":4}\n");
}

TEST_CASE("request_log off and unopenable paths", "[request_log]") {
  std::string error;
  auto off = request_log::open("off", "", error);
  REQUIRE(off != nullptr);
  CHECK_FALSE(off->enabled());
  auto stderr_log = request_log::open("stderr", "/nowhere", error);
  REQUIRE(stderr_log != nullptr);
  CHECK(stderr_log->enabled());
  CHECK(stderr_log->path().empty());

  auto bad = request_log::open("/nonexistent-dir-7f3a/requests.jsonl", "", error);
  CHECK(bad == nullptr);
  CHECK(error.find("cannot open request_log /nonexistent-dir-7f3a/requests.jsonl") == 0);
}
