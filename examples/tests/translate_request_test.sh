#!/usr/bin/env bash
# examples/translate_request on a captured OpenCode request (OpenAI Chat Completions): the
# Anthropic body it prints keeps every tool and the system prompt, and the fake upstream, which
# validates Anthropic's rules (max_tokens, roles, tool_use/tool_result pairing), accepts it.
# Usage: translate_request_test.sh TRANSLATE_REQUEST FAKE_UPSTREAM CAPTURE
set -euo pipefail
translate=$1 fake=$2 capture=$3
WORK=$(mktemp -d)
. "$(dirname "$0")/fake_upstream.sh"
start_fake_upstream "$fake" "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$translate" <"$capture" >"$WORK/anthropic.json" || fail "translate_request exited with $?"
python3 - "$capture" "$WORK/anthropic.json" <<'PY' || fail "the translation lost something"
import json, sys
src, out = (json.load(open(p)) for p in sys.argv[1:3])
assert [t["name"] for t in out["tools"]] == [t["function"]["name"] for t in src["tools"]]
assert all("input_schema" in t for t in out["tools"])
assert out["system"], "system prompt not hoisted"
assert all(m["role"] in ("user", "assistant") for m in out["messages"])
assert isinstance(out["max_tokens"], int) and out["max_tokens"] > 0
PY
status=$(curl -s -o "$WORK/answer" -w '%{http_code}' "$FAKE_URL/v1/messages" \
  -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
  --data-binary @"$WORK/anthropic.json")
[ "$status" = 200 ] || { cat "$WORK/answer"; fail "the Anthropic upstream answered $status"; }
grep -q 'message_stop' "$WORK/answer" || fail "no complete Anthropic answer"
echo "translated $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tools"]))' "$WORK/anthropic.json") tools; upstream answered 200"
