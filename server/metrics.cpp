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
  return out;
}

}  // namespace harness_server
