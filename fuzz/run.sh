#!/bin/bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 10),
# seeded from the golden files. Long runs: fuzz/run.sh 3600 [target...]. Any crash fails the
# script and leaves its reproducer in $FUZZ_BUILD_DIR/artifacts/. FUZZ_BUILD_DIR defaults to
# build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-10}"
shift || true
ALL_TARGETS=(rescue repair codec stream framing config gateway)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
B="${FUZZ_BUILD_DIR:-build/fuzz}"
command -v clang++ >/dev/null || { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
cmake -S . -B "$B" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DHARNESS_FUZZ=ON -DHARNESS_SANITIZE=ON -DHARNESS_BUILD_TESTS=OFF -DHARNESS_BUILD_SERVER=OFF \
      -DHARNESS_BUILD_CLI=OFF -DHARNESS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$B" -j "$(nproc)" --target "${TARGETS[@]/#/fuzz_}"
mkdir -p "$B/artifacts"
fuzz/make_corpus.sh "$B/corpus"
status=0
for t in "${TARGETS[@]}"; do
  echo "== fuzz_$t for ${SECONDS_PER_TARGET}s"
  mkdir -p "$B/corpus/$t"
  if ! ASAN_OPTIONS=detect_leaks=1 "$B/fuzz/fuzz_$t" "$B/corpus/$t" -max_total_time="$SECONDS_PER_TARGET" \
       -max_len=65536 -timeout=30 -artifact_prefix="$B/artifacts/" -print_final_stats=1 2>"$B/$t.log"; then
    status=1; tail -30 "$B/$t.log"
  fi
  grep -E "stat::number_of_executed_units|Done" "$B/$t.log" | tail -2
done
exit $status
