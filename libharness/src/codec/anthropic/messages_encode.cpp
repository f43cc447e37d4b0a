// messages_encode.cpp: canonical messages -> Anthropic `system` + `messages`
// (translation.md A.1 "messages" rows and A.8 rules 1, 3, 5).
#include <algorithm>

#include "codec/anthropic/anthropic.h"
#include "codec/anthropic/internal.h"
#include "ir/arguments.h"
#include "ir/ids.h"

namespace harness::detail::anthropic {
namespace {

struct wire_block {
  const content_block* block;
  std::size_t msg;    // canonical message index (for error paths)
  std::size_t index;  // canonical block index
};

// One Anthropic message, possibly made of several canonical ones (merged runs). Its blocks
// and source messages are ranges of the plan's two flat vectors (two allocations per request,
// not two per turn).
struct wire_turn {
  const char* role = "user";
  std::size_t block_begin = 0, block_end = 0;
  std::size_t source_begin = 0, source_end = 0;
  std::size_t block_count() const noexcept { return block_end - block_begin; }
};

struct wire_plan {
  std::vector<wire_turn> turns;
  std::vector<wire_block> blocks;
  std::vector<const message*> sources;
};

bool is_system(const message& m) { return m.role == role::system || m.role == role::developer; }

// Blocks Anthropic would reject or must not see are left out here (A.1, A.8.5).
bool keep_block(const content_block& b) {
  if (const auto* t = std::get_if<text_block>(&b)) return !t->text.empty();
  if (const auto* r = std::get_if<reasoning_block>(&b)) {
    // Foreign reasoning (no signature) must be dropped, not forwarded (A.1).
    return r->redacted ? !r->redacted_data.empty() : !r->signature.empty();
  }
  if (const auto* img = std::get_if<image_block>(&b))
    return !img->url.empty() || !img->data.empty();
  return true;
}

std::string_view rstrip(std::string_view s) {
  const auto end = s.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string_view() : s.substr(0, end + 1);
}

void write_text(json_writer& w, std::string_view text, const std::string& cache_control) {
  w.start_object().member("type", "text").member("text", text);
  if (!cache_control.empty()) w.member_raw("cache_control", cache_control);
  w.end_object();
}

// Hoisted system messages -> `system`: a string when the client sent one plain string,
// else one text block per non-empty text (cache_control kept; other parts dropped, A.1).
void write_system(json_writer& w, const std::vector<const message*>& hoisted) {
  std::vector<const text_block*> texts;
  bool cached = false;
  for (const message* m : hoisted) {
    for (const auto& b : m->content) {
      const auto* t = std::get_if<text_block>(&b);
      if (t == nullptr || t->text.empty()) continue;
      texts.push_back(t);
      cached = cached || !t->cache_control.empty();
    }
  }
  if (texts.empty()) return;
  w.key("system");
  if (hoisted.size() == 1 && !hoisted[0]->parts_form && texts.size() == 1 && !cached) {
    w.string(texts[0]->text);
    return;
  }
  w.start_array();
  for (const text_block* t : texts) write_text(w, t->text, t->cache_control);
  w.end_array();
}

class conversation_writer {
 public:
  conversation_writer(json_writer& w, const chat_request& req, const wire_plan& plan,
                      simdjson::dom::parser& scratch)
      : w_(w), req_(req), plan_(plan), scratch_(scratch) {}

  result<void> write_turn(const wire_turn& turn, bool final_prefill) {
    w_.start_object().member("role", turn.role).key("content");
    const message& first = *plan_.sources[turn.source_begin];
    const bool one_source = turn.source_end - turn.source_begin == 1;
    const auto* only_text = turn.block_count() == 1 && one_source && !first.parts_form
                                ? std::get_if<text_block>(plan_.blocks[turn.block_begin].block)
                                : nullptr;
    if (only_text != nullptr && only_text->cache_control.empty()) {
      w_.string(final_prefill ? rstrip(only_text->text) : std::string_view(only_text->text));
    } else {
      w_.start_array();
      for (std::size_t k = turn.block_begin; k < turn.block_end; ++k) {
        const bool strip = final_prefill && k + 1 == turn.block_end;
        if (auto r = write_block(plan_.blocks[k], strip); !r) return r;
      }
      w_.end_array();
    }
    if (req_.origin == dialect::anthropic) write_extras(turn);
    w_.end_object();
    return {};
  }

