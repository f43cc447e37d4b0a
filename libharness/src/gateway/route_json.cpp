// route_state as JSON (GET /v1/harness/models, harness-cli models).
#include <harness/gateway.h>

#include "json/writer.h"

namespace harness {
inline namespace v0 {

std::string to_json(const std::vector<route_state>& routes) {
  std::string out;
  detail::json_writer w(out);
  w.start_array();
  for (const auto& r : routes) {
    w.start_object()
        .member("name", r.name)
        .member("provider", r.provider)
        .member("upstream_model", r.upstream_model)
        .member("policy", r.policy)
        .member("policy_source", r.policy_source)
        .member_bool("key_needed", r.key_needed)
        .member_bool("key_present", r.key_present)
        .member("key_env", r.key_env)
        .member("health", r.health)
        .member("detail", r.detail)
        .key("capabilities")
        .start_array();
    for (const auto& c : r.capabilities) w.string(c);
    w.end_array()
        .member_int("context_length", r.context_length)
        .member_bool("usable", r.usable())
        .end_object();
  }
  w.end_array();
  return out;
}

}  // namespace v0
}  // namespace harness
