// alloc_counter.h: counts heap allocations made by the whole bench binary.
//
// alloc_counter.cpp replaces the global operator new / delete (every form) with versions that
// bump two relaxed atomic counters and forward to malloc / aligned_alloc. Benchmarks read the
// counters before and after their timed loop and report allocations per event or per call.
#pragma once

#include <cstdint>

namespace bench {

struct alloc_snapshot {
  std::uint64_t count = 0;  ///< calls to operator new (any form)
  std::uint64_t bytes = 0;  ///< bytes requested from operator new
};

/// Allocations since the process started.
alloc_snapshot alloc_now() noexcept;

/// Allocations between two snapshots.
inline alloc_snapshot operator-(alloc_snapshot a, alloc_snapshot b) noexcept {
  return {a.count - b.count, a.bytes - b.bytes};
}

}  // namespace bench
