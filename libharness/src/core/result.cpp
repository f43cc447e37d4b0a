#include <harness/result.h>

namespace harness {
inline namespace v0 {

const char* to_string(errc code) noexcept {
  switch (code) {
    case errc::invalid_json: return "invalid_json";
    case errc::invalid_request: return "invalid_request";
    case errc::unsupported: return "unsupported";
    case errc::upstream_http: return "upstream_http";
    case errc::upstream_transport: return "upstream_transport";
    case errc::timeout: return "timeout";
    case errc::canceled: return "canceled";
    case errc::config: return "config";
    case errc::internal: return "internal";
  }
  return "internal";
}

std::string error::describe() const {
  if (path.empty()) return message;
  return message + " (at " + path + ")";
}

error make_error(errc code, std::string message, std::string path) {
  int status = 400;
  switch (code) {
    case errc::invalid_json:
    case errc::invalid_request:
    case errc::unsupported:
    case errc::config: status = 400; break;
    case errc::upstream_http:
    case errc::upstream_transport: status = 502; break;
    case errc::timeout: status = 504; break;
    case errc::canceled: status = 499; break;
    case errc::internal: status = 500; break;
  }
  return error{code, std::move(message), std::move(path), status};
}

}  // namespace v0
}  // namespace harness
