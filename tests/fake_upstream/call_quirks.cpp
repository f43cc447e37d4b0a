#include "call_quirks.h"

#include <algorithm>

namespace fake {

void apply_call_quirks(const Request &req, Reply &r) {
  if (r.calls.empty()) return;
  if (req.model.starts_with("wrongtool")) {
    for (ToolCall &c : r.calls) c.name = "not_offered";
    return;
  }
  if (req.model.starts_with("cutcall")) {
    // The limit hits inside the last call's arguments, in the middle of a string value when
    // there is one (the worst case: repair must not close it and run the tool).
    r.stop = Stop::max_tokens;
    if (req.dialect == Dialect::ollama) {
      r.calls.pop_back();  // Ollama parses calls whole: a cut one never leaves the server
      return;
    }
    ToolCall &last = r.calls.back();
    const std::string whole = last.arguments.dump();
    std::size_t cut = whole.size() / 2;
    if (const std::size_t q = whole.rfind(":\""); q != std::string::npos) cut = q + 3;
    r.cut_arguments = whole.substr(0, std::min(cut, whole.size() - 1));
    // Where the wire carries an object (Anthropic JSON, Ollama), the parsed part of the cut
    // input: the members before the cut one.
    Json partial = Json::object();
    if (last.arguments.is_object()) {
      for (const auto &[key, value] : last.arguments.members()) {
        if (partial.dump().size() + key.size() + value.dump().size() + 4 > cut) break;
        partial.set(key, value);
      }
    }
    last.arguments = std::move(partial);
  }
}

}  // namespace fake
