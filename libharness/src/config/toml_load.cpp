// toml_load.cpp: parse_config, TOML text -> config. The only file that includes toml++.
//
// Every key of the file is checked against the schema: unknown keys, wrong types and missing
// required keys are errors naming "file:line:col: key". toml++ tables iterate in key order, not
// file order, so all errors are collected and the earliest in the file is reported.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include <harness/config.h>

#include "config/internal.h"

namespace harness {
inline namespace v0 {
namespace {

using detail::key_segment;

const char* type_name(toml::node_type t) noexcept {
  switch (t) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "a value";
}

/// Where a key's value goes. `dialect*` is the provider kind (a string naming a dialect);
/// `env_name*` is a variable name (api_key_env, access_token_env).
struct env_name {
  std::string* name;
};
using target = std::variant<std::string*, int*, std::int64_t*, bool*, std::optional<std::int64_t>*,
                            std::vector<std::string>*, dialect*, env_name, policy_choice*,
                            no_tools_action*>;

struct field {
  std::string_view name;
  target dest;
};

struct located_error {
  toml::source_position at;
  std::string key;
  std::string problem;
  bool missing = false;  ///< a missing required key: often the result of a misspelt one
};

constexpr std::string_view top_level_keys[] = {"server", "providers", "models", "default_model"};

class loader {
 public:
  explicit loader(config& cfg) : cfg_(cfg) {}

  void read_root(const toml::table& root) {
    for (auto&& [k, node] : root) {
      const std::string key = key_segment(k.str());
      remember(key, k.source());
      if (k.str() == "server") {
        if (const auto* t = table_or_fail(node, key, "[server]")) read_server(*t);
      } else if (k.str() == "providers") {
        if (const auto* t = table_or_fail(node, key, "[providers.NAME]")) read_providers(*t);
      } else if (k.str() == "models") {
        read_models(node);
      } else if (k.str() == "default_model") {
        read_value(node, key, &cfg_.default_model);
      } else {
        fail(k.source(), key, "unknown key" + detail::did_you_mean(k.str(), top_level_keys));
      }
    }
  }

  /// The earliest error in the file, if any; a missing key only when nothing else is wrong
  /// (a misspelt key is reported as unknown, not as the missing key it was meant to be).
  const located_error* first_error() const {
    const auto it = std::min_element(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
      if (a.missing != b.missing) return b.missing;
      return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
    });
    return it == errors_.end() ? nullptr : &*it;
  }

 private:
  void fail(const toml::source_region& where, std::string key, std::string problem,
            bool missing = false) {
    errors_.push_back({where.begin, std::move(key), std::move(problem), missing});
  }

  void remember(const std::string& key, const toml::source_region& where) {
    cfg_.key_lines.emplace(key, static_cast<int>(where.begin.line));
  }

  const toml::table* table_or_fail(const toml::node& node, const std::string& key,
                                   std::string_view header) {
    if (const auto* t = node.as_table()) return t;
    fail(node.source(), key,
         std::string("expected a table (") + std::string(header) + "), got " + type_name(node.type()));
    return nullptr;
  }

  void read_server(const toml::table& t) {
    server_config& s = cfg_.server;
    read_fields(t, "server",
                {{"host", &s.host},
                 {"port", &s.port},
                 {"access_token_env", env_name{&s.access_token_env}},
                 {"max_body_bytes", &s.max_body_bytes},
                 {"max_concurrent_streams", &s.max_concurrent_streams},
                 {"threads", &s.threads},
                 {"request_timeout_ms", &s.request_timeout_ms},
                 {"first_byte_timeout_ms", &s.first_byte_timeout_ms},
                 {"idle_timeout_ms", &s.idle_timeout_ms},
                 {"connect_timeout_ms", &s.connect_timeout_ms},
                 {"retries", &s.retries},
                 {"retry_backoff_ms", &s.retry_backoff_ms},
                 {"request_log", &s.request_log},
                 {"discovery_ttl_s", &s.discovery_ttl_s},
                 {"record_dir", &s.record_dir}});
  }

  void read_providers(const toml::table& providers) {
    std::vector<std::pair<std::uint32_t, provider_config>> found;
    for (auto&& [k, node] : providers) {
      const std::string key = detail::provider_key(k.str());
      remember(key, node.source());
      const auto* t = table_or_fail(node, key, "[" + key + "]");
      if (t == nullptr) continue;
      provider_config p;
      p.name = std::string(k.str());
      read_fields(*t, key,
                  {{"kind", &p.kind}, {"base_url", &p.base_url}, {"api_key_env", env_name{&p.api_key_env}}});
      require(*t, key, {"kind", "base_url"});
      // "https://host/" and "https://host" are the same root; the proxy appends paths.
      const auto scheme_end = p.base_url.find("://");
      while (scheme_end != std::string::npos && p.base_url.size() > scheme_end + 3 &&
             p.base_url.back() == '/')
        p.base_url.pop_back();
      found.emplace_back(node.source().begin.line, std::move(p));
    }
    // Tables iterate by name; keep the order of the file.
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, p] : found) cfg_.providers.push_back(std::move(p));
  }

