#!/bin/bash
# End to end with the REAL coding agents Claude Code (Anthropic Messages) and Codex (OpenAI
# Responses) through harness-server onto each upstream dialect: capture_server.py (shared
# acceptance kit) as an OpenAI and as an Anthropic upstream, harness-fake-upstream as Ollama.
# Each run must complete a file-writing tool turn (hello.txt with the upstream's content).
# Usage: coding-agents.sh HARNESS_SERVER FAKE_UPSTREAM
# Env: HARNESS_SHARED_DIR (default ../../../shared), HARNESS_CLIENTS_DIR, CODING_AGENTS (default
#      "claude-code codex"). Last line: "N passed, N failed, N skipped".
set -uo pipefail
SERVER_BIN="$1"; FAKE_BIN="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
SHARED="${HARNESS_SHARED_DIR:-$(cd "$HERE/../../.." && pwd)/shared}"
CAPTURE="$SHARED/acceptance/capture_server.py"
[ -f "$CAPTURE" ] || { echo "no capture_server.py at $CAPTURE"; exit 1; }
"$HERE/install-coding-clients.sh" > /tmp/harness-coding-clients-install.log 2>&1 \
  || { tail -20 /tmp/harness-coding-clients-install.log; echo "client install failed"; exit 1; }

WORK="$(mktemp -d /tmp/harness-coding-e2e.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
wait_file() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }

python3 - "$CAPTURE" "$WORK/capture.port" > "$WORK/capture.log" 2>&1 <<'EOF' &
# capture_server.py on a free port (its --port 0 would not report the port): bind first.
import runpy, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
open(sys.argv[2], "w").write(str(port))
sys.argv = [sys.argv[1], "--port", str(port), "--logdir", sys.argv[2] + ".log"]
runpy.run_path(sys.argv[0], run_name="__main__")
EOF
pids+=($!)
"$FAKE_BIN" --port 0 --port-file "$WORK/fake.port" > "$WORK/fake.log" 2>&1 &
pids+=($!)
wait_file "$WORK/capture.port" && wait_file "$WORK/fake.port" || { echo "upstreams did not start"; exit 1; }
CAP_PORT=$(cat "$WORK/capture.port"); FAKE_PORT=$(cat "$WORK/fake.port")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$CAP_PORT/__capture_health" >/dev/null && break; sleep 0.1; done

# The side-task names Claude Code sends (claude-haiku-*, ...) land on default_model.
cat > "$WORK/harness.toml" <<TOML
default_model = "e2e-ollama"

[server]
port = 0
access_token_env = "HARNESS_E2E_TOKEN"   # so the clients' credentials are really checked

[providers.cap-openai]
kind = "openai"
base_url = "http://127.0.0.1:$CAP_PORT/v1"

[providers.cap-anthropic]
kind = "anthropic"
base_url = "http://127.0.0.1:$CAP_PORT"

[providers.fake-ollama]
kind = "ollama"
base_url = "http://127.0.0.1:$FAKE_PORT"

[[models]]
name = "e2e-openai"
provider = "cap-openai"
model = "test-model"

[[models]]
name = "e2e-anthropic"
provider = "cap-anthropic"
model = "claude-sonnet-4-5"

[[models]]
name = "e2e-ollama"
provider = "fake-ollama"
model = "frontier"
TOML
export HARNESS_E2E_TOKEN="e2e-token-$RANDOM$RANDOM"
export HARNESS_TOKEN="$HARNESS_E2E_TOKEN"   # what the drivers hand their client
"$SERVER_BIN" --config "$WORK/harness.toml" --port-file "$WORK/srv.port" > "$WORK/server.log" 2>&1 &
pids+=($!)
wait_file "$WORK/srv.port" || { echo "harness-server did not start"; cat "$WORK/server.log"; exit 1; }
BASE="http://127.0.0.1:$(cat "$WORK/srv.port")"

pass=0; fail=0; skip=0
run() {  # run DRIVER MODEL EXPECTED_CONTENT [AUTH]
  local out rc
  out="$(EXPECT_CONTENT="$3" AUTH="${4:-bearer}" "$HERE/$1.sh" "$BASE" "$2" 2>&1)"; rc=$?
  echo "$out" | sed "s/^/[$1 $2] /"
  case $rc in 0) pass=$((pass + 1)) ;; 3) skip=$((skip + 1)) ;; *) fail=$((fail + 1)) ;; esac
}
CAPTURED=$'hello from capture server\n'   # what capture_server's tool call writes
FAKED=$'hello\n'                          # what harness-fake-upstream's frontier profile writes
for agent in ${CODING_AGENTS:-claude-code codex}; do
  run "$agent" e2e-openai "$CAPTURED"
  run "$agent" e2e-anthropic "$CAPTURED" x-api-key   # Claude Code's other credential header
  run "$agent" e2e-ollama "$FAKED"
done
if [ "$fail" -ne 0 ]; then echo "--- server log"; tail -30 "$WORK/server.log"; fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
