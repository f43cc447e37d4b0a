// Links only harness::harness: promotes a tool call a model printed as text.
#include <harness/rescue.h>

#include <cstdio>

int main() {
  harness::rescue_options options;
  options.tools_offered = {"read_file"};
  const auto r = harness::rescue_text(
      "Let me look.\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}\n"
      "</tool_call>",
      options);
  for (const auto& call : r.calls) {
    std::printf("call %s %s (%s)\n", call.name.c_str(), call.arguments.c_str(), call.family.c_str());
  }
  std::printf("content: %s\n", r.content ? r.content->c_str() : "(none)");
  return r.calls.size() == 1 ? 0 : 1;
}
