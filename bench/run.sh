#!/usr/bin/env bash
# bench/run.sh: Release (-O2) build of harness-bench in build/bench, then a full run.
#
# Usage: bench/run.sh [extra Google Benchmark flags, e.g. --benchmark_filter=stream/]
# Env:   BUILD_DIR (default build/bench), JOBS (default nproc), MIN_TIME (default 0.2 seconds;
#        Google Benchmark 1.7.1 takes a plain number of seconds), SKIP_BUILD=1 to reuse a build.
# Writes $BUILD_DIR/results.json (Google Benchmark JSON) and $BUILD_DIR/results.txt (console).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build/bench}"
jobs="${JOBS:-$(nproc)}"
min_time="${MIN_TIME:-0.2}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cmake -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -g -DNDEBUG" \
    -DHARNESS_BUILD_BENCH=ON \
    -DHARNESS_BUILD_TESTS=OFF \
    -DHARNESS_BUILD_CLI=OFF \
    -DHARNESS_BUILD_SERVER=OFF \
    -DHARNESS_INSTALL=OFF
  cmake --build "$build" --target harness-bench -j "$jobs"
fi

bin="$build/bench/harness-bench"
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(uname -srm)  nproc=$(nproc)"
  echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $bin --benchmark_min_time=$min_time $*"
} | tee "$build/results.txt"

"$bin" --benchmark_min_time="$min_time" \
  --benchmark_out="$build/results.json" --benchmark_out_format=json \
  --benchmark_counters_tabular=false "$@" 2>&1 | tee -a "$build/results.txt"

echo "# wrote $build/results.json and $build/results.txt" | tee -a "$build/results.txt"
