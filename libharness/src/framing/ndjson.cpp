// ndjson.cpp: the NDJSON line framer (see ndjson.h).
#include "framing/ndjson.h"

#include <cstring>

namespace harness::detail {

void ndjson_reader::deliver(std::string_view ln, sink s) {
  if (!ln.empty() && ln.back() == '\r') ln.remove_suffix(1);
  if (ln.size() > max_) {
    err_ = framing_error::too_large;
    return;
  }
  if (!ln.empty()) s.fn(s.ctx, ln);
}

bool ndjson_reader::feed_impl(std::string_view bytes, sink s) {
  if (err_ != framing_error::none) return false;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p != end) {
    const auto rest = static_cast<std::size_t>(end - p);
    const void* hit = std::memchr(p, '\n', rest);
    if (hit == nullptr) {
      // Unfinished line. Up to max + 1 bytes may be a legal line plus its '\r'.
      if (partial_.size() + rest - 1 > max_) {  // rest >= 1
        err_ = framing_error::too_large;
        return false;
      }
      partial_.append(p, rest);
      break;
    }
    const char* nl = static_cast<const char*>(hit);
    const std::string_view piece(p, static_cast<std::size_t>(nl - p));
    if (partial_.empty()) {
      deliver(piece, s);
    } else {
      if (partial_.size() + piece.size() - 1 > max_) {  // partial_ is not empty
        err_ = framing_error::too_large;
        return false;
      }
      partial_.append(piece);
      deliver(partial_, s);
      partial_.clear();
    }
    if (err_ != framing_error::none) return false;
    p = nl + 1;
  }
  return true;
}

bool ndjson_reader::finish_impl(sink s) {
  if (err_ != framing_error::none) return false;
  if (!partial_.empty()) deliver(partial_, s);
  partial_.clear();
  return err_ == framing_error::none;
}

}  // namespace harness::detail
