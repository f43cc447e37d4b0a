// allocator.h: which malloc the server runs on, and the two things the server asks of it.
//
// harness-server links mimalloc when the build found it (HARNESS_MIMALLOC, see the top-level
// CMakeLists.txt): the proxy makes ~130 small allocations per request, and mimalloc's
// per-thread free lists make them ~10 % cheaper in CPU than glibc's (bench/RESULTS.md). The
// library itself never chooses an allocator: only this executable does.
#pragma once

namespace harness_server {

/// "mimalloc" or "glibc": shown by --version, so a measurement can name what it ran on.
const char* allocator_name() noexcept;

/// Once, at start: glibc gets a bounded number of arenas (each keeps megabytes of freed memory);
/// mimalloc needs nothing.
void tune_allocator() noexcept;

/// Returns freed memory to the system once the loops have been quiet for a while.
void release_free_memory() noexcept;

}  // namespace harness_server
