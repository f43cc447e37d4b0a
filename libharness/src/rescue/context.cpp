// context.cpp: offered names, name normalisation (policy 1) and call finalisation.
#include "rescue/context.h"

#include <algorithm>

namespace harness::detail::rescue {
namespace {

constexpr std::string_view functions_dot = "functions.";
constexpr std::string_view functions_word = "functions";

bool starts_with(std::string_view s, std::string_view p) noexcept {
  return s.substr(0, p.size()) == p;
}

std::string_view strip_index(std::string_view s) noexcept {
  // ":IDX" or trailing digits (Kimi ids "functions.NAME:0", "functionsNAME5").
  std::size_t e = s.size();
  while (e > 0 && s[e - 1] >= '0' && s[e - 1] <= '9') --e;
  if (e == s.size()) return s;
  if (e > 0 && s[e - 1] == ':') --e;
  return s.substr(0, e);
}

}  // namespace

context::context(const rescue_options& options) : options_(options), start_(options.reasoning) {
  for (const auto& n : options.tools_offered) {
    if (!n.empty()) names_.push_back(n);
  }
  for (const auto& t : options.tools) {
    if (!t.name.empty()) names_.push_back(t.name);
  }
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
}

// Schemas are parsed only once a call needs its types: a stream set up per request (20 tools
// and more for a coding agent) mostly carries native calls or prose and never gets here.
void context::read_types() const {
  for (const auto& t : options_.tools) {
    if (t.name.empty() || t.parameters.empty()) continue;
    jvalue schema;
    if (parse_whole(t.parameters, schema, syntax::json, false) == parse_fail::none) {
      read_schema_types(schema, types_[t.name]);
    }
  }
  for (const auto& [tool, params] : options_.param_types) {
    auto& dst = types_[tool];
    for (const auto& [param, type] : params) dst[param] = {type};
  }
  types_read_ = true;
}

bool context::offered(std::string_view name) const noexcept {
  return std::binary_search(names_.begin(), names_.end(), name, std::less<>());
}

bool context::name_prefix(std::string_view prefix) const noexcept {
  if (prefix.size() <= functions_dot.size() && starts_with(functions_dot, prefix)) return true;
  if (starts_with(prefix, functions_dot)) prefix.remove_prefix(functions_dot.size());
  const auto it = std::lower_bound(names_.begin(), names_.end(), prefix, std::less<>());
  return it != names_.end() && starts_with(*it, prefix);
}

std::optional<std::string> context::resolve(std::string_view written, unsigned rules) const {
  const std::string_view w = trim(written);
  if (w.empty()) return std::nullopt;
  if (offered(w)) return std::string(w);
  const std::string_view bare = starts_with(w, functions_dot) ? w.substr(functions_dot.size()) : w;
  if (offered(bare)) return std::string(bare);
  if (rules & name_harmony) {
    for (std::string_view cand : {w, bare}) {
      if (cand.size() > 4 && cand.substr(cand.size() - 4) == "json") {
        const std::string_view cut = trim(cand.substr(0, cand.size() - 4));
        if (offered(cut)) return std::string(cut);
      }
    }
  }
  if (rules & name_kimi) {
    std::string_view k = starts_with(w, functions_word) ? w.substr(functions_word.size()) : w;
    if (!k.empty() && k.front() == '.') k.remove_prefix(1);
    if (offered(k)) return std::string(k);
    const std::string_view cut = strip_index(k);
    if (offered(cut)) return std::string(cut);
  }
  return std::nullopt;
}

const param_types* context::types_for(std::string_view tool) const {
  if (!types_read_) read_types();
  const auto it = types_.find(tool);
  return it == types_.end() ? nullptr : &it->second;
}

std::optional<std::vector<rescued_call>> finalize_calls(std::vector<call_draft>& drafts,
                                                        const context& ctx, std::string_view raw) {
  if (drafts.empty()) return std::nullopt;
  std::vector<rescued_call> out;
  out.reserve(drafts.size());
  for (auto& d : drafts) {
    if (!normalize_arguments(d.args)) return std::nullopt;
    std::optional<std::string> name = ctx.resolve(d.name, d.rules);
    if (!name && (d.rules & name_kimi) && !starts_with(trim(d.name), functions_word)) {
      // An OpenAI-style id ("call_abc123") with the name moved into the arguments.
      if (const jvalue* n = d.args.find("name"); n && n->is(jvalue::kind::string)) {
        name = ctx.resolve(n->s, name_plain);
        if (name) d.args.erase("name");
      }
    }
    if (!name) return std::nullopt;
    if (const param_types* types = ctx.types_for(*name)) {
      coerce_object(d.args, *types, d.typed ? coerce_scope::all : coerce_scope::containers);
    }
    rescued_call c;
    if (!write_json(d.args, c.arguments)) return std::nullopt;
    c.name = std::move(*name);
    c.family = std::move(d.family);
    c.native_id = std::move(d.native_id);
    c.raw.assign(raw);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace harness::detail::rescue
