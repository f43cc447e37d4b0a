// cold_cache.c: what touching memory costs right after the CPU slept, on this machine.
//
// A request that arrives at an idle proxy runs its code and data from cold caches and TLBs; on a
// virtual machine whose vCPU halts when idle, the host runs other work meanwhile and little
// survives. This measures it without the proxy: sleep S µs, then (a) a fixed compute loop
// (frequency), (b) read N KiB sequentially (cache lines, prefetch helps), (c) one line in each of
// P distinct 4 KiB pages, in 4 KiB pages and again in a transparent huge page region (TLB).
// Medians of 200 rounds (the first 50 warm up).
//
// Usage: cold_cache SLEEP_US [KIB] [PAGES]   (e.g. taskset -c 1 ./cold_cache 10000 256 512)
// Build: cc -O2 -o cold_cache cold_cache.c
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum { rounds = 200, warm = 50, region = 64 << 20, huge = 2 << 20 };
static volatile uint64_t sink;

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int by_value(const void* a, const void* b) {
  uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return x < y ? -1 : x > y;
}

static double median_us(uint64_t* v) {
  qsort(v + warm, rounds - warm, sizeof *v, by_value);
  return (double)v[warm + (rounds - warm) / 2] / 1000.0;
}

// A 2 MiB-aligned region of `region` bytes, written once so every page is present.
static char* make_region(int huge_pages) {
  char* raw = mmap(NULL, region + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) exit(1);
  char* m = (char*)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
  madvise(m, region, huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  memset(m, 1, region);
  return m;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SLEEP_US [KIB] [PAGES]\n", argv[0]);
    return 2;
  }
  const long sleep_us = atol(argv[1]);
  const size_t bytes = (size_t)(argc > 2 ? atol(argv[2]) : 256) << 10;
  const long pages = argc > 3 ? atol(argv[3]) : 512;
  char* small = make_region(0);
  char* large = make_region(1);
  static uint64_t compute[rounds], seq[rounds], page4k[rounds], page2m[rounds];
  for (int r = 0; r < rounds; r++) {
    if (sleep_us > 0) usleep((useconds_t)sleep_us);
    uint64_t t0 = now_ns(), x = 1;
    for (int i = 0; i < 20000; i++) x = x * 6364136223846793005u + 1442695040888963407u;
    sink = x;
    uint64_t t1 = now_ns(), s = 0;
    for (size_t i = 0; i < bytes; i += 64) s += (uint64_t)small[i];
    uint64_t t2 = now_ns();
    if (sleep_us > 0) usleep((useconds_t)sleep_us);
    uint64_t t3 = now_ns();
    // Page i, line i % 64: distinct pages, spread over the region like a program's code is.
    for (long i = 0; i < pages; i++) s += (uint64_t)small[((size_t)i * 7 * 4096 + (size_t)(i % 64) * 64) % region];
    uint64_t t4 = now_ns();
    if (sleep_us > 0) usleep((useconds_t)sleep_us);
    uint64_t t5 = now_ns();
    for (long i = 0; i < pages; i++) s += (uint64_t)large[((size_t)i * 7 * 4096 + (size_t)(i % 64) * 64) % region];
    uint64_t t6 = now_ns();
    sink = s;
    compute[r] = t1 - t0;
    seq[r] = t2 - t1;
    page4k[r] = t4 - t3;
    page2m[r] = t6 - t5;
  }
  printf("sleep_us=%ld compute_us=%.1f seq_%zuKiB_us=%.1f pages_%ld_4k_us=%.1f pages_%ld_2m_us=%.1f\n",
         sleep_us, median_us(compute), bytes >> 10, median_us(seq), pages, median_us(page4k), pages,
         median_us(page2m));
  return 0;
}
