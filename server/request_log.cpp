#include "request_log.h"

#include <cstdio>

namespace harness_server {

void log_exchange_to_stderr(const harness::exchange_record& record) {
  std::string line = harness::to_json_line(record);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace harness_server
