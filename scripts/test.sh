#!/bin/bash
# The whole test suite: dependencies, a -Werror build with every test, then an
# AddressSanitizer + UndefinedBehaviorSanitizer build of the same tests. Closing line: ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/harness-ccache}"
jobs=$(nproc)

echo "== build (Release, -Werror)"
cmake -S . -B build/ci -G Ninja -DHARNESS_WERROR=ON -DCMAKE_BUILD_TYPE=Release \
      "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" >/dev/null
cmake --build build/ci -j "$jobs"

echo "== build (ASan + UBSan)"
cmake -S . -B build/asan -G Ninja -DHARNESS_WERROR=ON -DHARNESS_SANITIZE=ON \
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DHARNESS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/asan -j "$jobs"

echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j "$jobs" --label-exclude "e2e|slow"

echo "== fuzz smoke (libFuzzer, 10 s per target)"
fuzz/run.sh 10

echo "== tests"
ctest --test-dir build/ci --output-on-failure -j "$jobs"