 private:
  // Message-level fields no codec models; of merged messages, the first occurrence wins.
  void write_extras(const wire_turn& turn) {
    std::vector<std::string_view> written{"role", "content"};
    for (std::size_t s = turn.source_begin; s < turn.source_end; ++s) {
      for (const auto& [key, raw] : plan_.sources[s]->extra.items) {
        if (std::find(written.begin(), written.end(), key) != written.end()) continue;
        written.push_back(key);
        w_.member_raw(key, raw);
      }
    }
  }

  // Same mapping for calls and results (A.8.3); a clean id is written as it is (no copy).
  std::string_view call_id(const std::string& id, std::size_t& empty_counter) {
    if (id.empty()) {
      id_buffer_ = synthesize_call_id("", empty_counter++, "toolu_");
    } else if (is_sanitized_call_id(id)) {
      return id;
    } else {
      id_buffer_ = sanitize_call_id(id);
    }
    return id_buffer_;
  }

  result<void> write_block(const wire_block& wb, bool strip) {
    const content_block& b = *wb.block;
    if (const auto* t = std::get_if<text_block>(&b)) {
      write_text(w_, strip ? rstrip(t->text) : std::string_view(t->text), t->cache_control);
    } else if (const auto* img = std::get_if<image_block>(&b)) {
      write_media(w_, *img);
    } else if (const auto* r = std::get_if<reasoning_block>(&b)) {
      write_reasoning(w_, *r);
    } else if (const auto* call = std::get_if<tool_call_block>(&b)) {
      const json_path root;
      const json_path mp = root / "messages";
      const json_path mi = mp[wb.msg];
      const json_path cp = mi / "content";
      const json_path bp = cp[wb.index];
      w_.start_object().member("type", "tool_use").member("id", call_id(call->id, empty_calls_));
      w_.member("name", call->name).key("input");
      auto input = write_arguments_object(w_, scratch_, call->arguments, bp / "arguments");
      if (!input) return input;
      if (!call->cache_control.empty()) w_.member_raw("cache_control", call->cache_control);
      w_.end_object();
    } else if (const auto* res = std::get_if<tool_result_block>(&b)) {
      write_result(*res);
    }
    return {};
  }

  void write_result(const tool_result_block& res) {
    w_.start_object().member("type", "tool_result");
    w_.member("tool_use_id", call_id(res.tool_call_id, empty_results_));
    bool plain = !res.parts_form;
    std::size_t kept = 0;
    for (const auto& part : res.content) {
      if (const auto* t = std::get_if<text_block>(&part)) {
        plain = plain && t->cache_control.empty();
        kept += t->text.empty() ? 0 : 1;
      } else {
        plain = false;
        ++kept;
      }
    }
    if (plain && kept <= 1) {
      for (const auto& part : res.content) {  // the one non-empty text, if any (no copy)
        const auto& t = std::get<text_block>(part);
        if (!t.text.empty()) w_.member("content", t.text);
      }
    } else if (plain) {
      w_.member("content", res.joined_text());
    } else if (kept > 0) {
      w_.key("content").start_array();
      for (const auto& part : res.content) {
        if (const auto* t = std::get_if<text_block>(&part)) {
          if (!t->text.empty()) write_text(w_, t->text, t->cache_control);
        } else {
          write_media(w_, std::get<image_block>(part));
        }
      }
      w_.end_array();
    }
    if (res.is_error) w_.member_bool("is_error", true);
    if (!res.cache_control.empty()) w_.member_raw("cache_control", res.cache_control);
    w_.end_object();
  }

