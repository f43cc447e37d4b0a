// harness-cli eval: grade models through the proxy (over HTTP, or an in-process gateway built
// from a config) with the tests of harness::eval, and write the table and reports.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <harness/config.h>
#include <harness/curl_transport.h>
#include <harness/eval.h>

#include "commands.h"
#include "python_check.h"

namespace harness_cli {
namespace {

namespace ev = harness::eval;

struct eval_args {
  std::string base_url;
  std::string config_path;
  std::vector<std::string> models;
  bool all = false;
  std::string profile = "crush";
  int repeat = 1;
  std::vector<std::string> tests;
  std::string report_path;
  std::string json_path;
  int concurrency = 4;
  bool raw_vs_fixed = false;
  bool simulated = false;
  int timeout_s = 120;
  std::string api_key_env;
  std::string client_api = "auto";
  std::string suggest_path;
};

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted.store(true); }

std::string policy_of(const harness::config& cfg, const harness::model_route* r) {
  if (r == nullptr) return "\u2014";
  // `policy = "auto"`, written or implied (an Ollama route with no fixer set).
  const auto& p = r->policy;
  const harness::provider_config* provider = cfg.find_provider(r->provider);
  if (p.choice == harness::policy_choice::automatic ||
      (p.choice == harness::policy_choice::unset && !p.rescue && !p.emulate_tools && !p.strip_tools &&
       provider && provider->kind == harness::dialect::ollama))
    return "auto";
  std::string out;
  auto add = [&out](const char* s) { out += (out.empty() ? "" : "+") + std::string(s); };
  if (r->policy.emulate_tools) add("emulate");
  if (r->policy.strip_tools) add("strip");
  if (r->policy.rescue) add("rescue");
  return out.empty() ? "none" : out;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

// The command as run, for the report header (no secrets: only the key's variable name).
std::string describe(const eval_args& a) {
  std::string s = "harness-cli eval";
  if (!a.base_url.empty()) s += " --base-url " + a.base_url;
  if (!a.config_path.empty()) s += " --config " + a.config_path;
  if (a.all) s += " --all";
  for (std::size_t i = 0; i < a.models.size(); ++i) s += (i ? "," : " --models ") + a.models[i];
  s += " --profile " + a.profile + " --repeat " + std::to_string(a.repeat);
  for (std::size_t i = 0; i < a.tests.size(); ++i) s += (i ? "," : " --tests ") + a.tests[i];
  if (a.client_api != "auto") s += " --client-api " + a.client_api;
  if (a.raw_vs_fixed) s += " --raw-vs-fixed";
  if (a.simulated) s += " --simulated";
  return s;
}

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "harness-cli eval: %s\n", msg.c_str());
  return exit_bad_input;
}

