// sink.cpp: the content rule applied incrementally, and call ids.
#include "rescue/sink.h"

#include "ir/ids.h"
#include "json/writer.h"
#include "rescue/context.h"

namespace harness::detail::rescue {

void segment_writer::text(std::string_view s, std::string& out) {
  std::size_t i = 0;
  if (at_start_) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) return;
    at_start_ = false;
    if (any_) put("\n\n", out);
  }
  std::size_t j = s.size();
  while (j > i && is_space(s[j - 1])) --j;
  if (j == i) {
    ws_.append(s.substr(i));
    return;
  }
  if (!ws_.empty()) {
    put(ws_, out);
    ws_.clear();
  }
  put(s.substr(i, j - i), out);
  ws_.append(s.substr(j));
  any_ = true;
}

void segment_writer::finish(std::string& out) {
  ws_.clear();
  out += tail_;
  tail_.clear();
}

void segment_writer::put(std::string_view s, std::string& out) {
  if (tail_.empty()) {
    const std::size_t k = complete_utf8_prefix(s);
    out.append(s.substr(0, k));
    tail_.assign(s.substr(k));
    return;
  }
  std::string joined = tail_;
  joined.append(s);
  const std::size_t k = complete_utf8_prefix(joined);
  out.append(joined, 0, k);
  tail_ = joined.substr(k);
}

// Runs `w` on `s` (or finishes it) straight into the string the released bytes belong to.
void sink::write(rescue_event::kind kind, segment_writer& w, std::string_view s, bool finish) {
  if (direct_) {
    std::string& dst = kind == rescue_event::kind::content ? direct_content_ : direct_reasoning_;
    if (finish) {
      w.finish(dst);
    } else {
      w.text(s, dst);
    }
    return;
  }
  if (!events_) return;
  const bool reuse = !events_->empty() && events_->back().type == kind;
  if (!reuse) {
    rescue_event e;
    e.type = kind;
    events_->push_back(std::move(e));
  }
  std::string& dst = events_->back().text;
  if (finish) {
    w.finish(dst);
  } else {
    w.text(s, dst);
  }
  if (!reuse && dst.empty()) events_->pop_back();
}

void sink::content(std::string_view s) {
  if (s.empty()) return;
  if (record_) {
    if (!record_->empty() && record_->back().k == piece::kind::content) {
      record_->back().text.append(s);
    } else {
      record_->push_back({piece::kind::content, std::string(s), {}});
    }
    return;
  }
  write(rescue_event::kind::content, content_, s, false);
}

void sink::content_break() {
  if (record_) {
    record_->push_back({piece::kind::content_break, {}, {}});
    return;
  }
  content_.brk();
}

void sink::reasoning(std::string_view s) {
  if (s.empty()) return;
  if (record_) {
    if (!record_->empty() && record_->back().k == piece::kind::reasoning) {
      record_->back().text.append(s);
    } else {
      record_->push_back({piece::kind::reasoning, std::string(s), {}});
    }
    return;
  }
  write(rescue_event::kind::reasoning, reasoning_, s, false);
}

void sink::reasoning_break() {
  if (record_) {
    record_->push_back({piece::kind::reasoning_break, {}, {}});
    return;
  }
  reasoning_.brk();
}

void sink::call(rescued_call c) {
  if (record_) {
    record_->push_back({piece::kind::call, {}, std::move(c)});
    return;
  }
  // The id seed is bounded (name, size, both ends of the raw text) so a megabyte call does
  // not cost a megabyte of hashing; it is still a pure function of the call's text.
  std::string seed = c.name;
  seed += '\x1f';
  seed += std::to_string(c.raw.size());
  seed += '\x1f';
  if (c.raw.size() <= 512) {
    seed += c.raw;
  } else {
    seed.append(c.raw, 0, 256);
    seed.append(c.raw, c.raw.size() - 256, 256);
  }
  seed += c.arguments.size() <= 256 ? c.arguments : c.arguments.substr(0, 256);
  c.id = synthesize_call_id(seed, calls_++);
  if (direct_) {
    direct_->calls.push_back(std::move(c));
    return;
  }
  if (!events_) return;
  rescue_event e;
  e.type = rescue_event::kind::call;
  e.call = std::move(c);
  events_->push_back(std::move(e));
}

void sink::replay(const std::vector<piece>& pieces) {
  for (const auto& p : pieces) {
    switch (p.k) {
      case piece::kind::content: content(p.text); break;
      case piece::kind::content_break: content_break(); break;
      case piece::kind::reasoning: reasoning(p.text); break;
      case piece::kind::reasoning_break: reasoning_break(); break;
      case piece::kind::call: call(p.call); break;
    }
  }
}

void sink::finish() {
  if (record_) return;
  write(rescue_event::kind::content, content_, {}, true);
  write(rescue_event::kind::reasoning, reasoning_, {}, true);
  if (direct_) {
    if (!direct_content_.empty()) direct_->content = std::move(direct_content_);
    if (!direct_reasoning_.empty()) direct_->reasoning = std::move(direct_reasoning_);
  }
}

}  // namespace harness::detail::rescue
