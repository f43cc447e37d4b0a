#!/usr/bin/env bash
# harness-cli models end to end (#12): a server over the fake upstream learns that `liar`
# (whose /api/show claims tools) cannot take them; `harness-cli models --url` shows the learned
# policy, `--config --probe` the discovered ones, and GET /v1/models leaves out a missing model.
set -euo pipefail
# Checks read here-strings, not `echo | grep -q`: under pipefail, grep -q exiting at its first
# match makes a line-buffered echo die of SIGPIPE, which failed CI at random.
CLI=$1
FAKE=$2
SERVER=$3
WORK=$(mktemp -d)
FAKE_PID=
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
wait_port() { for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done; fail "no port in $1"; }

"$FAKE" --port 0 --port-file "$WORK/port" 2>"$WORK/fake.log" &
FAKE_PID=$!
wait_port "$WORK/port"
cat > "$WORK/h.toml" <<TOML
[server]
port = 0

[providers.local]
kind = "ollama"
base_url = "http://127.0.0.1:$(cat "$WORK/port")"

[[models]]
name = "liar"
provider = "local"
model = "liar"

[[models]]
name = "chat"
provider = "local"
model = "chatonly"

[[models]]
name = "gone"
provider = "local"
model = "missing-model"
TOML

"$SERVER" --config "$WORK/h.toml" --port-file "$WORK/sport" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_port "$WORK/sport"
URL="http://127.0.0.1:$(cat "$WORK/sport")"

TOOLS='[{"type":"function","function":{"name":"write","parameters":{"type":"object","properties":{"filePath":{"type":"string"},"content":{"type":"string"}},"required":["filePath","content"]}}}]'
REPLY=$(curl -s "$URL/v1/chat/completions" \
  -d "{\"model\":\"liar\",\"messages\":[{\"role\":\"user\",\"content\":\"Create hello.txt\"}],\"tools\":$TOOLS}")
grep -q '"name":"write"' <<<"$REPLY" || fail "liar: no tool call: $REPLY"

TABLE=$("$CLI" models --url "$URL")
echo "$TABLE"
grep -Eq '^liar +local +liar +emulate_tools +learned +ok' <<<"$TABLE" || fail "liar not learned"
grep -Eq '^gone +local +missing-model +native\+rescue +default +model_missing' <<<"$TABLE" \
  || fail "gone not model_missing"

MODELS=$(curl -s "$URL/v1/models")
grep -q '"liar"' <<<"$MODELS" || fail "/v1/models lacks liar"
grep -q '"gone"' <<<"$MODELS" && fail "/v1/models lists the missing model"

OFFLINE=$("$CLI" models --config "$WORK/h.toml" --probe)
echo "$OFFLINE"
grep -Eq '^chat +local +chatonly +emulate_tools +discovered +ok' <<<"$OFFLINE" \
  || fail "offline probe: chat not discovered"
grep -Eq '^liar +local +liar +auto' <<<"$OFFLINE" && fail "offline probe did not probe"
echo "ok"