  void read_models(const toml::node& node) {
    const auto* models = node.as_array();
    if (models == nullptr) {
      fail(node.source(), "models",
           std::string("expected an array of tables ([[models]]), got ") + type_name(node.type()));
      return;
    }
    for (std::size_t i = 0; i < models->size(); ++i) {
      const toml::node& entry = *models->get(i);
      const std::string key = detail::model_key(i);
      remember(key, entry.source());
      const auto* t = table_or_fail(entry, key, "[[models]]");
      if (t == nullptr) continue;
      model_route r;
      r.line = static_cast<int>(entry.source().begin.line);
      model_policy& p = r.policy;
      read_fields(*t, key,
                  {{"name", &r.name},
                   {"provider", &r.provider},
                   {"model", &r.model},
                   {"strip_tools", &p.strip_tools},
                   {"rescue", &p.rescue},
                   {"emulate_tools", &p.emulate_tools},
                   {"max_tokens", &p.max_tokens},
                   {"num_ctx", &p.num_ctx},
                   {"fallbacks", &p.fallbacks},
                   {"policy", &p.choice},
                   {"on_no_tools", &p.on_no_tools}});
      require(*t, key, {"name", "provider"});
      apply_policy(*t, key, p);
      cfg_.models.push_back(std::move(r));
    }
  }

  /// `policy` and the booleans must agree; the named policy then sets its boolean, so the rest
  /// of the library reads one form.
  void apply_policy(const toml::table& t, const std::string& key, model_policy& p) {
    const toml::node* node = t.get("policy");
    if (node == nullptr || p.choice == policy_choice::unset) return;
    const char* clash = nullptr;
    switch (p.choice) {
      case policy_choice::unset: break;
      case policy_choice::automatic:
      case policy_choice::native:
        if (p.rescue) clash = "rescue";
        if (p.emulate_tools) clash = "emulate_tools";
        if (p.strip_tools) clash = "strip_tools";
        break;
      case policy_choice::rescue:
        if (p.emulate_tools) clash = "emulate_tools";
        if (p.strip_tools) clash = "strip_tools";
        p.rescue = true;
        break;
      case policy_choice::emulate_tools:
        if (p.strip_tools) clash = "strip_tools";
        p.emulate_tools = true;
        break;
      case policy_choice::strip_tools:
        if (p.emulate_tools) clash = "emulate_tools";
        if (p.rescue) clash = "rescue";
        p.strip_tools = true;
        break;
    }
    if (clash != nullptr)
      fail(node->source(), key + ".policy",
           std::string("conflicts with ") + clash + " = true (set one or the other)");
  }

