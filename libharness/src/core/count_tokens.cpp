// A local token estimate for count_tokens (Ollama and OpenAI backends have no such endpoint).
#include <harness/translate.h>

#include "json/writer.h"

namespace harness {
inline namespace v0 {

std::int64_t estimate_input_tokens(const chat_request& request) {
  std::size_t bytes = 0;
  for (const auto& m : request.messages) {
    bytes += 4;  // role and framing
    for (const auto& block : m.content) {
      if (const auto* t = std::get_if<text_block>(&block)) bytes += t->text.size();
      if (const auto* c = std::get_if<tool_call_block>(&block)) bytes += c->name.size() + c->arguments.size();
      if (const auto* r = std::get_if<tool_result_block>(&block)) bytes += r->joined_text().size();
      if (const auto* r = std::get_if<reasoning_block>(&block)) bytes += r->text.size();
      if (std::holds_alternative<image_block>(block)) bytes += 1600 * 4;  // a typical image
    }
  }
  for (const auto& t : request.tools) bytes += t.name.size() + t.description.size() + t.parameters.size();
  return static_cast<std::int64_t>((bytes + 3) / 4);
}

result<std::string> count_tokens_response(std::string_view body) {
  auto request = decode_request(dialect::anthropic, body);
  if (!request && request.error_value().path == "$.max_tokens") {
    // count_tokens bodies are Messages requests without the output limit.
    const auto brace = body.find('{');
    std::string with_limit(body.substr(0, brace + 1));
    with_limit += "\"max_tokens\":1,";
    with_limit += body.substr(brace + 1);
    request = decode_request(dialect::anthropic, with_limit);
  }
  if (!request) return std::move(request).error_value();
  std::string out;
  detail::json_writer w(out);
  w.start_object().member_int("input_tokens", estimate_input_tokens(*request)).end_object();
  return out;
}

}  // namespace v0
}  // namespace harness
