#!/bin/bash
# End to end with REAL clients (openai SDK, Vercel AI SDK, OpenCode CLI, Anthropic SDK) through
# harness-server onto each upstream dialect. Upstreams are simulated: capture_server.py (shared
# acceptance kit) speaks OpenAI and Anthropic, our harness-fake-upstream speaks Ollama.
# Usage: acceptance.sh HARNESS_SERVER FAKE_UPSTREAM
set -uo pipefail
SERVER_BIN="$1"; FAKE_BIN="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
SHARED="${HARNESS_SHARED_DIR:-$(cd "$HERE/../../.." && pwd)/shared}"
ACC="$SHARED/acceptance"
[ -x "$ACC/run-all.sh" ] || { echo "no acceptance kit at $ACC"; exit 1; }
export REAL_CLIENTS_DIR="${REAL_CLIENTS_DIR:-/tmp/real-clients-cache}"

# The pinned clients come from the npm registry (cached between runs).
if [ ! -d "$REAL_CLIENTS_DIR/sdk/node_modules/openai" ] || [ ! -d "$REAL_CLIENTS_DIR/opencode/node_modules" ]; then
  "$ACC/install-clients.sh" sdk opencode > /tmp/harness-e2e-install.log 2>&1 \
    || { tail -20 /tmp/harness-e2e-install.log; echo "client install failed"; exit 1; }
fi

WORK="$(mktemp -d /tmp/harness-e2e.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

CAP_PORT=$(free_port)
python3 "$ACC/capture_server.py" --port "$CAP_PORT" --logdir "$WORK/capture" > "$WORK/capture.log" 2>&1 &
pids+=($!)
"$FAKE_BIN" --port 0 --port-file "$WORK/fake.port" > "$WORK/fake.log" 2>&1 &
pids+=($!)
wait_port "$CAP_PORT" || { echo "capture server did not start"; exit 1; }
for _ in $(seq 1 100); do [ -s "$WORK/fake.port" ] && break; sleep 0.1; done
FAKE_PORT=$(cat "$WORK/fake.port")

cat > "$WORK/harness.toml" <<TOML
[server]
port = 0

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

# Qwen-2.5-Coder-like: prints its calls as JSON text; the fixer rescues them.
[[models]]
name = "e2e-rescued"
provider = "fake-ollama"
model = "qwen32b-text"
rescue = true
TOML
"$SERVER_BIN" --config "$WORK/harness.toml" --port-file "$WORK/srv.port" > "$WORK/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/srv.port" ] && break; sleep 0.1; done
BASE="http://127.0.0.1:$(cat "$WORK/srv.port")/v1"

pass=0; fail=0
run() {  # run MODEL DRIVER...
  local model="$1"; shift
  local out
  out="$(MODEL="$model" SKIP_MISSING=0 DRIVER_TIMEOUT=120 "$ACC/run-all.sh" "$BASE" "$@" 2>&1)"
  echo "$out" | sed "s/^/[$model] /"
  pass=$((pass + $(echo "$out" | grep -c '^PASS')))
  fail=$((fail + $(echo "$out" | grep -c '^FAIL')))
}
run e2e-openai openai-sdk ai-sdk opencode anthropic-sdk
run e2e-anthropic openai-sdk ai-sdk opencode anthropic-sdk
run e2e-ollama openai-sdk ai-sdk opencode anthropic-sdk
run e2e-rescued openai-sdk opencode
if [ "$fail" -ne 0 ]; then echo "--- server log"; tail -30 "$WORK/server.log"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
