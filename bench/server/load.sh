#!/usr/bin/env bash
# bench/server/load.sh: load and memory check of harness-server against the kit's fake upstream
# (loopback only, every step bounded by a request count and a duration).
#
#   1. idle: RSS and threads after start + 2 smoke requests
#   2. mixed: c=64 (32 non-streaming + 32 streaming clients, closed loop), 10,000 requests
#      (5,000 + 5,000) per round, ROUNDS rounds; RSS sampled before / after each round (a leak
#      shows as growth that does not level off), p50/p99 per half, errors, CPU s per 1k requests
#   3. held streams: clients each holding a paced stream (300 events 10 ms apart, 3 s per
#      stream) for HOLD_DUR s, first HELD_SMALL clients (default 64, within the upstream
#      connection pool) then STREAMS clients (default 256); peak RSS and open streams
#      (/metrics harness_open_streams) sampled; RSS per open stream; TTFB shows queueing
#
# Usage: bench/server/load.sh   Env: N (requests per round, default 10000), C (default 64),
#   ROUNDS (default 3), STREAMS (default 256), HELD_SMALL (default 64), HOLD_DUR (s, default 10),
#   PIN=1 (server on CPU 1, load + upstream on CPU 0; PIN=0 to disable), PORT (default 8083), UPSTREAM_PORT (default 18010), SKIP_BUILD=1,
#   OUT (results dir), SERVER_ENV (extra VAR=value words for the server's environment, e.g. an
#   LD_PRELOAD diagnostic shim). Exit status 1 if any request failed or a stream was incomplete.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

