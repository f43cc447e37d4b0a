#include "metrics.h"

#include <fmt/format.h>

namespace harness_server {
namespace {

// Label values are model names chosen by clients: escape what Prometheus requires.
std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// One family: HELP and TYPE once, then one sample per model (and per `label` value).
struct family {
  std::string& out;
  void head(const char* name, const char* help) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n", name, help);
  }
  void sample(const char* name, const std::string& model, std::uint64_t v) {
    out += fmt::format("{}{{model=\"{}\"}} {}\n", name, escape_label(model), v);
  }
  void sample(const char* name, const std::string& model, const char* label,
              const std::string& value, std::uint64_t v) {
    out += fmt::format("{}{{model=\"{}\",{}=\"{}\"}} {}\n", name, escape_label(model), label,
                       escape_label(value), v);
  }
};

// What the tool fixer did per model: a model that works only thanks to it shows here.
void format_fixer_metrics(const harness::gateway_stats& s, std::string& out) {
  family f{out};
  f.head("harness_model_tool_calls_total",
         "Tool calls that reached clients, by source: made natively by the model, or rescued "
         "from its text.");
  for (const auto& m : s.models) {
    f.sample("harness_model_tool_calls_total", m.model, "source", "native", m.calls_native);
    f.sample("harness_model_tool_calls_total", m.model, "source", "rescued", m.calls_rescued);
  }
  f.head("harness_model_tool_args_repaired_total",
         "Native tool calls whose arguments were not valid JSON and were repaired.");
  for (const auto& m : s.models) {
    f.sample("harness_model_tool_args_repaired_total", m.model, m.args_repaired);
  }
  f.head("harness_model_tool_calls_refused_total",
         "Native tool calls not passed on: cut off by the output limit (truncated), or naming a "
         "tool the client did not offer (unknown_tool).");
  for (const auto& m : s.models) {
    f.sample("harness_model_tool_calls_refused_total", m.model, "reason", "truncated",
             m.truncated_calls_refused);
    f.sample("harness_model_tool_calls_refused_total", m.model, "reason", "unknown_tool",
             m.unknown_tools_dropped);
  }
  f.head("harness_model_text_only_turns_total",
         "Turns that offered tools and ended without any tool call.");
  for (const auto& m : s.models) {
    f.sample("harness_model_text_only_turns_total", m.model, m.text_only_turns);
  }
  f.head("harness_model_upstream_errors_total",
         "Failed exchanges by kind (upstream_4xx, upstream_5xx, rate_limited, timeout, "
         "transport, stream_error, bad_request, unknown_model, no_key, canceled, ...).");
  for (const auto& m : s.models) {
    for (const auto& [kind, n] : m.errors_by_kind) {
      f.sample("harness_model_upstream_errors_total", m.model, "kind", kind, n);
    }
  }
}

}  // namespace

std::string format_metrics(const harness::gateway_stats& s) {
  std::string out;
  auto counter = [&out](const char* name, const char* help, std::uint64_t v) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, v);
  };
  counter("harness_requests_total", "Client requests received.", s.requests);
  counter("harness_errors_total", "Client requests answered with an error.", s.errors);
  out += fmt::format(
      "# HELP harness_open_streams Streams being relayed now.\n"
      "# TYPE harness_open_streams gauge\nharness_open_streams {}\n",
      s.open_streams);
  out += fmt::format(
      "# HELP harness_upstream_latency_seconds Time to the upstream's response head.\n"
      "# TYPE harness_upstream_latency_seconds summary\n"
      "harness_upstream_latency_seconds_sum {:.6f}\n"
      "harness_upstream_latency_seconds_count {}\n",
      static_cast<double>(s.upstream_latency_us_sum) / 1e6, s.upstream_latency_count);
  out += "# HELP harness_model_requests_total Requests per public model name.\n"
         "# TYPE harness_model_requests_total counter\n";
  for (const auto& m : s.models) {
    out += fmt::format("harness_model_requests_total{{model=\"{}\"}} {}\n", escape_label(m.model),
                       m.requests);
  }
  out += "# HELP harness_model_errors_total Errors per public model name.\n"
         "# TYPE harness_model_errors_total counter\n";
  for (const auto& m : s.models) {
    out += fmt::format("harness_model_errors_total{{model=\"{}\"}} {}\n", escape_label(m.model),
                       m.errors);
  }
  format_fixer_metrics(s, out);
  return out;
}

}  // namespace harness_server
