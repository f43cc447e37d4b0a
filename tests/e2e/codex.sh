#!/bin/bash
# Driver: the real Codex CLI (@openai/codex, `codex exec`) does one file-writing tool turn
# against an OpenAI Responses endpoint (BASE_URL/responses).
# Usage: codex.sh BASE_URL [MODEL]   BASE_URL: http://HOST:PORT/v1 (/v1 is added when missing)
# Env:   EXPECT_CONTENT  exact content hello.txt must hold (default: any non-empty content)
#        HARNESS_CLIENTS_DIR (install-coding-clients.sh), DRIVER_TIMEOUT (s, default 60),
#        KEEP_SANDBOX=1
# Exit:  0 pass, 1 fail, 3 Codex not installed or the endpoint has no /v1/responses route (404).
set -uo pipefail
DRIVER=codex
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/driver-common.sh"

BASE="${1:-}"; MODEL="${2:-${MODEL:-gpt-5.1-codex}}"
[ -n "$BASE" ] || { echo "usage: $0 BASE_URL [MODEL]" >&2; exit 64; }
BASE="${BASE%/}"; case "$BASE" in */v1) ;; *) BASE="$BASE/v1" ;; esac
BIN="$(client_bin codex codex)" || exit 3

# A proxy without the Responses route cannot be driven by Codex at all: report a skip, not a
# failure, so this driver can run before the route exists. Any other status goes on.
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
         -d '{}' "$BASE/responses")
if [ "$status" = "404" ]; then
  echo "MISSING: $BASE/responses answers 404 (no Responses route)" >&2
  exit 3
fi

make_sandbox codex
CODEX_HOME="$SANDBOX/codex-home"
mkdir -p "$CODEX_HOME"
# The config is examples/clients/codex-config.toml (what the docs promise works) with this
# run's model and base URL.
EXAMPLE="$HERE/../../examples/clients/codex-config.toml"
sed -e "s#^model = \"[^\"]*\"#model = \"$MODEL\"#" -e "s#^base_url = .*#base_url = \"$BASE\"#" \
  "$EXAMPLE" > "$CODEX_HOME/config.toml"
grep -q "^base_url = \"$BASE\"" "$CODEX_HOME/config.toml" && grep -q "^model = \"$MODEL\"" "$CODEX_HOME/config.toml" \
  || fail "could not set model / base_url in a copy of $EXAMPLE"

# Codex refuses to start unless the variable the provider's env_key names is set.
KEY_VAR=$(sed -n 's/^env_key = "\([A-Za-z_][A-Za-z0-9_]*\)".*/\1/p' "$EXAMPLE")
[ -n "$KEY_VAR" ] || fail "no env_key in $EXAMPLE"

OUT="$SANDBOX/codex.jsonl"
cd "$WORK"
# Headless: never ask for approval; commands may write only inside the work dir (and /tmp).
env -i "HOME=$HOME" "PATH=/usr/local/bin:/usr/bin:/bin" "TERM=dumb" "CODEX_HOME=$CODEX_HOME" \
    "$KEY_VAR=${HARNESS_TOKEN:-dummy-e2e-key}" \
  timeout "$DRIVER_TIMEOUT" "$BIN" exec --skip-git-repo-check --ephemeral --json \
    -c 'approval_policy="never"' --sandbox workspace-write "$PROMPT" \
  > "$OUT" 2> "$SANDBOX/codex.err" < /dev/null
RC=$?
if [ $RC -ne 0 ]; then
  tail -c 2000 "$OUT" >&2; tail -n 20 "$SANDBOX/codex.err" >&2
  fail "codex exited $RC"
fi
# The JSONL events: a completed tool item (command or file change), a final agent message, a
# completed turn, and no error event.
python3 - "$OUT" <<'EOF' || fail "unexpected events: $(tail -c 1500 "$OUT")"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
items = [e.get("item", {}) for e in events if e.get("type") == "item.completed"]
tool = any(i.get("type") in ("command_execution", "file_change") for i in items)
text = any(i.get("type") == "agent_message" and i.get("text") for i in items)
done = any(e.get("type") == "turn.completed" for e in events)
err = any(e.get("type") in ("error", "turn.failed") for e in events)
sys.exit(0 if tool and text and done and not err else 1)
EOF
check_file
pass "$BASE, model $MODEL"
