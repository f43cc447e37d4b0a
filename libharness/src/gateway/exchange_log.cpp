// The request log's line format (one JSON object per exchange; no bodies, no keys).
#include <harness/gateway.h>

#include <chrono>

#include "json/writer.h"

namespace harness {
inline namespace v0 {

std::string to_json_line(const exchange_record& r) {
  std::string out;
  detail::json_writer w(out);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  w.start_object()
      .member_int("ts_ms", now)
      .member("client", to_string(r.client))
      .member("model", r.model)
      .member("provider", r.provider)
      .member("upstream_model", r.upstream_model)
      .member_bool("stream", r.stream)
      .member_int("status", r.status)
      .member_int("attempts", r.attempts)
      .member_int("first_byte_us", r.first_byte_us)
      .member_int("total_us", r.total_us)
      .member_int("input_tokens", r.usage.input_tokens)
      .member_int("output_tokens", r.usage.output_tokens);
  if (r.tools_stripped) w.member_bool("tools_stripped", true);
  if (r.tools_emulated) w.member_bool("tools_emulated", true);
  if (r.calls_rescued > 0) {
    w.member_int("calls_rescued", r.calls_rescued).member("rescue_family", r.rescue_family);
  }
  if (!r.dropped_tools.empty()) {
    w.key("dropped_tools").start_array();
    for (const auto& name : r.dropped_tools) w.string(name);
    w.end_array();
  }
  if (r.tools_offered) w.member_bool("tools_offered", true);
  if (r.calls_native > 0) w.member_int("calls_native", r.calls_native);
  if (r.args_repaired > 0) w.member_int("args_repaired", r.args_repaired);
  if (r.unknown_tools_dropped > 0) w.member_int("unknown_tools_dropped", r.unknown_tools_dropped);
  if (r.truncated_calls_refused > 0) {
    w.member_int("truncated_calls_refused", r.truncated_calls_refused);
  }
  if (r.text_only_with_tools) w.member_bool("text_only_with_tools", true);
  if (!r.policy_source.empty()) w.member("policy_source", r.policy_source);
  if (!r.error_kind.empty()) w.member("error_kind", r.error_kind);
  if (!r.error.empty()) w.member("error", r.error);
  w.end_object();
  if (!w.ok()) return "{\"error\":\"unprintable exchange record\"}";
  return out;
}

}  // namespace v0
}  // namespace harness
