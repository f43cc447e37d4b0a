// request_encode.cpp: canonical chat_request (any origin) -> Ollama /api/chat request body
// (translation.md B.2).
#include <unordered_map>

#include "codec/ollama/internal.h"
#include "codec/ollama/ollama.h"
#include "codec/ollama/request_fields.h"

namespace harness::detail::ollama {
namespace {

const std::vector<std::string_view> request_keys = {"model",   "messages", "tools", "format",
                                                    "options", "stream",   "think"};

// id -> name of the calls seen so far; later calls overwrite earlier ones, so a lookup finds the
// last earlier call with that id (OL/v1 nameFromToolCallID, translation.md B.2).
using call_names = std::unordered_map<std::string_view, std::string_view>;

void write_extra(json_writer& w, const json_fields& extra,
                 const std::vector<std::string_view>& skip) {
  for (const auto& [key, raw] : extra.items) {
    if (!is_one_of(key, skip)) w.key(key).raw(raw);
  }
}

// One Ollama tool message: content always a string (OL/v1 loses tool_call_id on arrays),
// tool_name filled from history because many templates render it and Ollama Cloud checks the
// pairing (translation.md B.2, B.9).
result<void> write_tool_result(json_writer& w, const tool_result_block& r, const call_names& names,
                               const json_fields* extra, const json_path& at) {
  w.start_object().member("role", "tool");
  std::string text = r.joined_text();
  // Ollama has no error flag: say it in the text, as a model reading the result needs to know.
  if (r.is_error) text.insert(0, "Error: ");
  w.member("content", text);
  const json_path parts_path = at / "content";
  bool any = false;
  for (std::size_t k = 0; k < r.content.size(); ++k) {
    const auto* img = std::get_if<image_block>(&r.content[k]);
    if (img == nullptr) continue;
    auto data = image_data(*img, parts_path[k]);
    if (!data) return std::move(data).error_value();
    if (!any) w.key("images").start_array();
    any = true;
    w.string(*data);
  }
  if (any) w.end_array();
  if (!r.tool_call_id.empty()) w.member("tool_call_id", r.tool_call_id);
  std::string_view name = r.name;
  if (name.empty()) {
    const auto it = names.find(r.tool_call_id);
    if (it != names.end()) name = it->second;
  }
  if (!name.empty()) w.member("tool_name", name);
  if (extra != nullptr) {
    std::vector<std::string_view> written = {"role", "content"};
    if (any) written.emplace_back("images");
    if (!r.tool_call_id.empty()) written.emplace_back("tool_call_id");
    if (!name.empty()) written.emplace_back("tool_name");
    write_extra(w, *extra, written);
  }
  w.end_object();
  return {};
}

const char* role_name(role r) noexcept {
  switch (r) {
    case role::system:
    case role::developer: return "system";  // Ollama has no developer role
    case role::user: return "user";
    case role::assistant: return "assistant";
    case role::tool: return "tool";
  }
  return "user";
}

result<void> write_messages(json_writer& w, const chat_request& req,
                            simdjson::dom::parser& parser, bool own) {
  const json_path root;
  const json_path messages_path = root / "messages";
  call_names names;
  w.key("messages").start_array();
  for (std::size_t i = 0; i < req.messages.size(); ++i) {
    const message& m = req.messages[i];
    const json_path at = messages_path[i];
    const json_fields* extra = own ? &m.extra : nullptr;
    // Tool results become tool messages of their own, before any other content of the
    // message (a user turn that carries results, translation.md F.4).
    std::size_t results = 0;
    for (std::size_t j = 0; j < m.content.size(); ++j) {
      const auto* r = std::get_if<tool_result_block>(&m.content[j]);
      if (r == nullptr) continue;
      auto ok = write_tool_result(w, *r, names, results == 0 ? extra : nullptr,
                                  (at / "content")[j]);
      if (!ok) return ok;
      ++results;
    }
    if (results > 0) {
      if (m.role == role::tool) continue;
      if (results == m.content.size()) continue;
      extra = nullptr;  // already written with the first result
    }
    w.start_object().member("role", role_name(m.role));
    auto ok = write_message_parts(w, m, parser, at);
    if (!ok) return ok;
    if (extra != nullptr) write_extra(w, *extra, written_keys(m));
    w.end_object();
    for (const auto* call : m.tool_calls()) names[call->id] = call->name;
  }
  w.end_array();
  return {};
}

// A size hint for the output buffer: the texts dominate every body.
std::size_t estimate_size(const chat_request& req) {
  std::size_t n = 256 + req.model.size();
  for (const auto& m : req.messages) {
    n += 64;
    for (const auto& block : m.content) {
      n += 32;
      if (const auto* t = std::get_if<text_block>(&block)) n += t->text.size() + t->text.size() / 8;
      if (const auto* img = std::get_if<image_block>(&block)) n += img->data.size();
      if (const auto* c = std::get_if<tool_call_block>(&block)) n += c->arguments.size() + 64;
      if (const auto* r = std::get_if<reasoning_block>(&block)) n += r->text.size();
      if (const auto* r = std::get_if<tool_result_block>(&block)) {
        for (const auto& part : r->content) {
          if (const auto* t = std::get_if<text_block>(&part)) n += t->text.size();
          if (const auto* img = std::get_if<image_block>(&part)) n += img->data.size();
        }
      }
    }
  }
  for (const auto& t : req.tools) n += 64 + t.name.size() + t.description.size() + t.parameters.size();
  return n;
}

}  // namespace

result<std::string> encode_request(const chat_request& req, const encode_options& options) {
  simdjson::dom::parser parser;  // scratch for arguments and raw fields
  const bool own = req.origin == dialect::ollama;
  std::string out;
  out.reserve(estimate_size(req));
  json_writer w(out);
  w.start_object().member("model", req.model);
  auto ok = write_messages(w, req, parser, own);
  if (!ok) return std::move(ok).error_value();
  write_tools(w, req, parser, own);
  write_format(w, req.response_format, parser);
  write_options(w, req, options, parser, own);
  // Always explicit: Ollama streams when `stream` is absent (translation.md B.1).
  w.member_bool("stream", req.stream);
  write_think(w, req.reasoning);
  if (own) write_extra(w, req.extra, request_keys);
  w.end_object();
  if (!w.ok()) return unwritable("the request");
  return out;
}

}  // namespace harness::detail::ollama