  json_writer& w_;
  const chat_request& req_;
  const wire_plan& plan_;
  simdjson::dom::parser& scratch_;
  std::size_t empty_calls_ = 0;
  std::size_t empty_results_ = 0;
  std::string id_buffer_;
};

// Groups canonical messages into Anthropic turns: system messages hoisted (leading ones
// always; later ones too unless the client itself was Anthropic, whose mid-conversation
// system entries are kept in place), tool messages folded into user turns, runs of one role
// merged (A.1 "Consecutive assistant messages", "messages[role=tool]").
wire_plan plan_turns(const chat_request& req, std::vector<const message*>& hoisted) {
  const bool native = req.origin == dialect::anthropic;
  wire_plan plan;
  auto& turns = plan.turns;
  turns.reserve(req.messages.size());
  plan.sources.reserve(req.messages.size());
  std::size_t block_total = 0;
  for (const auto& m : req.messages) block_total += m.content.size();
  plan.blocks.reserve(block_total);
  bool conversation_started = false;
  for (std::size_t i = 0; i < req.messages.size(); ++i) {
    const message& m = req.messages[i];
    wire_turn turn;
    if (is_system(m)) {
      if (!conversation_started || !native) {
        hoisted.push_back(&m);
        continue;
      }
      turn.role = "system";
    } else {
      conversation_started = true;
      turn.role = m.role == role::assistant ? "assistant" : "user";
    }
    // This message's blocks go to the end of the flat vector: they extend the previous turn
    // when it has the same role (runs are merged), else they start a new one.
    const std::size_t first_block = plan.blocks.size();
    const bool reasoning_first = m.role == role::assistant && !native;
    for (int pass = reasoning_first ? 0 : 1; pass < 2; ++pass) {
      for (std::size_t j = 0; j < m.content.size(); ++j) {
        const content_block& b = m.content[j];
        const bool is_reasoning = std::holds_alternative<reasoning_block>(b);
        if (reasoning_first && (pass == 0) != is_reasoning) continue;
        if (turn.role[0] == 's' && !std::holds_alternative<text_block>(b)) continue;
        if (keep_block(b)) plan.blocks.push_back({&b, i, j});
      }
    }
    if (plan.blocks.size() == first_block) continue;
    plan.sources.push_back(&m);
    if (!turns.empty() && turn.role[0] != 's' && std::string_view(turns.back().role) == turn.role) {
      auto& prev = turns.back();
      prev.block_end = plan.blocks.size();
      prev.source_end = plan.sources.size();
    } else {
      turn.block_begin = first_block;
      turn.block_end = plan.blocks.size();
      turn.source_begin = plan.sources.size() - 1;
      turn.source_end = plan.sources.size();
      turns.push_back(turn);
    }
  }
  for (auto& turn : turns) {
    if (turn.role[0] != 'u') continue;
    // tool_result blocks first in the user turn (A.1, A.8.1).
    const auto begin = plan.blocks.begin() + static_cast<std::ptrdiff_t>(turn.block_begin);
    const auto end = plan.blocks.begin() + static_cast<std::ptrdiff_t>(turn.block_end);
    const auto is_result = [](const wire_block& wb) {
      return std::holds_alternative<tool_result_block>(*wb.block);
    };
    // Usually already in order; stable_partition would allocate a buffer per turn.
    if (!std::is_partitioned(begin, end, is_result)) std::stable_partition(begin, end, is_result);
  }
  // A final assistant prefill may not end in whitespace (A.8.5): drop blank trailing text.
  if (!turns.empty() && turns.back().role[0] == 'a') {
    auto& last = turns.back();
    while (last.block_end > last.block_begin) {
      const auto* t = std::get_if<text_block>(plan.blocks[last.block_end - 1].block);
      if (t == nullptr || !rstrip(t->text).empty()) break;
      --last.block_end;
    }
    if (last.block_count() == 0) turns.pop_back();
  }
  return plan;
}

}  // namespace

result<void> write_conversation(json_writer& w, const chat_request& req,
                                simdjson::dom::parser& scratch) {
  std::vector<const message*> hoisted;
  const wire_plan plan = plan_turns(req, hoisted);
  const auto& turns = plan.turns;
  write_system(w, hoisted);
  conversation_writer writer(w, req, plan, scratch);
  w.key("messages").start_array();
  for (std::size_t t = 0; t < turns.size(); ++t) {
    const bool final_prefill = t + 1 == turns.size() && turns[t].role[0] == 'a';
    if (auto r = writer.write_turn(turns[t], final_prefill); !r) return r;
  }
  w.end_array();
  return {};
}

bool has_tool_history(const chat_request& req, std::vector<std::string>& called_names) {
  bool any = false;
  for (const auto& m : req.messages) {
    for (const auto& b : m.content) {
      if (const auto* call = std::get_if<tool_call_block>(&b)) {
        any = true;
        if (std::find(called_names.begin(), called_names.end(), call->name) == called_names.end()) {
          called_names.push_back(call->name);
        }
      } else if (std::holds_alternative<tool_result_block>(b)) {
        any = true;
      }
    }
  }
  return any;
}

}  // namespace harness::detail::anthropic
