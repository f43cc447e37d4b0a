// Small member functions and names of the canonical types.
#include <harness/dialect.h>
#include <harness/json_fields.h>
#include <harness/message.h>
#include <harness/response.h>

namespace harness {
inline namespace v0 {

const std::string* json_fields::find(std::string_view key) const noexcept {
  for (const auto& [k, v] : items) {
    if (k == key) return &v;
  }
  return nullptr;
}

void json_fields::set(std::string key, std::string raw_value) {
  for (auto& [k, v] : items) {
    if (k == key) {
      v = std::move(raw_value);
      return;
    }
  }
  items.emplace_back(std::move(key), std::move(raw_value));
}

bool json_fields::erase(std::string_view key) {
  for (auto it = items.begin(); it != items.end(); ++it) {
    if (it->first == key) {
      items.erase(it);
      return true;
    }
  }
  return false;
}

const char* to_string(role r) noexcept {
  switch (r) {
    case role::system: return "system";
    case role::developer: return "developer";
    case role::user: return "user";
    case role::assistant: return "assistant";
    case role::tool: return "tool";
  }
  return "user";
}

std::string tool_result_block::joined_text() const {
  std::string out;
  for (const auto& part : content) {
    if (const auto* t = std::get_if<text_block>(&part)) out += t->text;
  }
  return out;
}

std::string message::joined_text() const { return joined_text({}); }

std::string message::joined_text(std::string_view separator) const {
  std::string out;
  bool first = true;
  for (const auto& block : content) {
    if (const auto* t = std::get_if<text_block>(&block)) {
      if (!first) out += separator;
      out += t->text;
      first = false;
    }
  }
  return out;
}

std::vector<const tool_call_block*> message::tool_calls() const {
  std::vector<const tool_call_block*> out;
  for (const auto& block : content) {
    if (const auto* c = std::get_if<tool_call_block>(&block)) out.push_back(c);
  }
  return out;
}

const char* to_string(finish_reason r) noexcept {
  switch (r) {
    case finish_reason::none: return "none";
    case finish_reason::stop: return "stop";
    case finish_reason::stop_sequence: return "stop_sequence";
    case finish_reason::length: return "length";
    case finish_reason::tool_calls: return "tool_calls";
    case finish_reason::content_filter: return "content_filter";
    case finish_reason::pause: return "pause";
    case finish_reason::error: return "error";
  }
  return "none";
}

const char* to_string(dialect d) noexcept {
  switch (d) {
    case dialect::openai: return "openai";
    case dialect::anthropic: return "anthropic";
    case dialect::ollama: return "ollama";
    case dialect::responses: return "responses";
  }
  return "openai";
}

std::optional<dialect> parse_dialect(std::string_view name) noexcept {
  if (name == "openai") return dialect::openai;
  if (name == "anthropic") return dialect::anthropic;
  if (name == "ollama") return dialect::ollama;
  if (name == "responses") return dialect::responses;
  return std::nullopt;
}

}  // namespace v0
}  // namespace harness
