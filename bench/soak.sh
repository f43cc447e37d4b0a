#!/usr/bin/env bash
# bench/soak.sh: a long run of harness-server under steady mixed load (issue 9, "Load and soak"),
# run by hand: DURATION seconds (default 600) of c=64 closed-loop clients, half of them
# streaming, through the proxy to the kit's fast fake upstream (loopback only). Every ROUND
# seconds one line: requests, errors, p99, RSS and CPU. At the end: totals and whether RSS stayed
# flat after the first two rounds (warm-up). Exit status 1 on any error or on RSS growth.
#
# Usage: bench/soak.sh   Env: DURATION (s, default 600), ROUND (s, default 30), C (default 64),
#   PORT (default 8085), UPSTREAM_PORT (default 18012), PIN=1 (server on CPU 1, load and
#   upstream on CPU 0), SKIP_BUILD=1, BUILD_DIR, OUT (results dir).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/server/common.sh"

DURATION=${DURATION:-600}; ROUND=${ROUND:-30}; C=${C:-64}
PORT=${PORT:-8085}; UP=${UPSTREAM_PORT:-18012}; PIN=${PIN:-1}
OUT=${OUT:-$BUILD_DIR/results/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
build_server || { echo "build failed"; exit 1; }
prepare_kit || exit 1
for p in "$PORT" "$UP"; do listening "$p" && { echo "port $p is busy"; exit 1; }; done
write_config "$OUT/harness.toml" pass "$UP"

LOAD=(); SRV=()
[ "$PIN" = 1 ] && { LOAD=(taskset -c 0); SRV=(taskset -c 1); }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
"${LOAD[@]}" "$KIT/fakeup" -p "$UP" -t 1 >"$OUT/fakeup.log" 2>&1 & PIDS+=($!)
"${SRV[@]}" "$SERVER_BIN" --config "$OUT/harness.toml" --port "$PORT" --quiet >"$OUT/server.log" 2>&1 &
SPID=$!; PIDS+=($SPID)
for _ in $(seq 100); do listening "$PORT" && listening "$UP" && break; sleep 0.1; done
listening "$PORT" || { echo "harness-server did not start"; cat "$OUT/server.log"; exit 1; }

URL=http://127.0.0.1:$PORT/v1/chat/completions
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
REPORT=$OUT/report.txt
say() { echo "$*" | tee -a "$REPORT"; }
say "# soak.sh $(date -Is) nproc=$(nproc) load average: $(cut -d' ' -f1-3 /proc/loadavg) duration=${DURATION}s round=${ROUND}s c=$C pin=$PIN (simulated upstream: kit fakeup)"
say "# idle rss_kb=$(rss_kb "$SPID") threads=$(threads_of "$SPID")"
say "round  requests  errors  ns_p99_ms  st_ttfb_p99_ms  st_total_p99_ms  rss_kb  threads  cpu_s_per_1k"
rounds=$(( (DURATION + ROUND - 1) / ROUND )); total=0; errors=0; RSS=()
hc=$((C / 2))
for r in $(seq "$rounds"); do
  c0=$(cpu_ticks "$SPID")
  "${LOAD[@]}" "$KIT/lg" -m stream -c "$hc" -d "$ROUND" -u "$URL" -b "$KIT/bodies/openai-nostream.json" >"$OUT/r$r.ns" &
  a=$!
  "${LOAD[@]}" "$KIT/lg" -m stream -c "$hc" -d "$ROUND" -u "$URL" -b "$KIT/bodies/openai-stream.json" >"$OUT/r$r.st" &
  b=$!
  wait $a; wait $b
  c1=$(cpu_ticks "$SPID")
  kill -0 "$SPID" 2>/dev/null || { say "harness-server died in round $r"; exit 1; }
  ns=$(cat "$OUT/r$r.ns"); st=$(cat "$OUT/r$r.st")
  n=$(( $(kv ok "$ns") + $(kv ok "$st") ))
  e=$(( $(kv err "$ns") + $(kv bad_status "$ns") + $(kv connerr "$ns") + $(kv err "$st") + $(kv bad_status "$st") + $(kv connerr "$st") + $(kv incomplete "$st") ))
  total=$((total + n)); errors=$((errors + e))
  rss=$(rss_kb "$SPID"); RSS+=("$rss")
  cpu=$(awk -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" -v n="$n" 'BEGIN{printf "%.4f", (n>0?(b-a)/t/n*1000:0)}')
  say "$(printf '%5d  %8d  %6d  %9s  %14s  %15s  %6d  %7d  %s' "$r" "$n" "$e" "$(kv p99_ms "$ns")" "$(kv ttfb_p99_ms "$st")" "$(kv p99_ms "$st")" "$rss" "$(threads_of "$SPID")" "$cpu")"
done
fail=0
[ "$errors" = 0 ] || fail=1
verdict="n/a (fewer than 3 rounds)"
if [ "${#RSS[@]}" -ge 3 ]; then
  grow=$(( ${RSS[-1]} - ${RSS[1]} ))
  tol=$(( ${RSS[1]} / 50 > 1024 ? ${RSS[1]} / 50 : 1024 ))
  if [ "$grow" -le "$tol" ]; then verdict="flat (round 2 -> last: ${grow} kB, tolerance ${tol} kB)"
  else verdict="GROWING (round 2 -> last: +${grow} kB, tolerance ${tol} kB)"; fail=1; fi
fi
say "total: requests=$total errors=$errors rss_after_warmup=$verdict hwm_kb=$(hwm_kb "$SPID") load average: $(cut -d' ' -f1-3 /proc/loadavg)"
say "$( [ $fail = 0 ] && echo 'RESULT: ok' || echo 'RESULT: FAILED')  (raw: $OUT)"
exit $fail
