// easy.h: typed wrappers over libcurl's variadic setters, and RAII owners for its handles.
//
// curl_easy_setopt reads its argument with va_arg as the type the option implies (long,
// curl_off_t, a pointer), so every call goes through a wrapper whose parameter has that type;
// an int or a size_t passed straight to the variadic call would be undefined behaviour.
#pragma once

#include <memory>

#include <curl/curl.h>

namespace harness::detail {

struct easy_deleter {
  void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
using easy_ptr = std::unique_ptr<CURL, easy_deleter>;

struct slist_deleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using slist_ptr = std::unique_ptr<curl_slist, slist_deleter>;

inline CURLcode set_long(CURL* easy, CURLoption option, long value) noexcept {
  return curl_easy_setopt(easy, option, value);
}
inline CURLcode set_offset(CURL* easy, CURLoption option, curl_off_t value) noexcept {
  return curl_easy_setopt(easy, option, value);
}
inline CURLcode set_string(CURL* easy, CURLoption option, const char* value) noexcept {
  return curl_easy_setopt(easy, option, value);
}
inline CURLcode set_pointer(CURL* easy, CURLoption option, void* value) noexcept {
  return curl_easy_setopt(easy, option, value);
}
inline CURLcode set_list(CURL* easy, CURLoption option, curl_slist* value) noexcept {
  return curl_easy_setopt(easy, option, value);
}
/// For the *FUNCTION options: `fn` is a plain function pointer of the type the option documents.
template <class Fn>
CURLcode set_function(CURL* easy, CURLoption option, Fn* fn) noexcept {
  return curl_easy_setopt(easy, option, fn);
}

inline CURLMcode set_multi_long(CURLM* multi, CURLMoption option, long value) noexcept {
  return curl_multi_setopt(multi, option, value);
}

}  // namespace harness::detail
