// block_index.h: per-block state of a stream encoder, keyed by the event's block index.
//
// Decoders number blocks 0, 1, 2, ... and deltas go to the newest block, so a sorted vector
// whose last entry is checked first answers almost every lookup in one comparison (an
// unordered_map hashed two or three times per delta). Any other order still works (binary
// search, sorted insert).
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace harness::detail {

template <class T>
class block_index {
 public:
  /// The entry of block `index`, value-initialised when it is new.
  T& operator[](std::size_t index) {
    if (entries_.empty() || entries_.back().first < index) {
      return entries_.emplace_back(index, T{}).second;
    }
    const auto it = lower(index);
    if (it != entries_.end() && it->first == index) return it->second;
    return entries_.emplace(it, index, T{})->second;
  }

  /// The entry of block `index`, or nullptr when the block was never seen.
  T* find(std::size_t index) noexcept {
    if (entries_.empty()) return nullptr;
    if (entries_.back().first == index) return &entries_.back().second;
    const auto it = lower(index);
    return it != entries_.end() && it->first == index ? &it->second : nullptr;
  }

 private:
  using entry = std::pair<std::size_t, T>;
  typename std::vector<entry>::iterator lower(std::size_t index) noexcept {
    return std::lower_bound(entries_.begin(), entries_.end(), index,
                            [](const entry& e, std::size_t i) { return e.first < i; });
  }

  std::vector<entry> entries_;
};

}  // namespace harness::detail
