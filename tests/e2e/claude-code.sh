#!/bin/bash
# Driver: the real Claude Code CLI (@anthropic-ai/claude-code, headless `-p`) does one
# file-writing tool turn against an Anthropic Messages endpoint.
# Usage: claude-code.sh BASE_URL [MODEL]   BASE_URL: http://HOST:PORT (a trailing /v1 is dropped:
#        Claude Code appends /v1/messages itself)
# Env:   EXPECT_CONTENT  exact content hello.txt must hold (default: any non-empty content)
#        AUTH=bearer|x-api-key  which credential variable Claude Code gets (default bearer)
#        HARNESS_CLIENTS_DIR (install-coding-clients.sh), DRIVER_TIMEOUT (s, default 60),
#        KEEP_SANDBOX=1
# Exit:  0 pass, 1 fail, 3 Claude Code not installed (same convention as ../shared/acceptance).
set -uo pipefail
DRIVER=claude-code
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/driver-common.sh"

BASE="${1:-}"; MODEL="${2:-${MODEL:-claude-sonnet-4-6}}"
[ -n "$BASE" ] || { echo "usage: $0 BASE_URL [MODEL]" >&2; exit 64; }
BASE="${BASE%/}"; BASE="${BASE%/v1}"
BIN="$(client_bin claude claude)" || exit 3
make_sandbox claude-code
cd "$WORK" && git init -q .   # a repo root keeps Claude Code from searching further up

# The environment is examples/clients/claude-code.env's (what the docs promise works), with the
# base URL, model and credential of this run; nothing else from the caller's environment.
EXAMPLE="$HERE/../../examples/clients/claude-code.env"
CLAUDE_ENV=("HOME=$HOME" "PATH=/usr/local/bin:/usr/bin:/bin" "TERM=dumb")
while IFS= read -r line; do
  case "$line" in
    ''|'#'*|ANTHROPIC_BASE_URL=*|ANTHROPIC_MODEL=*|ANTHROPIC_AUTH_TOKEN=*|ANTHROPIC_API_KEY=*) ;;
    *=*) CLAUDE_ENV+=("$line") ;;
  esac
done < "$EXAMPLE"
CLAUDE_ENV+=("ANTHROPIC_BASE_URL=$BASE" "ANTHROPIC_MODEL=$MODEL")
if [ "${AUTH:-bearer}" = "x-api-key" ]; then
  CLAUDE_ENV+=("ANTHROPIC_API_KEY=${HARNESS_TOKEN:-dummy-e2e-key}")
else
  CLAUDE_ENV+=("ANTHROPIC_AUTH_TOKEN=${HARNESS_TOKEN:-dummy-e2e-key}")
fi

OUT="$SANDBOX/claude.json"
env -i "${CLAUDE_ENV[@]}" timeout "$DRIVER_TIMEOUT" "$BIN" -p "$PROMPT" \
  --permission-mode acceptEdits --output-format json > "$OUT" 2> "$SANDBOX/claude.err" < /dev/null
RC=$?
if [ $RC -ne 0 ]; then
  tail -c 2000 "$OUT" >&2; tail -n 20 "$SANDBOX/claude.err" >&2
  fail "claude exited $RC"
fi
# The JSON result: success, no API error, and at least one tool round trip (2 turns).
python3 - "$OUT" <<'EOF' || fail "unexpected result: $(head -c 1500 "$OUT")"
import json, sys
r = json.load(open(sys.argv[1]))
ok = r.get("subtype") == "success" and not r.get("is_error") and r.get("num_turns", 0) >= 2
sys.exit(0 if ok else 1)
EOF
check_file
pass "$BASE, model $MODEL, auth ${AUTH:-bearer}"
