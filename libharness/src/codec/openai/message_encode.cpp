// message_encode.cpp: canonical messages -> the Chat Completions `messages` array.
#include <string>
#include <vector>

#include "codec/openai/internal.h"

namespace harness::detail::openai {
namespace {

// An image that came inside a tool result: OpenAI tool messages take text only, so it is sent in
// a user message right after the run of tool messages (translation.md A.2, F.4).
struct moved_image {
  std::string_view call_id;
  const image_block* image;
};

bool is_image_media(std::string_view media_type) noexcept {
  return media_type.empty() || media_type.substr(0, 6) == "image/";
}

std::string data_url(const image_block& img) {
  std::string url;
  url.reserve(img.media_type.size() + img.data.size() + 13);
  url += "data:";
  url += img.media_type;
  url += ";base64,";
  url += img.data;
  return url;
}

void write_text_part(json_writer& w, std::string_view text, const std::string& cache,
                     bool with_cache) {
  w.start_object().member("type", "text").member("text", text);
  if (with_cache && !cache.empty()) w.member_raw("cache_control", cache);
  w.end_object();
}

// Between a client's separate text blocks of a system / user message written as one string:
// a line break, as vLLM joins text parts, so "You are X." and "Be terse." do not run together.
constexpr std::string_view block_break = "\n";

// Message text as one string: a single block is written without a copy. An assistant's blocks
// are pieces of one reply and join as they are.
std::string_view message_text(const message& m, std::string& buffer) {
  const text_block* only = nullptr;
  std::size_t count = 0;
  for (const auto& b : m.content) {
    if (const auto* t = std::get_if<text_block>(&b)) {
      only = t;
      ++count;
    }
  }
  if (count == 0) return {};
  if (count == 1) return only->text;
  buffer = m.joined_text(m.role == role::assistant ? std::string_view() : block_break);
  return buffer;
}

bool has_block(const message& m, std::size_t index) noexcept {
  for (const auto& b : m.content) {
    if (b.index() == index) return true;
  }
  return false;
}

// content_block alternatives, in order.
constexpr std::size_t text_index = 0, image_index = 1, call_index = 2, result_index = 3;

void write_extra(json_writer& w, const json_fields& extra, std::string_view a = {},
                 std::string_view b = {}) {
  for (const auto& [key, raw] : extra.items) {
    if (key == a || key == b) continue;  // already written from the canonical fields
    w.member_raw(key, raw);
  }
}

// system / developer / user: a string, or parts when the client used parts or there are images.
void write_plain(json_writer& w, const message& m, const char* role_name, bool same) {
  const bool parts = (same && m.parts_form) || has_block(m, image_index);
  w.start_object().member("role", role_name).key("content");
  std::string_view cache;
  if (parts) {
    w.start_array();
    for (const auto& b : m.content) {
      if (const auto* t = std::get_if<text_block>(&b)) {
        write_text_part(w, t->text, t->cache_control, same);
      } else if (const auto* i = std::get_if<image_block>(&b)) {
        write_media_part(w, *i, same);
      }
    }
    w.end_array();
  } else {
    std::string buffer;
    w.string(message_text(m, buffer));
    for (const auto& b : m.content) {
      if (const auto* t = std::get_if<text_block>(&b); t && !t->cache_control.empty()) {
        cache = t->cache_control;  // string content: the marker sits on the message
      }
    }
  }
  if (!m.name.empty()) w.member("name", m.name);
  if (same) {
    if (!cache.empty()) w.member_raw("cache_control", cache);
    write_extra(w, m.extra, "name", cache.empty() ? std::string_view() : "cache_control");
  }
  w.end_object();
}

void write_assistant(json_writer& w, const message& m, bool same) {
  const bool has_calls = has_block(m, call_index);
  const bool parts = same && m.parts_form;
  const bool has_text = has_block(m, text_index);
  std::string buffer;
  const std::string_view text = message_text(m, buffer);
  w.start_object().member("role", "assistant").key("content");
  std::string_view cache;
  // content_null rule: no text beside tool calls is null, never "" (translation.md A.2, B.8).
  if ((has_calls && text.empty()) || (!has_calls && !has_text && m.content_null)) {
    w.null();
  } else if (parts) {
    w.start_array();
    for (const auto& b : m.content) {
      if (const auto* t = std::get_if<text_block>(&b)) {
        write_text_part(w, t->text, t->cache_control, same);
      }
    }
    w.end_array();
  } else {
    w.string(text);
  }
  for (const auto& b : m.content) {
    const auto* t = std::get_if<text_block>(&b);
    const auto* c = std::get_if<tool_call_block>(&b);
    if (t && !parts && !t->cache_control.empty()) cache = t->cache_control;
    if (c && !c->cache_control.empty()) cache = c->cache_control;  // no slot on a tool call
  }
  if (!m.name.empty()) w.member("name", m.name);
  bool any_reasoning = false;
  const std::string reasoning = joined_reasoning(m, any_reasoning);
  // DeepSeek-style thinking backends need prior reasoning replayed (translation.md A.2).
  if (any_reasoning) w.member("reasoning_content", reasoning);
  if (has_calls) {
    w.key("tool_calls").start_array();
    for (const auto& b : m.content) {
      if (const auto* c = std::get_if<tool_call_block>(&b)) write_tool_call(w, *c);
    }
    w.end_array();
  }
  if (same) {
    if (!cache.empty()) w.member_raw("cache_control", cache);
    write_extra(w, m.extra, "name", cache.empty() ? std::string_view() : "cache_control");
  }
  w.end_object();
}

// A tool result's text parts joined; one part is returned without a copy.
std::string_view result_text(const tool_result_block& tr, std::string& buffer) {
  const text_block* only = nullptr;
  std::size_t count = 0;
  for (const auto& part : tr.content) {
    if (const auto* t = std::get_if<text_block>(&part)) {
      only = t;
      ++count;
    }
  }
  if (count == 0) return {};
  if (count == 1) return only->text;
  buffer = tr.joined_text();
  return buffer;
}

// Said in a tool message whose only output was images, so it is not empty.
constexpr std::string_view moved_note = "(image output follows in the next message)";

void write_tool_result(json_writer& w, const message& m, const tool_result_block& tr, bool same,
                       bool first, std::vector<moved_image>& moved) {
  const std::size_t moved_before = moved.size();
  for (const auto& part : tr.content) {
    if (const auto* i = std::get_if<image_block>(&part)) moved.push_back({tr.tool_call_id, i});
  }
  const bool has_images = moved.size() != moved_before;
  w.start_object().member("role", "tool").member("tool_call_id", tr.tool_call_id).key("content");
  if (same && tr.parts_form) {
    w.start_array();
    bool any_text = false;
    for (const auto& part : tr.content) {
      const auto* t = std::get_if<text_block>(&part);
      if (t == nullptr) continue;
      if (tr.is_error && !any_text) {
        write_text_part(w, "Error: " + t->text, t->cache_control, same);
      } else {
        write_text_part(w, t->text, t->cache_control, same);
      }
      any_text = true;
    }
    if (!any_text && tr.is_error) write_text_part(w, "Error", {}, false);
    if (!any_text && has_images) write_text_part(w, moved_note, {}, false);
    w.end_array();
  } else {
    std::string joined;
    std::string_view text = result_text(tr, joined);
    if (tr.is_error) {  // no flag in OpenAI
      joined = text.empty() ? "Error" : "Error: " + std::string(text);
      text = joined;
    }
    if (text.empty() && has_images) text = moved_note;
    w.string(text);
  }
  if (same && !m.name.empty()) w.member("name", m.name);
  if (same && !tr.cache_control.empty()) w.member_raw("cache_control", tr.cache_control);
  if (same && first) {
    write_extra(w, m.extra, "name", tr.cache_control.empty() ? std::string_view() : "cache_control");
  }
  w.end_object();
}

// One user message carrying the images taken out of the preceding tool results.
void flush_images(json_writer& w, std::vector<moved_image>& moved) {
  if (moved.empty()) return;
  w.start_object().member("role", "user").key("content").start_array();
  std::string_view current;
  bool first = true;
  for (const auto& img : moved) {
    if (first || img.call_id != current) {
      write_text_part(w, "Image output of tool call " + std::string(img.call_id) + ":", {}, false);
      current = img.call_id;
      first = false;
    }
    write_media_part(w, *img.image, false);
  }
  w.end_array().end_object();
  moved.clear();
}

// Tool results: one tool message per result block (canonically one per message). Results found
// in a user message (not canonical, but possible) come first, then the user's own content.
void write_results(json_writer& w, const message& m, bool same, std::vector<moved_image>& moved) {
  bool first = true;
  for (const auto& b : m.content) {
    if (const auto* tr = std::get_if<tool_result_block>(&b)) {
      write_tool_result(w, m, *tr, same, first, moved);
      first = false;
    }
  }
  if (first && m.role == role::tool) {  // a tool message without a result block
    std::string buffer;
    w.start_object().member("role", "tool").member("tool_call_id", "").member(
        "content", message_text(m, buffer));
    w.end_object();
  }
}

}  // namespace

void write_media_part(json_writer& w, const image_block& img, bool with_cache) {
  w.start_object();
  if (!img.url.empty() || is_image_media(img.media_type)) {
    w.member("type", "image_url").key("image_url").start_object();
    if (!img.url.empty()) {
      w.member("url", img.url);
    } else {
      w.member("url", data_url(img));
    }
    if (!img.detail.empty()) w.member("detail", img.detail);
    w.end_object();
  } else {  // a document sent inline (PDF): OpenAI's `file` part
    const bool pdf = img.media_type == "application/pdf";
    w.member("type", "file").key("file").start_object();
    w.member("filename", pdf ? "document.pdf" : "document").member("file_data", data_url(img));
    w.end_object();
  }
  if (with_cache && !img.cache_control.empty()) w.member_raw("cache_control", img.cache_control);
  w.end_object();
}

std::string joined_reasoning(const message& m, bool& any) {
  any = false;
  std::string out;
  for (const auto& b : m.content) {
    const auto* r = std::get_if<reasoning_block>(&b);
    if (r == nullptr || r->redacted) continue;  // redacted data is opaque to everyone but Claude
    any = true;
    out += r->text;
  }
  return out;
}

void write_tool_call(json_writer& w, const tool_call_block& c) {
  w.start_object().member("id", c.id).member("type", "function").key("function");
  w.start_object().member("name", c.name).member("arguments", c.arguments).end_object();
  w.end_object();
}

void write_tool_calls(json_writer& w, const std::vector<const tool_call_block*>& calls) {
  w.key("tool_calls").start_array();
  for (const auto* c : calls) write_tool_call(w, *c);
  w.end_array();
}

std::size_t estimated_size(const message& m) noexcept {
  std::size_t n = 64;
  for (const auto& b : m.content) {
    n += 48;
    if (const auto* t = std::get_if<text_block>(&b)) n += t->text.size() + t->text.size() / 8;
    if (const auto* i = std::get_if<image_block>(&b)) n += i->data.size() + i->url.size();
    if (const auto* c = std::get_if<tool_call_block>(&b)) n += c->arguments.size() * 5 / 4;
    if (const auto* r = std::get_if<reasoning_block>(&b)) n += r->text.size() + r->text.size() / 8;
    if (const auto* tr = std::get_if<tool_result_block>(&b)) {
      for (const auto& part : tr->content) {
        if (const auto* t = std::get_if<text_block>(&part)) n += t->text.size() + t->text.size() / 8;
        if (const auto* i = std::get_if<image_block>(&part)) n += i->data.size() + i->url.size();
      }
    }
  }
  for (const auto& [k, v] : m.extra.items) n += k.size() + v.size() + 4;
  return n;
}

void write_messages(json_writer& w, const chat_request& req, bool same) {
  std::vector<moved_image> moved;
  w.start_array();
  for (const auto& m : req.messages) {
    if (m.role != role::tool) flush_images(w, moved);  // after the whole run of tool messages
    switch (m.role) {
      case role::system:
        write_plain(w, m, "system", same);
        break;
      case role::developer:
        // Only OpenAI itself knows `developer`; other backends take it as system (A.1).
        write_plain(w, m, same ? "developer" : "system", same);
        break;
      case role::user:
        if (has_block(m, result_index)) {
          write_results(w, m, same, moved);
          flush_images(w, moved);
          if (!has_block(m, text_index) && !has_block(m, image_index)) break;
        }
        write_plain(w, m, "user", same);
        break;
      case role::assistant:
        write_assistant(w, m, same);
        break;
      case role::tool:
        write_results(w, m, same, moved);
        break;
    }
  }
  flush_images(w, moved);
  w.end_array();
}

}  // namespace harness::detail::openai