int run_eval(const eval_args& a) {
  if (a.base_url.empty() == a.config_path.empty())
    return usage_error("give exactly one of --base-url URL (a running proxy) or --config FILE (in-process)");
  if (a.models.empty() == !a.all) return usage_error("give exactly one of --models a,b,... or --all");
  if (a.raw_vs_fixed && a.config_path.empty())
    return usage_error("--raw-vs-fixed needs --config: over HTTP the proxy's fixer cannot be switched "
                       "off per request, so the evaluator runs two in-process gateways instead");
  if (!a.suggest_path.empty() && a.config_path.empty())
    return usage_error("--suggest-config needs --config: the suggestion is written from the config's routes");
  auto profile = ev::builtin_profile(a.profile);
  if (!profile) return usage_error(profile.error_value().message);
  const ev::client_api api = a.client_api == "auto" ? ev::default_client_api(a.profile)
                                                    : ev::parse_client_api(a.client_api).value_or(ev::client_api::chat);
  ev::run_options options;
  options.profile = std::move(*profile);
  if (!a.tests.empty()) {
    options.tests.clear();
    for (const std::string& code : a.tests) {
      auto id = ev::parse_test_code(code);
      if (!id) return usage_error("unknown test '" + code + "' (implemented: T1-T14)");
      options.tests.push_back(*id);
    }
  }
  options.repeats = std::max(1, a.repeat);
  options.concurrency = std::max(1, a.concurrency);
  options.simulated = a.simulated;
  options.check_python = python_syntax_checker();
  if (!options.check_python)
    std::fprintf(stderr, "harness-cli eval: python3 not found; T2/T4 will not parse the code\n");

  harness::curl_global_guard curl;
  if (!curl.ok()) {
    std::fprintf(stderr, "harness-cli eval: libcurl failed to initialise\n");
    return exit_failure;
  }
  std::shared_ptr<harness::transport> http = harness::make_curl_transport();
  if (!http) {
    std::fprintf(stderr, "harness-cli eval: cannot create the HTTP transport\n");
    return exit_failure;
  }
  const auto timeout = std::chrono::milliseconds(std::int64_t{a.timeout_s} * 1000);

  std::shared_ptr<const harness::config> cfg;
  std::unique_ptr<ev::endpoint> fixed, raw;
  if (!a.config_path.empty()) {
    auto loaded = harness::load_config(a.config_path);
    if (!loaded) return usage_error(loaded.error_value().message);
    cfg = std::make_shared<const harness::config>(std::move(*loaded));
    fixed = ev::make_gateway_endpoint(cfg, http, timeout, api);
    if (a.raw_vs_fixed)
      raw = ev::make_gateway_endpoint(std::make_shared<const harness::config>(ev::without_fixer(*cfg)),
                                      http, timeout, api);
  } else {
    std::string key;
    if (!a.api_key_env.empty())
      if (const char* v = std::getenv(a.api_key_env.c_str())) key = v;
    fixed = ev::make_http_endpoint(http, a.base_url, timeout, key, api);
  }

  std::vector<std::string> names = a.models;
  if (a.all) {
    auto listed = fixed->models();
    if (!listed) {
      std::fprintf(stderr, "harness-cli eval: %s\n", listed.error_value().message.c_str());
      return exit_failure;
    }
    names = std::move(*listed);
  }
  std::vector<ev::model_target> targets;
  for (const std::string& n : names) {
    const harness::model_route* route = cfg ? cfg->find_model(n) : nullptr;
    const std::string upstream = route && !route->model.empty() ? route->model : "";
    if (raw) targets.push_back({n, upstream, "off", raw.get()});
    targets.push_back({n, upstream, cfg ? policy_of(*cfg, route) : "?", fixed.get()});
  }

  // Ctrl-C: stop sending, cancel what is in flight, and still write the (partial) report.
  std::signal(SIGINT, on_sigint);
  std::stop_source stop;
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished.load()) {
      if (g_interrupted.load()) {
        stop.request_stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  std::fprintf(stderr, "evaluating %zu model runs x %zu tests x %d (profile %s, %s API%s)\n",
               targets.size(), options.tests.size(), options.repeats, options.profile.name.c_str(),
               ev::to_string(api), a.simulated ? ", simulated upstream" : "");
  ev::report rep = ev::run_evaluation(
      targets, options,
      [](const ev::progress_event& p) {
        std::fprintf(stderr, "[%d/%d] %s (%s) %s %s%s%s\n", p.done, p.total, p.model.c_str(),
                     p.fixer.c_str(), ev::code_of(p.id), ev::to_string(p.result.outcome),
                     p.result.code.empty() ? "" : "  ", p.result.code.c_str());
      },
      stop.get_token());
  finished.store(true);
  watcher.join();
  std::signal(SIGINT, SIG_DFL);
  rep.command = describe(a);
  rep.api = api;

  std::fputs(ev::render_table(rep).c_str(), stdout);
  std::fflush(stdout);
  bool ok = true;
  if (!a.report_path.empty() && !write_file(a.report_path, ev::render_markdown(rep))) {
    std::fprintf(stderr, "harness-cli eval: cannot write %s\n", a.report_path.c_str());
    ok = false;
  }
  if (!a.json_path.empty() && !write_file(a.json_path, ev::render_json(rep))) {
    std::fprintf(stderr, "harness-cli eval: cannot write %s\n", a.json_path.c_str());
    ok = false;
  }
  if (!a.suggest_path.empty() && !write_file(a.suggest_path, ev::render_suggested_config(rep, *cfg))) {
    std::fprintf(stderr, "harness-cli eval: cannot write %s\n", a.suggest_path.c_str());
    ok = false;
  }
  if (rep.partial) std::fprintf(stderr, "harness-cli eval: interrupted; the reports are partial\n");
  return ok && !rep.partial ? exit_ok : exit_failure;
}

}  // namespace

void register_eval(CLI::App& app, command_action& action) {
  auto a = std::make_shared<eval_args>();
  auto* cmd = app.add_subcommand(
      "eval", "Grade models through the proxy with coding-agent tool tests (T1-T14)");
  cmd->add_option("--base-url", a->base_url, "A running proxy's OpenAI base URL (http://127.0.0.1:8081/v1)");
  cmd->add_option("--config", a->config_path, "Run an in-process gateway from this config (no server)");
  cmd->add_option("--models", a->models, "Public model names to evaluate")->delimiter(',');
  cmd->add_flag("--all", a->all, "Every model of GET /v1/models (or of the config)");
  cmd->add_option("--profile", a->profile, "Client whose real tool array is sent")
      ->check(CLI::IsMember(ev::profile_names()));
  cmd->add_option("--repeat", a->repeat, "Runs per test (pass^k, pass@k)")->check(CLI::Range(1, 100));
  cmd->add_option("--tests", a->tests, "Tests to run (T1,T2,...; default all)")->delimiter(',');
  cmd->add_option("--report", a->report_path, "Write the Markdown report here");
  cmd->add_option("--json", a->json_path, "Write the JSON report here");
  cmd->add_option("--concurrency", a->concurrency, "Models evaluated at once")->check(CLI::Range(1, 64));
  cmd->add_flag("--raw-vs-fixed", a->raw_vs_fixed,
                "Run each model with the fixer off and on (needs --config)");
  cmd->add_option("--timeout", a->timeout_s, "Seconds before a request counts as timed out")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--api-key-env", a->api_key_env, "Variable holding the proxy's access token");
  cmd->add_option("--client-api", a->client_api,
                  "API the evaluator speaks to the proxy: chat, messages, responses, or auto (by "
                  "profile: claude-code -> messages, codex -> responses, else chat)")
      ->check(CLI::IsMember({"auto", "chat", "messages", "responses"}));
  cmd->add_option("--suggest-config", a->suggest_path,
                  "Write the [[models]] policy that made each model pass (TOML; needs --config)");
  cmd->add_flag("--simulated", a->simulated,
                "Label every figure as coming from a simulated upstream (the fake upstream)");
  cmd->callback([a, &action] { action = [a] { return run_eval(*a); }; });
}

}  // namespace harness_cli
