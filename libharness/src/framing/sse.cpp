// sse.cpp: the SSE reader's parsing and the writer helpers (see sse.h).
#include "framing/sse.h"

#include <cstring>
#include <limits>

namespace harness::detail {
namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";

// First '\n' in [p, end), or end.
inline const char* find_lf(const char* p, const char* end) noexcept {
  const void* r = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
  return r ? static_cast<const char*>(r) : end;
}

// First '\r' in [p, end), or end.
inline const char* find_cr(const char* p, const char* end) noexcept {
  const void* r = std::memchr(p, '\r', static_cast<std::size_t>(end - p));
  return r ? static_cast<const char*>(r) : end;
}

}  // namespace

void sse_reader::reset() noexcept {
  err_ = framing_error::none;
  bom_seen_ = 0;
  bom_done_ = false;
  pending_cr_ = false;
  in_comment_ = false;
  partial_.clear();
  clear_event();
  id_.clear();
  retry_ = -1;
}

void sse_reader::clear_event() noexcept {
  data_ = {};
  event_ = {};
  data_buf_.clear();
  event_buf_.clear();
  data_lines_ = 0;
  data_owned_ = false;
  event_owned_ = false;
  has_id_ = false;
}

bool sse_reader::feed_impl(std::string_view bytes, sink s) {
  if (err_ != framing_error::none) return false;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  if (!bom_done_) {
    while (p != end && bom_seen_ < 3 && *p == kBom[bom_seen_]) {
      ++bom_seen_;
      ++p;
    }
    if (bom_seen_ == 3) {
      bom_done_ = true;
    } else if (p != end) {
      // Not a BOM after all: the bytes matched so far are ordinary content.
      bom_done_ = true;
      if (bom_seen_ > 0) scan(std::string_view(kBom, bom_seen_), s);
    }
  }
  if (pending_cr_ && p != end) {
    pending_cr_ = false;
    if (*p == '\n') ++p;
  }
  if (p != end && err_ == framing_error::none)
    scan(std::string_view(p, static_cast<std::size_t>(end - p)), s);
  if (err_ != framing_error::none) return false;
  end_of_chunk();
  return true;
}

bool sse_reader::finish_impl(sink s) {
  if (err_ != framing_error::none) return false;
  if (!bom_done_ && bom_seen_ > 0 && bom_seen_ < 3) scan(std::string_view(kBom, bom_seen_), s);
  if (in_comment_) {
    in_comment_ = false;
  } else if (!partial_.empty() && err_ == framing_error::none) {
    line(partial_, false, s);
  }
  if (err_ == framing_error::none && data_lines_ > 0) dispatch(s);
  partial_.clear();
  clear_event();
  bom_seen_ = 0;
  bom_done_ = false;
  pending_cr_ = false;
  return err_ == framing_error::none;
}

// Splits into lines; complete lines inside `bytes` are handled in place.
void sse_reader::scan(std::string_view bytes, sink s) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  const char* lf = find_lf(p, end);  // cached: '\r' line ends must not make the scan quadratic
  while (p != end) {
    if (lf < p) lf = find_lf(p, end);
    const char* t = find_cr(p, lf);  // the line end: the first '\r' or '\n'
    if (t == end) {
      // No line end in the rest of the chunk: keep the unfinished line.
      if (in_comment_) return;
      if (partial_.empty() && *p == ':') {
        in_comment_ = true;
        return;
      }
      const auto n = static_cast<std::size_t>(end - p);
      if (partial_.size() + n > max_) return fail();
      partial_.append(p, n);
      return;
    }
    const std::string_view piece(p, static_cast<std::size_t>(t - p));
    if (in_comment_) {
      in_comment_ = false;
    } else if (!partial_.empty()) {
      if (partial_.size() + piece.size() > max_) return fail();
      partial_.append(piece);
      line(partial_, false, s);
      partial_.clear();
    } else {
      line(piece, true, s);
    }
    if (err_ != framing_error::none) return;
    if (*t == '\r') {
      if (t + 1 == end) {
        pending_cr_ = true;
        return;
      }
      p = t[1] == '\n' ? t + 2 : t + 1;
    } else {
      p = t + 1;
    }
  }
}

