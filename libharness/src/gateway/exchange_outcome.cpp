#include "gateway/exchange_outcome.h"

namespace harness::detail {

std::string error_kind_of(const error& err, bool routed) {
  switch (err.code) {
    case errc::invalid_json:
    case errc::invalid_request:
    case errc::unsupported:
      if (!routed && err.http_status == 404) return "unknown_model";
      return "bad_request";
    case errc::config:
      return err.http_status == 401 ? "no_key" : "config";
    case errc::timeout:
      return "timeout";
    case errc::upstream_transport:
      return "transport";
    case errc::canceled:
      return "canceled";
    case errc::upstream_http:
      if (err.http_status == 429) return "rate_limited";
      if (err.http_status >= 500) return "upstream_5xx";
      return "upstream_4xx";
    case errc::internal:
      break;
  }
  return "internal";
}

std::string stream_error_kind(const error& err) {
  if (err.code == errc::canceled) return "canceled";  // the client left
  if (err.code == errc::timeout) return "timeout";
  return "stream_error";
}

void record_guard(exchange_record& record, const guard_report& report) {
  record.args_repaired = report.args_repaired;
  record.unknown_tools_dropped = report.unknown_tools_dropped;
  record.truncated_calls_refused = report.truncated_calls_refused;
}

void record_calls(exchange_record& record, bool tools_offered, int calls_out) {
  record.tools_offered = tools_offered;
  // Rescued calls are the fixer's work; the rest the upstream made natively.
  record.calls_native = calls_out > record.calls_rescued ? calls_out - record.calls_rescued : 0;
  record.text_only_with_tools = tools_offered && calls_out == 0;
}

}  // namespace harness::detail
