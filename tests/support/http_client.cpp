#include "http_client.h"

#include <algorithm>
#include <cctype>

namespace harness_test {
namespace {

struct transfer {
  http_result* out;
  std::size_t abort_after;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  t->out->body.append(data, size * n);
  if (t->abort_after > 0 && t->out->body.size() >= t->abort_after) return 0;  // hang up
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  t->out->headers.append(data, size * n);
  return size * n;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::string http_result::header(const std::string& name) const {
  const std::string h = lower(headers);
  const std::string key = "\n" + lower(name) + ":";
  auto pos = h.find(key);
  if (pos == std::string::npos) return {};
  pos += key.size();
  auto end = headers.find('\r', pos);
  std::string v = headers.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  return v;
}

http_result http_request(const std::string& method, const std::string& url, const std::string& body,
                         const std::vector<std::string>& headers, std::size_t abort_after,
                         long timeout_ms) {
  http_result out;
  transfer t{&out, abort_after};
  CURL* h = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& hd : headers) list = curl_slist_append(list, hd.c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  if (method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK && !(abort_after > 0 && rc == CURLE_WRITE_ERROR)) out.error = curl_easy_strerror(rc);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  return out;
}

}  // namespace harness_test
