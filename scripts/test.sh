#!/bin/bash
# The whole test suite: dependencies, a -Werror build with every test, then an
# AddressSanitizer + UndefinedBehaviorSanitizer build of the same tests (the fuzz targets run
# there as corpus replays with mutations; coverage-guided runs: fuzz/run.sh). Closing line:
# ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
phase() { echo "== [$(date -u +%H:%M:%S), ${SECONDS}s] $*"; }
scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/harness-ccache}"
jobs=$(nproc)

phase "build (Release, -Werror)"
cmake -S . -B build/ci -G Ninja -DHARNESS_WERROR=ON -DCMAKE_BUILD_TYPE=Release \
      "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" >/dev/null
cmake --build build/ci -j "$jobs"

phase "build (ASan + UBSan)"
cmake -S . -B build/asan -G Ninja -DHARNESS_WERROR=ON -DHARNESS_SANITIZE=ON \
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DHARNESS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/asan -j "$jobs"

phase "tests under ASan + UBSan (incl. fuzz corpus replays)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j "$jobs" --label-exclude "e2e|slow"

phase "tests"
ctest --test-dir build/ci --output-on-failure -j "$jobs"
