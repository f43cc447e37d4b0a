#!/bin/bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 10),
# seeded from the golden files. Long runs: fuzz/run.sh 3600. Any crash fails the script and
# leaves its reproducer in build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-10}"
command -v clang++ >/dev/null || { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DHARNESS_FUZZ=ON -DHARNESS_SANITIZE=ON -DHARNESS_BUILD_TESTS=OFF -DHARNESS_BUILD_SERVER=OFF \
      -DHARNESS_BUILD_CLI=OFF -DHARNESS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/fuzz -j "$(nproc)" --target fuzz_rescue fuzz_repair fuzz_codec fuzz_stream
mkdir -p build/fuzz/artifacts
seed() {  # seed DIR FILES...
  local dir="build/fuzz/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do cp "$f" "$dir/" 2>/dev/null || true; done
}
seed codec tests/data/captures/*.json tests/data/golden/*.json
seed stream tests/data/captures/*.sse tests/data/streams/*
seed rescue tests/data/golden/*.json
seed repair tests/data/golden/*.json
python3 - "$PWD/build/fuzz/corpus/rescue" "${HARNESS_SHARED_DIR:-../shared}/conformance/rescue-corpus.jsonl" <<'PY' || true
import json, sys, os
out, src = sys.argv[1], sys.argv[2]
for i, line in enumerate(open(src)):
    open(os.path.join(out, "line%03d" % i), "w").write(json.loads(line)["text"])
PY
status=0
for t in rescue repair codec stream; do
  echo "== fuzz_$t for ${SECONDS_PER_TARGET}s"
  if ! ASAN_OPTIONS=detect_leaks=1 build/fuzz/fuzz/fuzz_$t "build/fuzz/corpus/$t" -max_total_time="$SECONDS_PER_TARGET" \
       -max_len=65536 -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1 2>build/fuzz/$t.log; then
    status=1; tail -30 build/fuzz/$t.log
  fi
  grep -E "stat::number_of_executed_units|Done" build/fuzz/$t.log | tail -2
done
exit $status
