// Translate a captured OpenAI Chat Completions request into an Anthropic Messages request.
// Usage: translate_request < request.json
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include <harness/harness.h>

int main() {
  std::string body{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  auto out = harness::translate_request(harness::dialect::openai, harness::dialect::anthropic, body);
  if (!out) {
    std::fprintf(stderr, "error: %s\n", out.error_value().describe().c_str());
    return 2;
  }
  std::puts(out->c_str());
  return 0;
}
