#!/usr/bin/env bash
# bench/server/run.sh: harness-server side by side with the direct floor (and optionally the
# peers Portkey and CCR) on the shared gateway benchmark kit (/work/shared/bench), loopback only.
#
# Usage: bench/server/run.sh [--port P] [--upstream-port U] [--peers] [--quick] [--runs N]
#                            [--only-mine] [NAME...]
#   --port P     harness-server ports: P (pass-through config) and P+1 (translating config);
#                default 8081 (use another one while a proxy of yours listens on 8081)
#   --upstream-port U   the kit's fake upstream (default 18000; started if nothing listens)
#   --peers      also measure Portkey and CCR (installs them from npm once, via peers/setup.sh;
#                slow: ~20 more minutes)
#   --quick      one short run of everything (compare.sh --quick)
#   --runs N     runs per measurement (default 3)
#   --only-mine  skip the direct floors
#   NAME...      run only these targets (see the list below)
# Env: KIT_SRC (kit, default ../shared/bench beside the checkout), KIT (writable copy, default
#      $BUILD_DIR/kit), BUILD_DIR (default build/bench-server), SKIP_BUILD=1, OUT (results dir),
#      TESTS ("max rate stream paced"), PIN=0, TIME_LIMIT (s, default 3600), and every other
#      compare.sh knob (RATES, MAX_DUR, ...).
#
# Targets (compare.sh starts each harness-server itself, pins it to CPU 1, measures it through
# /proc/PID, and stops it by PID afterwards):
#   mine        OpenAI ingress    -> OpenAI upstream     http://127.0.0.1:P/v1
#   mine-anth   Anthropic ingress -> Anthropic upstream  http://127.0.0.1:P/v1/messages
#   mine-oa2an  OpenAI ingress    -> Anthropic upstream  http://127.0.0.1:P+1/v1   (translating)
#   mine-an2oa  Anthropic ingress -> OpenAI upstream     http://127.0.0.1:P+1/v1/messages
#   direct-openai, direct-anthropic: the fake upstream itself (the floor)
#   relay       relay_floor.c: bytes copied both ways by one epoll thread, no HTTP (the floor of
#               any relay on CPU 1; not in the default list)
#   curl-relay  curl_relay_floor.c: the request body POSTed unchanged through libcurl's socket
#               interface, the answer relayed as chunks, no JSON (the floor of a gateway built on
#               libcurl, the design card's upstream client; not in the default list)
# Output: the kit's Markdown tables (stdout and $OUT/summary.md), raw data in $OUT.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PEERS=0; ONLY_MINE=0; CARGS=(); NAMES=(); PORT=8081; UP=${UPSTREAM_PORT:-18000}
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift ;;
    --upstream-port) UP=$2; shift ;;
    --peers) PEERS=1 ;;
    --quick) CARGS+=(--quick) ;;
    --runs) CARGS+=(--runs "$2"); shift ;;
    --only-mine) ONLY_MINE=1 ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) NAMES+=("$1") ;;
  esac
  shift
done

build_server || { echo "build failed"; exit 1; }
prepare_kit || exit 1
export UPSTREAM_PORT=$UP
PORT2=$((PORT + 1))
write_config "$KIT/harness-pass.toml" pass "$UP"
write_config "$KIT/harness-translate.toml" translate "$UP"
for p in "$PORT" "$PORT2"; do
  listening "$p" && { echo "port $p is busy: stop what listens there first"; exit 1; }
done

# Our targets, appended to the copy's targets.conf (START commands: compare.sh runs and stops them).
pass="$SERVER_BIN --config $KIT/harness-pass.toml --port $PORT --quiet"
tran="$SERVER_BIN --config $KIT/harness-translate.toml --port $PORT2 --quiet"
cat >>"$KIT/targets.conf" <<EOF

# ---- harness-server (added by bench/server/run.sh)
target mine       openai    "http://127.0.0.1:$PORT/v1/chat/completions"  '' "$pass"
target mine-anth  anthropic "http://127.0.0.1:$PORT/v1/messages"          '' "$pass"
target mine-oa2an openai    "http://127.0.0.1:$PORT2/v1/chat/completions" '' "$tran"
target mine-an2oa anthropic "http://127.0.0.1:$PORT2/v1/messages"          '' "$tran"
target relay      openai    "http://127.0.0.1:$((PORT + 2))/v1/chat/completions" '' "$KIT/relay_floor $((PORT + 2)) $UP"
target curl-relay openai    "http://127.0.0.1:$((PORT + 3))/v1/chat/completions" '' "$KIT/curl_relay_floor $((PORT + 3)) http://127.0.0.1:$UP"
EOF

if [ ${#NAMES[@]} -eq 0 ]; then
  [ $ONLY_MINE = 0 ] && NAMES+=(direct-openai direct-anthropic)
  NAMES+=(mine mine-anth mine-oa2an mine-an2oa)
  [ $PEERS = 1 ] && NAMES+=(portkey-openai portkey-oa2an portkey-messages ccr-an2oa)
fi
if [ $PEERS = 1 ]; then
  command -v node >/dev/null || { echo "--peers needs node >= 20 and npm"; exit 1; }
  timeout 1200 "$KIT/peers/setup.sh" || { echo "peers/setup.sh failed"; exit 1; }
fi

OUT=${OUT:-$BUILD_DIR/results/compare-$(date +%Y%m%d-%H%M%S)}
export OUT
mkdir -p "$OUT"
{
  echo "# $(date -Is) $(uname -srm) nproc=$(nproc)"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "# ports: harness-server $PORT (pass) / $PORT2 (translate), fake upstream $UP (simulated upstream)"
  echo "# harness-server: $SERVER_BIN ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null) + worktree)"
} >"$OUT/harness-run.txt"
log "compare.sh --only ${NAMES[*]} (results: $OUT)"
# compare.sh traps TERM and stops everything it started; timeout bounds the whole run.
timeout -k 30 "${TIME_LIMIT:-3600}" "$KIT/compare.sh" --only "${CARGS[@]}" "${NAMES[@]}"
rc=$?
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/harness-run.txt"
cat "$OUT/harness-run.txt" >&2
exit $rc
