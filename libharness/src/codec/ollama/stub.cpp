// TEMPORARY placeholder so the tree builds while the ollama codec is written; delete when done.
#include "codec/ollama/ollama.h"

namespace harness::detail::ollama {
namespace { error todo() { return make_error(errc::unsupported, "ollama codec not built yet"); } }
result<chat_request> decode_request(std::string_view) { return todo(); }
result<std::string> encode_request(const chat_request&, const encode_options&) { return todo(); }
result<chat_response> decode_response(std::string_view) { return todo(); }
result<std::string> encode_response(const chat_response&) { return todo(); }
std::string encode_error(const error&) { return "{}"; }
error decode_error(int, std::string_view) { return todo(); }
const char* finish_reason_name(finish_reason) noexcept { return "stop"; }
finish_reason parse_finish_reason(std::string_view) noexcept { return finish_reason::stop; }
}  // namespace harness::detail::ollama
