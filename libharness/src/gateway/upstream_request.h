// upstream_request.h: where and how a provider is called (URL path, auth headers per dialect).
#pragma once

#include <string>

#include <harness/config.h>
#include <harness/transport.h>

namespace harness::detail {

/// The HTTP request that sends `body` (already encoded in the provider's dialect) to
/// `provider`, with the provider's auth and the timeouts of `server`.
http_request make_upstream_request(const provider_config& provider, const server_config& server,
                                   std::string body, bool stream);

/// The content type a client of dialect `d` expects for a stream.
const char* stream_content_type(dialect d) noexcept;

}  // namespace harness::detail