  void require(const toml::table& t, const std::string& prefix,
               std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys) {
      if (!t.contains(k)) fail(t.source(), prefix + "." + std::string(k), "required key is missing", true);
    }
  }

  void read_fields(const toml::table& t, const std::string& prefix,
                   std::initializer_list<field> fields) {
    std::vector<std::string_view> names;
    for (const field& f : fields) names.push_back(f.name);
    for (auto&& entry : t) {
      // Named references, not structured bindings: clang 14 cannot capture those in lambdas.
      const auto& k = entry.first;
      const auto& node = entry.second;
      const std::string key = prefix + "." + key_segment(k.str());
      remember(key, k.source());
      const auto f = std::find_if(fields.begin(), fields.end(),
                                  [&](const field& x) { return x.name == k.str(); });
      if (f != fields.end()) {
        std::visit([&](auto dest) { read_value(node, key, dest); }, f->dest);
        continue;
      }
      std::string problem = "unknown key" + detail::did_you_mean(k.str(), names);
      if (std::find(std::begin(top_level_keys), std::end(top_level_keys), k.str()) !=
          std::end(top_level_keys))
        problem += " (top-level keys must come before the first [table])";
      fail(k.source(), key, std::move(problem));
    }
  }

  bool expect(const toml::node& node, const std::string& key, toml::node_type want) {
    if (node.type() == want) return true;
    fail(node.source(), key,
         std::string("expected ") + type_name(want) + ", got " + type_name(node.type()));
    return false;
  }

  void read_value(const toml::node& node, const std::string& key, std::string* out) {
    if (expect(node, key, toml::node_type::string)) *out = node.as_string()->get();
  }

  void read_value(const toml::node& node, const std::string& key, std::int64_t* out) {
    if (expect(node, key, toml::node_type::integer)) *out = node.as_integer()->get();
  }

  void read_value(const toml::node& node, const std::string& key, std::optional<std::int64_t>* out) {
    if (expect(node, key, toml::node_type::integer)) *out = node.as_integer()->get();
  }

  void read_value(const toml::node& node, const std::string& key, int* out) {
    if (!expect(node, key, toml::node_type::integer)) return;
    const std::int64_t v = node.as_integer()->get();
    if (v < INT_MIN || v > INT_MAX) {
      fail(node.source(), key, "value out of range");
      return;
    }
    *out = static_cast<int>(v);
  }

  void read_value(const toml::node& node, const std::string& key, bool* out) {
    if (expect(node, key, toml::node_type::boolean)) *out = node.as_boolean()->get();
  }

  void read_value(const toml::node& node, const std::string& key, std::vector<std::string>* out) {
    if (!expect(node, key, toml::node_type::array)) return;
    const toml::array& items = *node.as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const toml::node& item = *items.get(i);
      if (expect(item, key + "[" + std::to_string(i) + "]", toml::node_type::string))
        out->push_back(item.as_string()->get());
    }
  }

  void read_value(const toml::node& node, const std::string& key, dialect* out) {
    if (!expect(node, key, toml::node_type::string)) return;
    const std::string& name = node.as_string()->get();
    // responses is a client dialect only: the proxy has no Responses upstream decoder yet.
    if (const auto d = parse_dialect(name); d && *d != dialect::responses) {
      *out = *d;
      return;
    }
    fail(node.source(), key,
         "unknown kind '" + name + "' (expected anthropic, openai or ollama)");
  }

  void read_value(const toml::node& node, const std::string& key, policy_choice* out) {
    if (!expect(node, key, toml::node_type::string)) return;
    static constexpr std::pair<std::string_view, policy_choice> names[] = {
        {"auto", policy_choice::automatic},
        {"native", policy_choice::native},
        {"rescue", policy_choice::rescue},
        {"emulate_tools", policy_choice::emulate_tools},
        {"strip_tools", policy_choice::strip_tools}};
    const std::string& name = node.as_string()->get();
    for (const auto& [n, choice] : names) {
      if (n == name) {
        *out = choice;
        return;
      }
    }
    fail(node.source(), key,
         "unknown policy '" + name + "' (expected auto, native, rescue, emulate_tools or strip_tools)");
  }

  void read_value(const toml::node& node, const std::string& key, no_tools_action* out) {
    if (!expect(node, key, toml::node_type::string)) return;
    const std::string& name = node.as_string()->get();
    if (name == "emulate" || name == "strip") {
      *out = name == "emulate" ? no_tools_action::emulate : no_tools_action::strip;
      return;
    }
    fail(node.source(), key, "unknown value '" + name + "' (expected emulate or strip)");
  }

  void read_value(const toml::node& node, const std::string& key, env_name out) {
    if (!expect(node, key, toml::node_type::string)) return;
    const std::string& name = node.as_string()->get();
    // Never echo the value: it may be the key itself, pasted in the wrong place.
    if (!name.empty() && (!detail::is_env_var_name(name) || detail::looks_like_secret(name))) {
      fail(node.source(), key,
           "must be the NAME of an environment variable (letters, digits, '_'), not the key "
           "itself");
      return;
    }
    *out.name = name;
  }

  config& cfg_;
  std::vector<located_error> errors_;
};

std::string locate(std::string_view source, std::uint32_t line, std::uint32_t column) {
  return std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string resolve(const env_lookup& env, const std::string& name) {
  if (name.empty() || !env) return {};
  return env(name).value_or(std::string());
}

}  // namespace

result<config> parse_config(std::string_view toml_text, std::string_view source_name,
                            const env_lookup& env) {
  try {
    config cfg;
    cfg.source = std::string(source_name);
    toml::table root;
    try {
      root = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& e) {
      const auto& at = e.source().begin;
      std::string path = locate(source_name, at.line, at.column);
      return make_error(errc::config, path + ": " + std::string(e.description()), path);
    }
    loader load(cfg);
    load.read_root(root);
    if (const located_error* e = load.first_error()) {
      std::string path = locate(source_name, e->at.line, e->at.column);
      return make_error(errc::config, path + ": " + e->key + ": " + e->problem, path);
    }
    cfg.server.access_token = resolve(env, cfg.server.access_token_env);
    for (provider_config& p : cfg.providers) p.api_key = resolve(env, p.api_key_env);
    return cfg;
  } catch (const std::exception& e) {
    return make_error(errc::config,
                      std::string(source_name) + ": cannot load the configuration: " + e.what(),
                      std::string(source_name));
  } catch (...) {
    return make_error(errc::config,
                      std::string(source_name) + ": cannot load the configuration",
                      std::string(source_name));
  }
}

}  // namespace v0
}  // namespace harness
