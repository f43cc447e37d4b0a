#include "allocator.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#if HARNESS_SERVER_MIMALLOC
#include <mimalloc.h>
#endif

namespace harness_server {

const char* allocator_name() noexcept {
#if HARNESS_SERVER_MIMALLOC
  return "mimalloc";
#else
  return "glibc";
#endif
}

void tune_allocator() noexcept {
#if !HARNESS_SERVER_MIMALLOC
  // glibc gives busy threads their own malloc arenas, up to 8 per core, each keeping megabytes
  // of freed memory. A few arenas are enough for the event loops, the transport and the
  // watchers (thread caches absorb most small allocations); MALLOC_ARENA_MAX still overrides.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
  }
#endif
}

void release_free_memory() noexcept {
#if HARNESS_SERVER_MIMALLOC
  mi_collect(true);  // this thread's free pages, and abandoned segments of exited threads
#else
  ::malloc_trim(0);
#endif
}

}  // namespace harness_server
