// request_log.h: where the server writes the request log.
#pragma once

#include <harness/gateway.h>

namespace harness_server {

/// Writes one JSON line per exchange to stderr (thread-safe: one fwrite per line).
void log_exchange_to_stderr(const harness::exchange_record& record);

}  // namespace harness_server
