// harness-cli models: each route's policy, where it came from and its health, from a running
// server (GET /v1/harness/models) or offline from a config file (--probe asks the backends).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <harness/config.h>
#include <harness/curl_transport.h>
#include <harness/gateway.h>

#include "commands.h"
#include "http_fetch.h"
#include "json_doc.h"

namespace harness_cli {
namespace {

struct models_options {
  std::string url = "http://127.0.0.1:8081";
  std::string config;
  bool probe = false;
};

std::string text_of(const rapidjson::Value& obj, const char* key) {
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// The server's JSON back into route states (only what the table shows).
bool parse_states(const std::string& body, std::vector<harness::route_state>& out) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray()) return false;
  for (const auto& item : doc.GetArray()) {
    if (!item.IsObject()) return false;
    harness::route_state s;
    s.name = text_of(item, "name");
    s.provider = text_of(item, "provider");
    s.upstream_model = text_of(item, "upstream_model");
    s.policy = text_of(item, "policy");
    s.policy_source = text_of(item, "policy_source");
    s.health = text_of(item, "health");
    s.detail = text_of(item, "detail");
    out.push_back(std::move(s));
  }
  return true;
}

void print_table(const std::vector<harness::route_state>& routes) {
  const char* heads[] = {"NAME", "PROVIDER", "UPSTREAM", "POLICY", "SOURCE", "HEALTH"};
  auto cells = [](const harness::route_state& r) {
    return std::vector<std::string>{r.name, r.provider,
                                    r.upstream_model.empty() ? "-" : r.upstream_model,
                                    r.policy, r.policy_source, r.health};
  };
  std::vector<std::size_t> width;
  for (const char* h : heads) width.push_back(std::string(h).size());
  for (const auto& r : routes) {
    const auto c = cells(r);
    for (std::size_t i = 0; i < c.size(); ++i) width[i] = std::max(width[i], c[i].size());
  }
  auto row = [&](const std::vector<std::string>& c, const std::string& tail) {
    std::string line;
    for (std::size_t i = 0; i < c.size(); ++i) {
      line += c[i];
      if (i + 1 < c.size()) line += std::string(width[i] - c[i].size() + 2, ' ');
    }
    std::printf("%s%s\n", line.c_str(), tail.c_str());
  };
  row({heads[0], heads[1], heads[2], heads[3], heads[4], heads[5]}, "");
  for (const auto& r : routes) row(cells(r), r.detail.empty() ? "" : "  (" + r.detail + ")");
}

int from_server(const std::string& url) {
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const fetch_result got = http_fetch(base + "/v1/harness/models", "", std::chrono::seconds(10));
  if (!got.ok()) {
    std::fprintf(stderr, "harness-cli models: %s/v1/harness/models: %s\n", base.c_str(),
                 got.status != 0 ? ("HTTP " + std::to_string(got.status)).c_str()
                                 : got.error.c_str());
    return exit_failure;
  }
  std::vector<harness::route_state> routes;
  if (!parse_states(got.body, routes)) {
    std::fprintf(stderr, "harness-cli models: the server's answer is not a route list\n");
    return exit_failure;
  }
  print_table(routes);
  return std::fflush(stdout) == 0 ? exit_ok : exit_failure;
}

int from_config(const models_options& o) {
  auto cfg = harness::load_config(o.config);
  if (!cfg) {
    std::fprintf(stderr, "%s\n", cfg.error_value().message.c_str());
    return exit_bad_input;
  }
  harness::curl_global_guard curl;
  std::shared_ptr<harness::transport> transport = harness::make_curl_transport();
  harness::gateway gw(std::make_shared<const harness::config>(std::move(*cfg)), transport);
  if (o.probe) gw.probe_routes(std::chrono::seconds(10));
  print_table(gw.routes());
  return std::fflush(stdout) == 0 ? exit_ok : exit_failure;
}

}  // namespace

void register_models(CLI::App& app, command_action& action) {
  auto o = std::make_shared<models_options>();
  auto* cmd = app.add_subcommand(
      "models", "Show each route's policy (native, rescue, emulate_tools, strip_tools), where it "
                "came from (config, discovered, learned, default) and its health");
  cmd->add_option("--url", o->url, "A running harness-server (default http://127.0.0.1:8081)");
  cmd->add_option("--config", o->config, "Read this config file instead of asking a server");
  cmd->add_flag("--probe", o->probe, "With --config: ask every backend now (Ollama /api/show, "
                                     "/models listings)");
  cmd->callback([o, &action] {
    action = [o] { return o->config.empty() ? from_server(o->url) : from_config(*o); };
  });
}

}  // namespace harness_cli
