// report_json.cpp: the machine-readable report.
#include "eval/observe.h"
#include "json/writer.h"

#include <cstdio>

namespace harness {
inline namespace v0 {
namespace eval {
namespace {

// The score as a JSON number with 4 decimals (points / max_points).
std::string score_text(const model_result& m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", m.score());
  return buf;
}

}  // namespace

std::string render_json(const report& r) {
  std::string out;
  detail::json_writer w(out);
  w.start_object()
      .member_bool("simulated", r.simulated)
      .member_bool("partial", r.partial)
      .member("started_at", r.started_at)
      .member("command", r.command)
      .member("profile", r.profile)
      .member("tools_hash", r.tools_hash)
      .member("client_api", to_string(r.api))
      .member_int("repeats", r.repeats);
  w.key("tests").start_array();
  for (test_id id : r.tests) w.string(code_of(id));
  w.end_array();
  w.key("models").start_array();
  for (const model_result& m : r.models) {
    w.start_object()
        .member("model", m.model.upstream_model.empty() ? m.model.public_name : m.model.upstream_model)
        .member("proxy_name", m.model.public_name)
        .member("fixer", m.model.fixer)
        .member_bool("complete", m.complete)
        .member_int("median_latency_ms", m.median_latency_us / 1000)
        .member_int("p50_latency_ms", m.median_latency_us / 1000)
        .member_int("p95_latency_ms", m.p95_latency_us / 1000)
        .member_int("points", m.points)
        .member_int("max_points", m.max_points)
        .member_raw("score", score_text(m))
        .member_int("prompt_tokens", m.prompt_tokens)
        .member_int("completion_tokens", m.completion_tokens)
        .member("tools_via", to_string(m.via));
    w.key("tests").start_array();
    for (const test_result& t : m.tests) {
      w.start_object()
          .member("id", code_of(t.id))
          .member("name", name_of(t.id))
          .member("summary", t.summary() == verdict::skipped ? "skipped" : to_string(t.summary()))
          .member_int("runs", static_cast<std::int64_t>(t.runs.size()))
          .member_int("passes", t.passes())
          .member_bool("pass_hat_k", t.pass_hat_k())
          .member_bool("pass_at_k", t.pass_at_k())
          .member_int("median_latency_ms", t.median_latency_us / 1000)
          .member_int("median_ttft_ms", t.median_ttft_us / 1000);
      w.key("grades").start_array();
      for (const grade& g : t.runs) {
        w.start_object()
            .member("verdict", g.outcome == verdict::skipped ? "skipped" : to_string(g.outcome))
            .member("code", g.code)
            .member("reason", g.reason)
            .member("excerpt", g.excerpt)
            .end_object();
      }
      w.end_array();
      w.key("exchanges").start_array();
      for (const exchange& e : t.exchanges) {
        w.start_object()
            .member_int("status", e.status)
            .member_bool("stream", e.stream)
            .member_int("latency_ms", e.latency_us / 1000)
            .member_int("ttft_ms", e.ttft_us / 1000)
            .member_int("prompt_tokens", e.prompt_tokens)
            .member_int("completion_tokens", e.completion_tokens)
            .member("tools_via", to_string(e.via))
            .member("error", e.transport_error)
            .member("reply_excerpt", eval_internal::clip(e.reply, 2000))
            .end_object();
      }
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  if (!w.ok()) return "{\"error\":\"the report holds invalid UTF-8\"}";
  return out;
}

}  // namespace eval
}  // namespace v0
}  // namespace harness
