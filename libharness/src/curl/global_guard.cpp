#include <curl/curl.h>

#include <harness/curl_transport.h>

namespace harness {
inline namespace v0 {

curl_global_guard::curl_global_guard() noexcept
    : ok_(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) {}

curl_global_guard::~curl_global_guard() {
  if (ok_) curl_global_cleanup();
}

}  // namespace v0
}  // namespace harness