N=${N:-10000}; C=${C:-64}; ROUNDS=${ROUNDS:-3}; STREAMS=${STREAMS:-256}; HELD_SMALL=${HELD_SMALL:-64}
HOLD_DUR=${HOLD_DUR:-10}
PORT=${PORT:-8083}; UP=${UPSTREAM_PORT:-18010}; PIN=${PIN:-1}
OUT=${OUT:-$BUILD_DIR/results/load-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

build_server || { echo "build failed"; exit 1; }
prepare_kit || exit 1
for p in "$PORT" "$UP"; do listening "$p" && { echo "port $p is busy"; exit 1; }; done
write_config "$OUT/harness.toml" pass "$UP"
sed 's/paced-1000/paced-10000/' "$KIT/bodies/openai-paced.json" >"$OUT/openai-held.json"

LOAD=(); SRV=()
[ "$PIN" = 1 ] && { LOAD=(taskset -c 0); SRV=(taskset -c 1); }
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${LOAD[@]}" "$KIT/fakeup" -p "$UP" -t 1 >"$OUT/fakeup.log" 2>&1 &
PIDS+=($!)
env ${SERVER_ENV:-} "${SRV[@]}" "$SERVER_BIN" --config "$OUT/harness.toml" --port "$PORT" --quiet >"$OUT/server.log" 2>&1 &
SPID=$!; PIDS+=($SPID)
for _ in $(seq 100); do listening "$PORT" && listening "$UP" && break; sleep 0.1; done
listening "$PORT" || { echo "harness-server did not start"; cat "$OUT/server.log"; exit 1; }

URL=http://127.0.0.1:$PORT/v1/chat/completions
B_NS=$KIT/bodies/openai-nostream.json; B_ST=$KIT/bodies/openai-stream.json
lg() { "${LOAD[@]}" "$KIT/lg" "$@"; }
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
REPORT=$OUT/report.txt
say() { echo "$*" | tee -a "$REPORT"; }
fail=0
check() {  # label line : ok>0, no errors, complete streams
  local label=$1 line=$2
  local err; err=$(( $(kv err "$line") + $(kv connerr "$line") + $(kv bad_status "$line") + $(kv incomplete "$line") ))
  [ "$(kv ok "$line")" -gt 0 ] 2>/dev/null && [ "$err" = 0 ] || { say "FAIL $label: $line"; fail=1; }
}

say "# load.sh $(date -Is) nproc=$(nproc) load average: $(cut -d' ' -f1-3 /proc/loadavg) pin=$PIN${SERVER_ENV:+ server env: $SERVER_ENV}"
lg -m stream -c 1 -n 1 -d 30 -u "$URL" -b "$B_NS" >/dev/null
lg -m stream -c 1 -n 1 -d 30 -u "$URL" -b "$B_ST" >/dev/null
sleep 1
idle=$(rss_kb "$SPID")
say "idle: rss_kb=$idle ($(awk '/^RssAnon|^RssFile/{printf "%s=%s ", $1, $2}' "/proc/$SPID/status")pss_kb=$(awk '/^Pss:/{print $2}' "/proc/$SPID/smaps_rollup" 2>/dev/null)) threads=$(threads_of "$SPID")"

half=$((N / 2)); hc=$((C / 2))
after_prev=$idle; AFTERS=()
for round in $(seq "$ROUNDS"); do
  before=$(rss_kb "$SPID"); c0=$(cpu_ticks "$SPID"); t0=$(date +%s.%N)
  lg -m stream -c "$hc" -n "$half" -d 120 -u "$URL" -b "$B_NS" >"$OUT/mixed$round.nostream" &
  l1=$!
  lg -m stream -c "$hc" -n "$half" -d 120 -u "$URL" -b "$B_ST" >"$OUT/mixed$round.stream" &
  l2=$!
  peak=0
  while kill -0 $l1 2>/dev/null || kill -0 $l2 2>/dev/null; do
    r=$(rss_kb "$SPID"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2
  done
  wait $l1; wait $l2
  t1=$(date +%s.%N); c1=$(cpu_ticks "$SPID")
  sleep 1
  after=$(rss_kb "$SPID")
  ns=$(cat "$OUT/mixed$round.nostream"); st=$(cat "$OUT/mixed$round.stream")
  check "mixed$round nostream" "$ns"; check "mixed$round stream" "$st"
  n=$(( $(kv ok "$ns") + $(kv ok "$st") ))
  cpu=$(awk -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" -v n="$n" 'BEGIN{printf "%.2f s (%.4f s per 1k requests)", (b-a)/t, (n>0?(b-a)/t/n*1000:0)}')
  say "mixed round $round: c=$C requests=$n in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s; cpu $cpu"
  say "  non-streaming: ok=$(kv ok "$ns") err=$(kv err "$ns") bad_status=$(kv bad_status "$ns") rps=$(kv rps "$ns") p50_ms=$(kv p50_ms "$ns") p99_ms=$(kv p99_ms "$ns")"
  say "  streaming:     ok=$(kv ok "$st") err=$(kv err "$st") incomplete=$(kv incomplete "$st") rps=$(kv rps "$st") ttfb_p50_ms=$(kv ttfb_p50_ms "$st") ttfb_p99_ms=$(kv ttfb_p99_ms "$st") total_p99_ms=$(kv p99_ms "$st") events=$(kv events_per_resp "$st")"
  say "  rss_kb: before=$before peak=$peak after=$after (after - previous after: $((after - after_prev)))"
  after_prev=$after; AFTERS+=("$after")
done
# Leak check: round 1 is the warm-up (pools, arenas, caches fill); later rounds must not grow.
if [ "${#AFTERS[@]}" -ge 3 ]; then
  grow=$(( ${AFTERS[-1]} - ${AFTERS[1]} ))
  tol=$(( ${AFTERS[1]} / 50 > 1024 ? ${AFTERS[1]} / 50 : 1024 ))
  if [ "$grow" -le "$tol" ]; then
    say "rss after warm-up: flat (round 2 -> round ${#AFTERS[@]}: ${grow} kB, tolerance ${tol} kB)"
  else
    say "rss after warm-up: GROWING (round 2 -> round ${#AFTERS[@]}: +${grow} kB, tolerance ${tol} kB)"
    fail=1
  fi
fi

held_streams "$HELD_SMALL" held$HELD_SMALL
held_streams "$STREAMS" held$STREAMS
sleep 2
say "end: rss_kb=$(rss_kb "$SPID") hwm_kb=$(hwm_kb "$SPID") load average: $(cut -d' ' -f1-3 /proc/loadavg)"
say "$( [ $fail = 0 ] && echo 'RESULT: 0 errors' || echo 'RESULT: ERRORS (see above)')  (raw: $OUT)"
exit $fail
