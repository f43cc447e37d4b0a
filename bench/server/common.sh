# bench/server/common.sh: shared by run.sh and load.sh (sourced, not run).
# Builds harness-server (Release), copies the shared benchmark kit to a writable scratch dir,
# builds the kit's fake upstream and load generator there, and writes harness-server configs
# that route every model name the kit's bodies use to the fake upstream.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIT_SRC=${KIT_SRC:-$(cd "$ROOT/.." && pwd)/shared/bench}   # the shared kit (may be read-only)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/bench-server}
KIT=${KIT:-$BUILD_DIR/kit}                                # writable copy
SERVER_BIN=${SERVER_BIN:-$BUILD_DIR/server/harness-server}
# Release at -O2 like CI (CMake's Release default is -O3); -g costs nothing at run time and
# lets profile.sh name the frames.
BENCH_CXX_FLAGS=${BENCH_CXX_FLAGS:--O2 -g -DNDEBUG}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

build_server() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$SERVER_BIN" ]; then return 0; fi
  log "building harness-server (Release, $BENCH_CXX_FLAGS) in $BUILD_DIR"
  mkdir -p "$BUILD_DIR" || return 1
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CXX_FLAGS_RELEASE=$BENCH_CXX_FLAGS" \
    -DHARNESS_BUILD_TESTS=OFF -DHARNESS_BUILD_EXAMPLES=OFF >"$BUILD_DIR/bench-cmake.log" 2>&1 ||
    { tail -20 "$BUILD_DIR/bench-cmake.log"; return 1; }
  timeout 3600 cmake --build "$BUILD_DIR" --target harness-server >"$BUILD_DIR/bench-build.log" 2>&1 ||
    { tail -30 "$BUILD_DIR/bench-build.log"; return 1; }
}

prepare_kit() {
  [ -f "$KIT_SRC/compare.sh" ] || { echo "kit not found at $KIT_SRC (set KIT_SRC)"; return 1; }
  mkdir -p "$KIT"
  # Refresh the kit's files but keep built tools and earlier results in the copy.
  (cd "$KIT_SRC" && tar cf - --exclude=results --exclude=fakeup --exclude=lg .) | (cd "$KIT" && tar xf -) ||
    return 1
  chmod -R u+w "$KIT"
  for p in fakeup lg; do
    if [ ! -x "$KIT/$p" ] || [ "$KIT/$p.c" -nt "$KIT/$p" ]; then
      cc -O2 -pthread -o "$KIT/$p" "$KIT/$p.c" -lm || return 1
    fi
  done
  cc -O2 -o "$KIT/relay_floor" "$ROOT/bench/server/relay_floor.c" || return 1
  cc -O2 -o "$KIT/curl_relay_floor" "$ROOT/bench/server/curl_relay_floor.c" -lcurl || return 1
}

# write_config FILE MODE UPSTREAM_PORT
#   MODE=pass:      OpenAI names -> OpenAI upstream, Claude names -> Anthropic upstream
#   MODE=translate: OpenAI names -> Anthropic upstream, Claude names -> OpenAI upstream
# The kit's bodies use gpt-4o-mini, claude-sonnet-4-5 and their "-paced-1000" variants (the fake
# upstream paces a stream when the upstream body contains "paced-<N>", so names go through as is).
write_config() {
  local file=$1 mode=$2 up=${3:-18000} oa=fake-openai an=fake-anthropic
  [ "$mode" = translate ] && { oa=fake-anthropic; an=fake-openai; }
  {
    echo "# written by bench/server/common.sh ($mode): the kit's fake upstream on 127.0.0.1:$up"
    echo "[server]"
    echo "host = \"127.0.0.1\""
    echo "[providers.fake-openai]"
    echo "kind = \"openai\""
    echo "base_url = \"http://127.0.0.1:$up/v1\""
    echo "[providers.fake-anthropic]"
    echo "kind = \"anthropic\""
    echo "base_url = \"http://127.0.0.1:$up\""
    for m in gpt-4o-mini gpt-4o-mini-paced-1000 gpt-4o-mini-paced-10000; do
      printf '[[models]]\nname = "%s"\nprovider = "%s"\nmodel = "%s"\n' "$m" "$oa" "$m"
    done
    for m in claude-sonnet-4-5 claude-sonnet-4-5-paced-1000 claude-sonnet-4-5-paced-10000; do
      printf '[[models]]\nname = "%s"\nprovider = "%s"\nmodel = "%s"\n' "$m" "$an" "$m"
    done
    # Anything else (e.g. another client's model name): passed through as sent.
    printf '[[models]]\nname = "*"\nprovider = "%s"\n' "$oa"
  } >"$file"
}

listening() { ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
threads_of() { awk '/^Threads/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { if [ -r "/proc/$1/stat" ]; then sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12+$13}'; else echo 0; fi; }

# Held streams: N clients each hold a paced stream (300 events 10 ms apart: 3 s per stream, body
# $OUT/openai-held.json) and reconnect for HOLD_DUR s; peak RSS and open streams (/metrics) are
# sampled. Needs from the caller: lg, say, check, kv, SPID, PORT, URL, OUT, HOLD_DUR.
held_streams() {  # clients label
  local n=$1 label=$2 before peak=0 maxopen=0 maxthr=0 r o t end l
  before=$(rss_kb "$SPID")
  lg -m stream -c "$n" -d "$HOLD_DUR" -t 120 -u "$URL" -b "$OUT/openai-held.json" >"$OUT/$label.txt" &
  l=$!
  end=$((SECONDS + HOLD_DUR + 130))
  while kill -0 $l 2>/dev/null && [ $SECONDS -lt $end ]; do
    r=$(rss_kb "$SPID"); [ "$r" -gt "$peak" ] && peak=$r
    t=$(threads_of "$SPID"); [ "$t" -gt "$maxthr" ] && maxthr=$t
    o=$(curl -s --max-time 2 "http://127.0.0.1:$PORT/metrics" | awk '/^harness_open_streams /{print $2}')
    [ -n "$o" ] && [ "$o" -gt "$maxopen" ] && maxopen=$o
    sleep 0.5
  done
  wait $l
  local line; line=$(cat "$OUT/$label.txt")
  check "$label" "$line"
  say "held streams, $n clients for ${HOLD_DUR}s: ok=$(kv ok "$line") err=$(kv err "$line") bad_status=$(kv bad_status "$line") connerr=$(kv connerr "$line") incomplete=$(kv incomplete "$line") events=$(kv events_per_resp "$line") ttfb_p50_ms=$(kv ttfb_p50_ms "$line") ttfb_p99_ms=$(kv ttfb_p99_ms "$line") total_p99_ms=$(kv p99_ms "$line") max_open_streams=$maxopen"
  say "  rss_kb: before=$before peak=$peak (+$((peak - before))) peak threads=$maxthr; per open stream: $(( (peak - before) / (maxopen > 0 ? maxopen : 1) )) kB; per client connection: $(( (peak - before) / n )) kB"
  [ "$maxopen" -lt "$n" ] && say "  NOTE: only $maxopen of $n streams were relaying at once (the rest waited for an upstream connection)"
}
