// suggest_config.cpp: `harness-cli eval --suggest-config`: the evaluation turned into the
// `[[models]]` entries that made each model work, ready to paste under the providers.
#include <harness/eval.h>

#include <map>

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Every test ran and passed or warned.
bool passed(const model_result& m) {
  if (!m.complete || m.tests.empty()) return false;
  for (const test_result& t : m.tests) {
    const verdict v = t.summary();
    if (v != verdict::pass && v != verdict::warn) return false;
  }
  return true;
}

// "T1 fail (T1.text_call)" for the first test that kept the run from passing.
std::string why_not(const model_result& m) {
  if (!m.complete) return "the run was interrupted";
  for (const test_result& t : m.tests) {
    const verdict v = t.summary();
    if (v == verdict::pass || v == verdict::warn) continue;
    const grade* g = t.first_problem();
    return std::string(code_of(t.id)) + " " + (v == verdict::skipped ? "not run" : "fail") +
           (g && !g->code.empty() ? " (" + g->code + ")" : "");
  }
  return "no tests ran";
}

// The fixer that made the fixed run work, as a `policy` value: the one the config sets, or,
// for an automatic route (`policy = "auto"`, or an Ollama route with none), the one the gateway
// was seen to apply to T1's calls.
std::string policy_value(const config& cfg, const model_route& r, const model_result* fixed) {
  const model_policy& p = r.policy;
  if (p.emulate_tools) return "emulate_tools";
  if (p.strip_tools) return "strip_tools";
  if (p.rescue) return "rescue";
  const provider_config* provider = cfg.find_provider(r.provider);
  const bool automatic = p.choice == policy_choice::automatic ||
                         (p.choice == policy_choice::unset && provider && provider->kind == dialect::ollama);
  if (!automatic || !fixed) return "native";
  switch (fixed->via) {
    case tools_via::emulated: return "emulate_tools";
    case tools_via::stripped: return "strip_tools";
    case tools_via::rescued: return "rescue";
    case tools_via::native: return "native";
    default: return "auto";
  }
}

std::string entry(const model_route& r, const std::string& policy) {
  std::string out = "[[models]]\nname = " + toml_string(r.name) + "\nprovider = " + toml_string(r.provider) + "\n";
  if (!r.model.empty()) out += "model = " + toml_string(r.model) + "\n";
  out += "policy = " + toml_string(policy) + "\n";
  if (r.policy.max_tokens) out += "max_tokens = " + std::to_string(*r.policy.max_tokens) + "\n";
  if (r.policy.num_ctx) out += "num_ctx = " + std::to_string(*r.policy.num_ctx) + "\n";
  return out;
}

}  // namespace

std::string render_suggested_config(const report& r, const config& cfg) {
  std::string out = "# Suggested by harness-cli eval (" + r.started_at + ", profile " + r.profile + ", " +
                    std::to_string(r.tests.size()) + " tests x " + std::to_string(r.repeats) + ")";
  out += r.simulated ? "; SIMULATED upstream\n" : "\n";
  out += "# A model passes when every test passes or warns. Paste under the [providers.*] tables.\n";
  // Raw ("off") and fixed runs of each public name, in the report's order.
  std::vector<std::string> order;
  std::map<std::string, std::pair<const model_result*, const model_result*>> runs;
  for (const model_result& m : r.models) {
    auto [it, fresh] = runs.try_emplace(m.model.public_name, nullptr, nullptr);
    if (fresh) order.push_back(m.model.public_name);
    (m.model.fixer == "off" ? it->second.first : it->second.second) = &m;
  }
  for (const std::string& name : order) {
    const auto [raw, fixed] = runs[name];
    const model_route* route = cfg.find_model(name);
    out += "\n";
    if (!route) {
      out += "# " + name + ": no [[models]] entry in the config; nothing to suggest\n";
      continue;
    }
    if (raw && passed(*raw)) {
      out += "# " + name + ": passes with native tool calls (no fixer needed)\n" + entry(*route, "native");
    } else if (fixed && passed(*fixed)) {
      const std::string policy = policy_value(cfg, *route, fixed);
      out += "# " + name + ": passes with policy " + policy +
             (raw ? " (raw: " + why_not(*raw) + ")" : "") + "\n" + entry(*route, policy);
    } else {
      std::string reasons;
      if (raw) reasons += "raw: " + why_not(*raw);
      if (fixed) reasons += std::string(reasons.empty() ? "" : "; ") + "with " + policy_value(cfg, *route, fixed) + ": " + why_not(*fixed);
      out += "# " + name + ": nothing passed: " + reasons + "\n";
    }
  }
  return out;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
