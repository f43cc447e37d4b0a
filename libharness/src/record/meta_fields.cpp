#include "record/meta_fields.h"

namespace harness::detail {

void write_policy(json_writer& w, const model_policy& policy) {
  w.start_object()
      .member_bool("strip_tools", policy.strip_tools)
      .member_bool("rescue", policy.rescue)
      .member_bool("emulate_tools", policy.emulate_tools);
  if (policy.max_tokens) w.member_int("max_tokens", *policy.max_tokens);
  if (policy.num_ctx) w.member_int("num_ctx", *policy.num_ctx);
  w.end_object();
}

model_policy read_policy(simdjson::dom::element object) {
  model_policy p;
  auto flag = [&](const char* key, bool& out) {
    if (auto v = object[key].get_bool(); !v.error()) out = v.value_unsafe();
  };
  auto number = [&](const char* key, std::optional<std::int64_t>& out) {
    if (auto v = object[key].get_int64(); !v.error()) out = v.value_unsafe();
  };
  flag("strip_tools", p.strip_tools);
  flag("rescue", p.rescue);
  flag("emulate_tools", p.emulate_tools);
  number("max_tokens", p.max_tokens);
  number("num_ctx", p.num_ctx);
  return p;
}

}  // namespace harness::detail
