// errors.h: what a failed transfer tells the caller, and how the upstream is named in it.
//
// Messages reach clients (result.h), so they name the upstream by host and port only: never the
// URL's user info, path or query (a key may sit in `?key=`), never a header value, never libcurl's
// error buffer (which may quote any of them).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <curl/curl.h>

#include <harness/result.h>

namespace harness::detail {

/// The parts of an upstream URL the transport needs.
struct upstream_target {
  std::string label;   ///< "host:port" for messages ("[::1]:8080" for IPv6)
  bool https = false;  ///< scheme is https
};

/// Parses `url` with libcurl's URL parser. Fails (errc::upstream_transport, no part of the URL
/// quoted) when it is not an absolute http or https URL.
result<upstream_target> parse_upstream_url(const std::string& url);

/// The error of a transfer that libcurl ended with `code` (not CURLE_OK). Only the connect
/// timeout is left to libcurl, so CURLE_OPERATION_TIMEDOUT means "could not connect in time".
error transfer_error(CURLcode code, std::string_view host,
                     std::chrono::milliseconds connect_timeout);

}  // namespace harness::detail
