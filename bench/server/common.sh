# bench/server/common.sh: shared by run.sh and load.sh (sourced, not run).
# Builds harness-server (Release), copies the shared benchmark kit to a writable scratch dir,
# builds the kit's fake upstream and load generator there, and writes harness-server configs
# that route every model name the kit's bodies use to the fake upstream.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIT_SRC=${KIT_SRC:-/work/shared/bench}            # the shared kit (read-only)
KIT=${KIT:-/tmp/harness-bench-kit}                 # writable copy
BUILD_DIR=${BUILD_DIR:-$ROOT/build/bench-server}
SERVER_BIN=$BUILD_DIR/server/harness-server

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

build_server() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$SERVER_BIN" ]; then return 0; fi
  log "building harness-server (Release) in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DHARNESS_BUILD_TESTS=OFF -DHARNESS_BUILD_EXAMPLES=OFF >/dev/null || return 1
  timeout 3600 cmake --build "$BUILD_DIR" --target harness-server >/dev/null || return 1
}

prepare_kit() {
  [ -f "$KIT_SRC/compare.sh" ] || { echo "kit not found at $KIT_SRC (set KIT_SRC)"; return 1; }
  mkdir -p "$KIT"
  # Refresh the kit's files but keep built tools and earlier results in the copy.
  (cd "$KIT_SRC" && tar cf - --exclude=results --exclude=fakeup --exclude=lg .) | (cd "$KIT" && tar xf -)
  chmod -R u+w "$KIT"
  for p in fakeup lg; do
    if [ ! -x "$KIT/$p" ] || [ "$KIT/$p.c" -nt "$KIT/$p" ]; then
      cc -O2 -pthread -o "$KIT/$p" "$KIT/$p.c" -lm || return 1
    fi
  done
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
