// Links only harness::harness: translates an OpenAI request to Anthropic and prints the version
// compiled against (version.h) next to the translation.
#include <harness/harness.h>

#include <cstdio>
#include <cstring>

static_assert(HARNESS_VERSION == HARNESS_VERSION_MAJOR * 10000 + HARNESS_VERSION_MINOR * 100 +
                                     HARNESS_VERSION_PATCH);

int main() {
  const char* body = R"({"model":"m","max_tokens":64,"messages":[
      {"role":"system","content":"be brief"},{"role":"user","content":"list files"}],
      "tools":[{"type":"function","function":{"name":"ls","parameters":{"type":"object"}}}]})";
  auto out = harness::translate_request(harness::dialect::openai, harness::dialect::anthropic, body);
  if (!out) {
    std::fprintf(stderr, "translate failed: %s\n", out.error_value().describe().c_str());
    return 1;
  }
  if (std::strcmp(harness::version(), HARNESS_VERSION_STRING) != 0) return 1;
  std::printf("version %s\n%s\n", harness::version(), out->c_str());
  return 0;
}
