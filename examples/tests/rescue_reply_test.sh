#!/usr/bin/env bash
# examples/rescue_reply on a real text reply: a model that prints its tool call as JSON text
# (the fake upstream's qwen32b-text) answers over OpenAI Chat Completions; the example must
# promote exactly that call, and must leave plain prose alone.
# Usage: rescue_reply_test.sh RESCUE_REPLY FAKE_UPSTREAM
set -euo pipefail
rescue=$1 fake=$2
WORK=$(mktemp -d)
. "$(dirname "$0")/fake_upstream.sh"
start_fake_upstream "$fake" "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

curl -sf "$FAKE_URL/v1/chat/completions" -H 'content-type: application/json' -d '{
  "model": "qwen32b-text", "messages": [{"role": "user", "content": "Create notes.txt"}],
  "tools": [{"type": "function", "function": {"name": "write", "parameters": {"type": "object",
    "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
    "required": ["path", "content"]}}}]}' >"$WORK/reply.json" || fail "fake upstream request"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["choices"][0]["message"]
assert not m.get("tool_calls"), "the model should print its call, not make it"
sys.stdout.write(m["content"])' "$WORK/reply.json" >"$WORK/reply.txt"
echo "model text: $(cat "$WORK/reply.txt")"

out=$("$rescue" <"$WORK/reply.txt") || fail "rescue_reply found no call (exit $?)"
echo "$out"
python3 - "$out" <<'PY' || fail "rescued call differs from the printed one"
import json, re, sys
lines = sys.argv[1].splitlines()
calls = [l for l in lines if l.startswith("call ")]
assert len(calls) == 1, calls
m = re.fullmatch(r"call (\S+) (\{.*\}) \((\w+)\)", calls[0])
assert m and m.group(1) == "write", calls[0]
assert json.loads(m.group(2)) == {"path": "notes.txt", "content": "hello\n"}, m.group(2)
assert "content: (none)" in lines, lines
PY

# Prose that merely mentions a tool is not a call: exit 1, the text kept as content.
if out=$(printf 'I would use the write tool, but nothing needs writing.' | "$rescue"); then
  fail "prose was rescued as a call: $out"
fi
grep -qx 'content: I would use the write tool, but nothing needs writing.' <<<"$out" ||
  fail "prose not kept as content: $out"
