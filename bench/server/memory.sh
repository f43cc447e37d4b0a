#!/usr/bin/env bash
# bench/server/memory.sh: harness-server's memory against the targets (idle RSS <= 8 MB,
# <= 40 KB per open stream), loopback only, against the kit's fake upstream (simulated upstream).
#
#   1. idle: VmRSS after start + 2 smoke requests, split into anonymous (heap, stacks) and
#      file-backed (shared library pages), PSS, threads
#   2. per stream: STREAMS clients (default "64 256") each holding a paced stream (3 s, 300
#      events) for HOLD_DUR s; (peak RSS - RSS before) / most streams open at once
#   3. idle again once the streams ended and idle worker threads left (IDLE_WAIT s, default 15)
#
# Usage: bench/server/memory.sh   Env: STREAMS, HOLD_DUR (default 10), PORT (default 8086),
#   UPSTREAM_PORT (default 18013), PIN=1, SKIP_BUILD=1, BUILD_DIR, OUT, SERVER_ENV (extra
#   VAR=value words for the server, e.g. MALLOC_ARENA_MAX=1 to compare).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STREAMS=${STREAMS:-"64 256"}; HOLD_DUR=${HOLD_DUR:-10}; IDLE_WAIT=${IDLE_WAIT:-15}
PORT=${PORT:-8086}; UP=${UPSTREAM_PORT:-18013}; PIN=${PIN:-1}
OUT=${OUT:-$BUILD_DIR/results/memory-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
build_server || { echo "build failed"; exit 1; }
prepare_kit || exit 1
for p in "$PORT" "$UP"; do listening "$p" && { echo "port $p is busy"; exit 1; }; done
write_config "$OUT/harness.toml" pass "$UP"
sed 's/paced-1000/paced-10000/' "$KIT/bodies/openai-paced.json" >"$OUT/openai-held.json"

LOAD=(); SRV=()
[ "$PIN" = 1 ] && { LOAD=(taskset -c 0); SRV=(taskset -c 1); }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
"${LOAD[@]}" "$KIT/fakeup" -p "$UP" -t 1 >"$OUT/fakeup.log" 2>&1 & PIDS+=($!)
env ${SERVER_ENV:-} "${SRV[@]}" "$SERVER_BIN" --config "$OUT/harness.toml" --port "$PORT" --quiet >"$OUT/server.log" 2>&1 &
SPID=$!; PIDS+=($SPID)
for _ in $(seq 100); do listening "$PORT" && listening "$UP" && break; sleep 0.1; done
listening "$PORT" || { echo "harness-server did not start"; cat "$OUT/server.log"; exit 1; }

URL=http://127.0.0.1:$PORT/v1/chat/completions
lg() { "${LOAD[@]}" "$KIT/lg" "$@"; }
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
REPORT=$OUT/report.txt
say() { echo "$*" | tee -a "$REPORT"; }
fail=0
check() {
  local err; err=$(( $(kv err "$2") + $(kv connerr "$2") + $(kv bad_status "$2") + $(kv incomplete "$2") ))
  [ "$(kv ok "$2")" -gt 0 ] 2>/dev/null && [ "$err" = 0 ] || { say "FAIL $1: $2"; fail=1; }
}
idle_line() {  # label
  local st=/proc/$SPID/status
  say "$1: rss_kb=$(rss_kb "$SPID") ($(awk '/^RssAnon|^RssFile/{printf "%s %s kB, ", $1, $2}' "$st")pss_kb=$(awk '/^Pss:/{print $2}' "/proc/$SPID/smaps_rollup" 2>/dev/null)) threads=$(threads_of "$SPID") vmsize_kb=$(awk '/^VmSize/{print $2}' "$st")"
}

say "# memory.sh $(date -Is) nproc=$(nproc) load average: $(cut -d' ' -f1-3 /proc/loadavg) pin=$PIN${SERVER_ENV:+ server env: $SERVER_ENV} (simulated upstream: kit fakeup)"
lg -m stream -c 1 -n 1 -d 30 -u "$URL" -b "$KIT/bodies/openai-nostream.json" >/dev/null
lg -m stream -c 1 -n 1 -d 30 -u "$URL" -b "$KIT/bodies/openai-stream.json" >/dev/null
sleep 1
idle_line "idle"
say "  largest file-backed mappings (kB): $(awk '/^[0-9a-f]+-/{name=$6} /^Rss:/{if (name ~ /\//) r[name]+=$2} END{for (n in r) print r[n], n}' "/proc/$SPID/smaps" | sort -rn | head -5 | sed 's|[^ ]*/||' | tr '\n' ',' )"
for n in $STREAMS; do held_streams "$n" "held$n"; done
sleep "$IDLE_WAIT"
idle_line "idle again after ${IDLE_WAIT}s"
say "$( [ $fail = 0 ] && echo 'RESULT: 0 errors' || echo 'RESULT: ERRORS (see above)')  (raw: $OUT)"
exit $fail
