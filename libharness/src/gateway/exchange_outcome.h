// exchange_outcome.h: what the request log and the counters derive from how an exchange ended
// (internal to the gateway).
#pragma once

#include <string>

#include <harness/fixer.h>
#include <harness/gateway.h>
#include <harness/result.h>

namespace harness::detail {

/// exchange_record::error_kind of a failure answered before the head. `routed`: a route was
/// found for the model (a 404 before routing is an unknown model, after it the upstream's).
std::string error_kind_of(const error& err, bool routed);

/// error_kind of a stream that failed after its head because the transfer did (`err`).
std::string stream_error_kind(const error& err);

/// Copies the native-call guard's counts into the record.
void record_guard(exchange_record& record, const guard_report& report);

/// Fills the fields known only at the end of a successful answer: `calls_out` tool calls
/// reached the client (native and rescued), `tools_offered` the client's request had tools.
void record_calls(exchange_record& record, bool tools_offered, int calls_out);

}  // namespace harness::detail
