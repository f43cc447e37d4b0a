#!/usr/bin/env bash
# bench/server/profile.sh: where harness-server's CPU goes under load (perf, loopback only).
#
# Usage: bench/server/profile.sh [nostream|stream|anthropic-stream|oa2an]   (default nostream)
#   nostream          wrk -c64 OpenAI -> OpenAI non-streaming requests
#   stream            lg -c16 OpenAI -> OpenAI SSE (300 events, upstream burst)
#   anthropic-stream  lg -c16 Anthropic -> Anthropic SSE
#   oa2an             wrk -c64 OpenAI ingress -> Anthropic upstream (translating)
# Env: SECONDS_PROFILED (default 5), PORT (8084), UPSTREAM_PORT (18011), SKIP_BUILD=1, OUT.
# Needs perf (cpu-clock sampling works without hardware counters, e.g. in a VM). Prints cost
# buckets (bench/server/perf_buckets.py) and the top self-time symbols.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

CASE=${1:-nostream}; P=${SECONDS_PROFILED:-5}
PORT=${PORT:-8084}; UP=${UPSTREAM_PORT:-18011}
OUT=${OUT:-$BUILD_DIR/results/profile-$CASE-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "perf missing (apt-get install linux-perf)"; exit 1; }
build_server || exit 1
prepare_kit || exit 1
for p in "$PORT" "$UP"; do listening "$p" && { echo "port $p is busy"; exit 1; }; done
mode=pass; path=v1/chat/completions; body=openai-nostream; tool=wrk
case "$CASE" in
  nostream) ;;
  stream) body=openai-stream; tool=lg ;;
  anthropic-stream) path=v1/messages; body=anthropic-stream; tool=lg ;;
  oa2an) mode=translate ;;
  *) echo "unknown case $CASE"; exit 2 ;;
esac
write_config "$OUT/harness.toml" "$mode" "$UP"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
taskset -c 0 "$KIT/fakeup" -p "$UP" -t 1 >"$OUT/fakeup.log" 2>&1 & PIDS+=($!)
taskset -c 1 "$SERVER_BIN" --config "$OUT/harness.toml" --port "$PORT" --quiet >"$OUT/server.log" 2>&1 &
SPID=$!; PIDS+=($SPID)
for _ in $(seq 100); do listening "$PORT" && listening "$UP" && break; sleep 0.1; done
URL=http://127.0.0.1:$PORT/$path
dur=$((P + 4))
if [ $tool = wrk ]; then
  (cd "$KIT" && BODY=bodies/$body.json timeout $((dur + 10)) taskset -c 0 wrk -t1 -c64 -d${dur}s --timeout 10s -s post.lua "$URL" | grep '^WRK') >"$OUT/load.txt" &
else
  timeout $((dur + 40)) taskset -c 0 "$KIT/lg" -m stream -c 16 -d "$dur" -u "$URL" -b "$KIT/bodies/$body.json" >"$OUT/load.txt" &
fi
L=$!; PIDS+=($L)
sleep 2
c0=$(cpu_ticks "$SPID")
timeout $((P + 30)) perf record -q -e cpu-clock -F 1000 --call-graph dwarf,16384 -p "$SPID" -o "$OUT/perf.data" -- sleep "$P" >/dev/null 2>&1
c1=$(cpu_ticks "$SPID")
wait $L
echo "# profile $CASE: $(cat "$OUT/load.txt")"
echo "# server CPU while profiled: $(awk -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f s", (b-a)/t}') in ${P} s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
perf script -i "$OUT/perf.data" -F comm,tid,ip,sym 2>/dev/null >"$OUT/stacks.txt"
python3 "$HERE/perf_buckets.py" <"$OUT/stacks.txt"
echo
echo "Top self time:"
perf report -i "$OUT/perf.data" --no-children --sort sym --stdio -g none --percent-limit 1 2>/dev/null |
  grep -v '^#' | grep '%' | head -25
echo "(raw: $OUT)"
