// translator_pool.h: parse buffers shared by a gateway's exchanges. Decoding a body with a
// fresh simdjson parser allocates and frees its buffers every time (about 57 KB for a small
// body, with malloc consolidating on the way): a few percent of the proxy's CPU. Exchanges run
// on several threads at once, so they borrow a translator for one call and give it back.
#pragma once

#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include <harness/translator.h>

namespace harness::detail {

class translator_pool {
 public:
  /// One translator, back in the pool when the lease ends.
  class lease {
   public:
    lease(translator_pool& pool, translator t) : pool_(pool), t_(std::move(t)) {}
    ~lease() { pool_.give_back(std::move(t_), largest_); }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    translator* operator->() noexcept { return &t_; }
    /// The size of a body parsed with it: after a big one its buffers are freed, not pooled.
    void parsed(std::size_t bytes) noexcept {
      if (bytes > largest_) largest_ = bytes;
    }

   private:
    translator_pool& pool_;
    translator t_;
    std::size_t largest_ = 0;
  };

  /// decode_request / decode_response with pooled buffers.
  result<chat_request> normalize_request(dialect from, std::string_view body) {
    lease t = take();
    t.parsed(body.size());
    return t->normalize_request(from, body);
  }
  result<chat_response> normalize_response(dialect from, std::string_view body) {
    lease t = take();
    t.parsed(body.size());
    return t->normalize_response(from, body);
  }

  lease take() {
    {
      const std::lock_guard lock(mu_);
      if (!free_.empty()) {
        translator t = std::move(free_.back());
        free_.pop_back();
        return lease(*this, std::move(t));
      }
    }
    return lease(*this, translator());
  }

 private:
  // Buffers grow to ~15x the largest body parsed: past this, the memory goes back to the system.
  static constexpr std::size_t max_kept_body = 256 * 1024;
  // More translators than threads that decode at once is only memory.
  static constexpr std::size_t max_pooled = 16;

  void give_back(translator t, std::size_t largest) noexcept {
    if (largest > max_kept_body) t.release_buffers();
    try {
      const std::lock_guard lock(mu_);
      if (free_.size() < max_pooled) free_.push_back(std::move(t));
    } catch (...) {  // out of memory for the list: the translator is simply freed
    }
  }

  std::mutex mu_;
  std::vector<translator> free_;
};

}  // namespace harness::detail
