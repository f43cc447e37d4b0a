// Translates an OpenAI request to Anthropic with the packaged core library.
#include <harness/harness.h>

#include <cstdio>

int main() {
  auto out = harness::translate_request(harness::dialect::openai, harness::dialect::anthropic,
                                        R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
  if (!out) return 1;
  std::printf("harness %s: %s\n", harness::version(), out->c_str());
  return 0;
}
