// Promote a tool call that a model printed as text into a real call.
// Usage: rescue_reply < reply.txt   (offers the tools "write" and "bash")
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include <harness/rescue.h>

int main() {
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  harness::rescue_options options;
  options.tools_offered = {"write", "bash"};
  const harness::rescue_result r = harness::rescue_text(text, options);
  for (const auto& call : r.calls) {
    std::printf("call %s %s (%s)\n", call.name.c_str(), call.arguments.c_str(), call.family.c_str());
  }
  std::printf("content: %s\n", r.content ? r.content->c_str() : "(none)");
  return r.calls.empty() ? 1 : 0;
}
