// validate.cpp: check_config, the problems of a loaded config that are not syntax.
//
// Each problem is "file:line: key: what is wrong". Lines come from config::key_lines (the most
// specific key recorded, else its table). Resolved keys are never printed: messages name the
// variable, and a last pass redacts any key that would still show up.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <harness/config.h>

#include "config/internal.h"

namespace harness {
inline namespace v0 {
namespace {

struct problem {
  int line;
  std::string key;
  std::string text;
};

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class checker {
 public:
  explicit checker(const config& cfg) : cfg_(cfg) {}

  std::vector<std::string> run() {
    check_server();
    for (const provider_config& p : cfg_.providers) check_provider(p);
    for (std::size_t i = 0; i < cfg_.models.size(); ++i) check_model(i);
    if (cfg_.models.empty())
      add("models", 0, "no [[models]] entries: every request would be refused");
    check_default_model();
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const problem& a, const problem& b) { return a.line < b.line; });
    std::vector<std::string> out;
    for (const problem& p : problems_) {
      std::string line = cfg_.source;
      if (p.line > 0) line += ":" + std::to_string(p.line);
      out.push_back(one_line(redact(line + ": " + p.key + ": " + p.text)));
    }
    return out;
  }

 private:
  /// Names come from the file and may hold escaped control characters ("qw\n3"): shown
  /// escaped, so each problem stays one line (a log or a terminal cannot be misled).
  static std::string one_line(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (u < 0x20 || u == 0x7F) {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\x";
        out += hex[u >> 4];
        out += hex[u & 0xF];
      } else {
        out += c;
      }
    }
    return out;
  }

  /// The line of `key`, else of the nearest enclosing key recorded, else `fallback`.
  int line_of(std::string key, int fallback) const {
    for (;;) {
      if (const auto it = cfg_.key_lines.find(key); it != cfg_.key_lines.end()) return it->second;
      const auto cut = key.find_last_of(".[");
      if (cut == std::string::npos || cut == 0) return fallback;
      key.resize(cut);
    }
  }

  void add(std::string key, int fallback_line, std::string text) {
    const int line = line_of(key, fallback_line);
    problems_.push_back({line, std::move(key), std::move(text)});
  }

  /// "VAR is not set or empty (looked in the environment and /dir/.env)".
  std::string missing_variable(const std::string& var) const {
    std::string where = cfg_.env_file.empty()
                            ? "the environment; no .env file was read beside the config"
                            : "the environment and " + cfg_.env_file;
    return var + " is not set or empty (looked in " + where + ")";
  }

  void non_negative(const std::string& key, std::int64_t v) {
    if (v < 0) add(key, 0, "must not be negative");
  }

  void positive(const std::string& key, std::int64_t v) {
    if (v <= 0) add(key, 0, "must be greater than 0");
  }

  void check_server() {
    const server_config& s = cfg_.server;
    if (s.port < 0 || s.port > 65535)
      add("server.port", 0, std::to_string(s.port) + " is out of range (1-65535; 0: any free port)");
    if (s.host.empty()) {
      add("server.host", 0, "must not be empty");
    } else if (!detail::is_loopback_host(s.host) && s.access_token_env.empty()) {
      add("server.host", 0,
          "binding to " + s.host + " requires [server] access_token_env (clients must then "
          "send that token)");
    }
    if (!s.access_token_env.empty() && s.access_token.empty())
      add("server.access_token_env", 0, missing_variable(s.access_token_env));
    positive("server.max_body_bytes", s.max_body_bytes);
    positive("server.max_concurrent_streams", s.max_concurrent_streams);
    non_negative("server.threads", s.threads);
    non_negative("server.request_timeout_ms", s.request_timeout_ms);
    non_negative("server.first_byte_timeout_ms", s.first_byte_timeout_ms);
    non_negative("server.idle_timeout_ms", s.idle_timeout_ms);
    non_negative("server.connect_timeout_ms", s.connect_timeout_ms);
    non_negative("server.retries", s.retries);
    non_negative("server.retry_backoff_ms", s.retry_backoff_ms);
    if (s.request_log.empty())
      add("server.request_log", 0, "must not be empty (\"stderr\", \"off\" or a file path)");
    non_negative("server.discovery_ttl_s", s.discovery_ttl_s);
  }

  void check_provider(const provider_config& p) {
    const std::string key = detail::provider_key(p.name);
    if (std::string why = detail::base_url_problem(p.base_url); !why.empty()) {
      add(key + ".base_url", 0, why);
    } else if (std::string hint = kind_hint(p); !hint.empty()) {
      add(key + ".base_url", 0, hint);
    }
    if (!p.api_key_env.empty() && !p.key_present())
      add(key + ".api_key_env", 0, missing_variable(p.api_key_env));
  }

