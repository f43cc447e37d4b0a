#include "curl/errors.h"

#include <memory>

namespace harness::detail {

namespace {

struct url_deleter {
  void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};

// One part of a parsed URL, or "" when absent.
std::string url_part(CURLU* url, CURLUPart part, unsigned int flags) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || text == nullptr) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

error transport_error(std::string message) {
  return make_error(errc::upstream_transport, std::move(message));
}

}  // namespace

result<upstream_target> parse_upstream_url(const std::string& url) {
  const std::unique_ptr<CURLU, url_deleter> parsed(curl_url());
  if (!parsed) return make_error(errc::internal, "out of memory");
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return transport_error("invalid upstream URL");
  }
  std::string scheme = url_part(parsed.get(), CURLUPART_SCHEME, 0);
  if (scheme != "http" && scheme != "https") {
    return transport_error("invalid upstream URL: the scheme must be http or https");
  }
  upstream_target target;
  target.https = scheme == "https";
  target.label = url_part(parsed.get(), CURLUPART_HOST, 0);
  if (target.label.empty()) return transport_error("invalid upstream URL: no host");
  const std::string port = url_part(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!port.empty()) target.label += ":" + port;
  return target;
}

error transfer_error(CURLcode code, std::string_view host,
                     std::chrono::milliseconds connect_timeout) {
  const std::string h(host);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return transport_error("could not resolve upstream host " + h);
    case CURLE_COULDNT_RESOLVE_PROXY:
      return transport_error("could not resolve the proxy for upstream " + h);
    case CURLE_COULDNT_CONNECT:
      return transport_error("could not connect to upstream " + h);
    case CURLE_PROXY:
      return transport_error("the proxy refused the connection to upstream " + h);
    case CURLE_OPERATION_TIMEDOUT:
      return make_error(errc::timeout, "could not connect to upstream " + h + " within " +
                                           std::to_string(connect_timeout.count()) + " ms");
    case CURLE_PEER_FAILED_VERIFICATION:
      return transport_error("the TLS certificate of upstream " + h + " could not be verified");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return transport_error("TLS with upstream " + h + " failed (" + curl_easy_strerror(code) +
                             ")");
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return transport_error("upstream " + h + " closed the connection");
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      return transport_error("upstream " + h + " sent an invalid HTTP response");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return transport_error("invalid upstream URL");
    case CURLE_OUT_OF_MEMORY:
      return make_error(errc::internal, "out of memory");
    case CURLE_ABORTED_BY_CALLBACK:
      return make_error(errc::canceled, "transfer canceled");
    default:
      return transport_error("transfer with upstream " + h + " failed (" +
                             curl_easy_strerror(code) + ")");
  }
}

}  // namespace harness::detail
