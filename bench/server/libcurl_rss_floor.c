// libcurl_rss_floor.c: the resident memory of the smallest program that does what harness-server
// must do at start: initialise Debian's libcurl and make one request. Prints its VmRSS split
// into anonymous and file-backed (shared-library) pages; bench/RESULTS.md compares it with
// harness-server's idle RSS.
//
// Build and run: cc -O2 -o libcurl_rss_floor libcurl_rss_floor.c -lcurl && ./libcurl_rss_floor [URL]
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static size_t discard(char* data, size_t size, size_t count, void* user) {
  (void)data;
  (void)user;
  return size * count;
}

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, argc > 1 ? argv[1] : "http://127.0.0.1:1/");
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_perform(easy);  // a refused connection is fine: the libraries are loaded either way
  FILE* status = fopen("/proc/self/status", "r");
  char line[256];
  while (status != NULL && fgets(line, sizeof line, status) != NULL) {
    if (strncmp(line, "VmRSS", 5) == 0 || strncmp(line, "RssAnon", 7) == 0 ||
        strncmp(line, "RssFile", 7) == 0) {
      fputs(line, stdout);
    }
  }
  curl_easy_cleanup(easy);
  curl_global_cleanup();
  return 0;
}