void sse_reader::line(std::string_view ln, bool stable, sink s) {
  if (ln.empty()) return dispatch(s);
  if (ln.front() == ':') return;  // comment
  if (ln.size() > max_) return fail();
  std::string_view field = ln;
  std::string_view value;
  if (const void* c = std::memchr(ln.data(), ':', ln.size())) {
    const auto at = static_cast<std::size_t>(static_cast<const char*>(c) - ln.data());
    field = ln.substr(0, at);
    value = ln.substr(at + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  switch (field.size()) {
    case 4:
      if (field == "data") return add_data(value, stable);
      break;
    case 5:
      if (field == "event") return set_event(value, stable);
      if (field == "retry") {
        if (value.empty()) return;
        std::int64_t r = 0;
        constexpr std::int64_t cap = std::numeric_limits<std::int64_t>::max() / 10 - 9;
        for (char ch : value) {
          if (ch < '0' || ch > '9') return;
          if (r < cap) r = r * 10 + (ch - '0');  // saturates instead of overflowing
        }
        retry_ = r;
        return;
      }
      break;
    case 2:
      if (field == "id") {
        // find, not memchr: an empty value may have a null data() (memchr(nullptr) is UB).
        if (value.find('\0') != std::string_view::npos) return;
        id_.assign(value);
        has_id_ = true;
        return;
      }
      break;
    default:
      break;
  }
}

void sse_reader::add_data(std::string_view v, bool stable) {
  const std::size_t now = pending_data().size() + pending_event().size();
  const std::size_t add = v.size() + (data_lines_ > 0 ? 1 : 0);
  if (add > max_ || now > max_ - add) return fail();
  if (data_lines_ == 0 && stable) {
    data_ = v;  // in place: copied by end_of_chunk() only if still pending then
    data_owned_ = false;
  } else {
    if (!data_owned_) {
      data_buf_.assign(data_);
      data_owned_ = true;
      data_ = {};
    }
    if (data_lines_ > 0) data_buf_ += '\n';
    data_buf_.append(v);
  }
  ++data_lines_;
}

void sse_reader::set_event(std::string_view v, bool stable) {
  if (v.size() > max_ || pending_data().size() > max_ - v.size()) return fail();
  if (stable) {
    event_ = v;
    event_owned_ = false;
  } else {
    event_buf_.assign(v);
    event_owned_ = true;
    event_ = {};
  }
}

// Views into the caller's chunk die when feed() returns: copy what is still pending.
void sse_reader::end_of_chunk() {
  if (data_lines_ > 0 && !data_owned_) {
    data_buf_.assign(data_);
    data_owned_ = true;
    data_ = {};
  }
  if (!event_owned_ && !event_.empty()) {
    event_buf_.assign(event_);
    event_owned_ = true;
    event_ = {};
  }
}

void sse_reader::dispatch(sink s) {
  if (data_lines_ > 0) {
    sse_event ev;
    ev.event = pending_event();
    ev.data = pending_data();
    ev.id = id_;
    ev.has_id = has_id_;
    s.fn(s.ctx, ev);
  }
  clear_event();
}

// ---- writer helpers

void append_sse_data(std::string& out, std::string_view data) {
  const char* p = data.data();
  const char* const end = p + data.size();
  const char* lf = find_lf(p, end);
  if (lf == end && find_cr(p, end) == end) {  // the common case: one line
    out.reserve(out.size() + data.size() + 8);
    out.append("data: ", 6);
    out.append(data);
    out.append("\n\n", 2);
    return;
  }
  for (;;) {
    if (lf < p) lf = find_lf(p, end);
    const char* t = find_cr(p, lf);
    out.append("data: ", 6);
    out.append(p, static_cast<std::size_t>(t - p));
    out.push_back('\n');
    if (t == end) break;
    p = (*t == '\r' && t + 1 != end && t[1] == '\n') ? t + 2 : t + 1;
  }
  out.push_back('\n');
}

namespace {
std::string_view first_line(std::string_view s) noexcept {
  const char* p = s.data();
  const char* end = p + s.size();
  return std::string_view(p, static_cast<std::size_t>(find_cr(p, find_lf(p, end)) - p));
}
}  // namespace

void append_sse_event(std::string& out, std::string_view event, std::string_view data) {
  if (!event.empty()) {
    event = first_line(event);
    out.reserve(out.size() + event.size() + data.size() + 17);
    out.append("event: ", 7);
    out.append(event);
    out.push_back('\n');
  }
  append_sse_data(out, data);
}

void append_sse_comment(std::string& out, std::string_view text) {
  out.append(": ", 2);
  out.append(first_line(text));
  out.append("\n\n", 2);
}

}  // namespace harness::detail