  /// A base_url that already holds the path the proxy appends for this kind.
  static std::string kind_hint(const provider_config& p) {
    std::string_view url = p.base_url;
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    switch (p.kind) {
      case dialect::anthropic:
        if (ends_with(url, "/v1") || ends_with(url, "/v1/messages"))
          return "for kind anthropic give the root (https://api.anthropic.com); the proxy adds "
                 "/v1/messages";
        break;
      case dialect::openai:
        if (ends_with(url, "/chat/completions"))
          return "for kind openai give the URL up to /v1; the proxy adds /chat/completions";
        break;
      case dialect::ollama:
        if (ends_with(url, "/api") || ends_with(url, "/api/chat") || ends_with(url, "/v1"))
          return "for kind ollama give the root (http://127.0.0.1:11434); the proxy adds /api/chat";
        break;
      case dialect::responses:
        break;  // not a provider kind (toml_load refuses it)
    }
    return {};
  }

  void check_model(std::size_t i) {
    const model_route& r = cfg_.models[i];
    const std::string key = detail::model_key(i);
    if (r.name.empty()) {
      add(key + ".name", r.line, "must not be empty");
    } else if (r.name.find('*') != r.name.size() - 1 && r.name.find('*') != std::string::npos) {
      add(key + ".name", r.line, "'*' may only end a name (a prefix pattern such as \"claude-*\")");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (!r.name.empty() && cfg_.models[j].name == r.name) {
        add(key + ".name", r.line,
            "duplicate model name '" + r.name + "' (first defined by " + detail::model_key(j) +
                line_suffix(detail::model_key(j), cfg_.models[j].line) + ")");
        break;
      }
    }
    if (cfg_.find_provider(r.provider) == nullptr)
      add(key + ".provider", r.line, "unknown provider '" + r.provider + "'" + known_providers());
    if (r.policy.max_tokens) positive(key + ".max_tokens", *r.policy.max_tokens);
    if (r.policy.num_ctx) positive(key + ".num_ctx", *r.policy.num_ctx);
    for (const std::string& fb : r.policy.fallbacks) {
      const model_route* target = detail::match_route(cfg_, fb);
      if (target == nullptr)
        add(key + ".fallbacks", r.line, "unknown model '" + fb + "'");
      else if (target == &r)
        add(key + ".fallbacks", r.line, "'" + fb + "' is this model itself");
    }
  }

  void check_default_model() {
    if (cfg_.default_model.empty()) return;
    const model_route* r = detail::match_route(cfg_, cfg_.default_model);
    if (r == nullptr) {
      add("default_model", 0, "'" + cfg_.default_model + "' matches no [[models]] name");
    } else if (r->model.empty() && r->name != "*" && r->name != cfg_.default_model) {
      // The gateway would pass the client's (unknown) name through a prefix it does not have.
      add("default_model", 0,
          "'" + cfg_.default_model + "' matches the pattern '" + r->name +
              "', which has no upstream model; name a model with a fixed `model`");
    }
  }

  std::string line_suffix(const std::string& key, int fallback) const {
    const int line = line_of(key, fallback);
    return line > 0 ? " at line " + std::to_string(line) : std::string();
  }

  std::string known_providers() const {
    if (cfg_.providers.empty()) return " (no [providers.NAME] is defined)";
    std::string out = " (known: ";
    for (std::size_t i = 0; i < cfg_.providers.size(); ++i) {
      if (i > 0) out += ", ";
      out += cfg_.providers[i].name;
    }
    return out + ")";
  }

  /// Defence in depth: no resolved key may ever be shown, whatever produced the text.
  std::string redact(std::string text) const {
    auto scrub = [&text](const std::string& secret) {
      if (secret.size() < 8) return;
      for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "<redacted>");
    };
    scrub(cfg_.server.access_token);
    for (const provider_config& p : cfg_.providers) scrub(p.api_key);
    return text;
  }

  const config& cfg_;
  std::vector<problem> problems_;
};

}  // namespace

std::vector<std::string> check_config(const config& cfg) {
  try {
    return checker(cfg).run();
  } catch (const std::exception& e) {
    return {cfg.source + ": cannot check the configuration: " + e.what()};
  } catch (...) {
    return {cfg.source + ": cannot check the configuration"};
  }
}

}  // namespace v0
}  // namespace harness
