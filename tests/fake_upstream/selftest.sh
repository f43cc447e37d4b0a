#!/bin/bash
# Self-test of harness-fake-upstream: starts it on port 0 and checks each dialect's JSON and
# stream for the frontier profile, the chatonly 400, qwen32b-text's JSON-in-text, echo, request
# validation and the faults, with curl (requests) and python3 (assertions).
# Usage: tests/fake_upstream/selftest.sh path/to/harness-fake-upstream
set -euo pipefail
BIN=${1:?usage: selftest.sh path/to/harness-fake-upstream}
T=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT

"$BIN" --port 0 --port-file "$T/port" --log "$T/requests.jsonl" 2>"$T/stderr" &
PID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
[ -s "$T/port" ] || { echo "FAIL: no port file"; cat "$T/stderr"; exit 1; }
BASE="http://127.0.0.1:$(cat "$T/port")"

N=0
# req METHOD PATH [JSON]: response saved as $T/r$N.{out,hdr,status} for the next check.
req() {
  local args=(-sS -N -o "$T/r$N.out" -D "$T/r$N.hdr" -w '%{http_code}' -X "$1" "$BASE$2")
  if [ $# -ge 3 ]; then args+=(-H 'content-type: application/json' --data-binary "$3"); fi
  curl "${args[@]}" >"$T/r$N.status" 2>/dev/null || true
}

# check NAME PYTHON: queues assertions on the last response (run together at the end, with
# body, status, hdr and the helpers j(), sse(), ndjson() in scope).
check() {
  printf '%s' "$1" >"$T/r$N.name"
  printf '%s' "$2" >"$T/r$N.check"
  N=$((N + 1))
}

run_checks() {
  python3 - "$T" "$N" <<'PY'
import json, sys, traceback
d, n = sys.argv[1], int(sys.argv[2])
fails = 0
for i in range(n):
    p = "%s/r%d." % (d, i)
    name = open(p + "name").read()
    body = open(p + "out", "rb").read().decode("utf-8", "replace") if __import__("os").path.exists(p + "out") else ""
    status = int(open(p + "status").read() or 0)
    hdr = open(p + "hdr").read().lower() if __import__("os").path.exists(p + "hdr") else ""
    def j(): return json.loads(body)
    def sse():
        """[(event name or None, parsed data or "[DONE]")] in order."""
        out = []
        for block in body.split("\n\n"):
            if not block.strip(): continue
            ev, data = None, []
            for line in block.split("\n"):
                if line.startswith("event: "): ev = line[7:]
                elif line.startswith("data: "): data.append(line[6:])
            raw = "\n".join(data)
            out.append((ev, raw if raw == "[DONE]" else json.loads(raw)))
        return out
    def ndjson(): return [json.loads(l) for l in body.split("\n") if l.strip()]
    try:
        exec(open(p + "check").read(), {"json": json, "body": body, "status": status, "hdr": hdr,
                                        "j": j, "sse": sse, "ndjson": ndjson})
    except Exception:
        fails += 1
        print("FAIL: " + name)
        print("  " + traceback.format_exc().strip().splitlines()[-1])
        print("  status=%d body=%s" % (status, body[:600]))
print("fake upstream selftest: %d passed, %d failed" % (n - fails, fails))
sys.exit(1 if fails else 0)
PY
}

WRITE_OA='{"type":"function","function":{"name":"write","description":"Write a file","parameters":{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}}}'
WRITE_AN='{"name":"Write","description":"Write a file","input_schema":{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}}'
USER='{"role":"user","content":"Create hello.txt saying hello"}'

req GET /health
check "health" 'assert status == 200 and j()["status"] == "ok"'

# --- OpenAI ---------------------------------------------------------------------------------
req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":[$USER],\"tools\":[$WRITE_OA]}"
check "openai json tool call" '
b = j(); c = b["choices"][0]
assert status == 200 and b["object"] == "chat.completion" and c["finish_reason"] == "tool_calls"
tc = c["message"]["tool_calls"][0]
assert c["message"]["content"] is None and tc["type"] == "function" and tc["id"].startswith("call_")
assert tc["function"]["name"] == "write"
assert json.loads(tc["function"]["arguments"]) == {"file_path": "hello.txt", "content": "hello\n"}
u = b["usage"]; assert u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"] > 0'

req POST /v1/chat/completions "{\"model\":\"frontier\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[$USER],\"tools\":[$WRITE_OA]}"
check "openai stream tool call" '
ev = sse(); assert ev[-1][1] == "[DONE]"
chunks = [e[1] for e in ev[:-1]]
assert len({c["id"] for c in chunks}) == 1 and all(c["object"] == "chat.completion.chunk" for c in chunks)
assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
head = chunks[1]["choices"][0]["delta"]["tool_calls"][0]
assert head["index"] == 0 and head["id"].startswith("call_") and head["function"]["name"] == "write"
frags = [c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"] for c in chunks[2:-2]]
assert len(frags) >= 3 and json.loads("".join(frags))["file_path"] == "hello.txt"
assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"
assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0
assert "text/event-stream" in hdr'

req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":[$USER,{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"write\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"ok\"}],\"tools\":[$WRITE_OA]}"
check "openai tool result -> Done." '
c = j()["choices"][0]; assert c["message"]["content"] == "Done." and c["finish_reason"] == "stop"'

req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":[$USER,{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"ok\"}]}"
check "openai rejects orphan tool message" '
assert status == 400 and "role '"'"'tool'"'"'" in j()["error"]["message"]'

# --- Anthropic ------------------------------------------------------------------------------
req POST /v1/messages "{\"model\":\"frontier\",\"max_tokens\":1024,\"messages\":[$USER],\"tools\":[$WRITE_AN]}"
check "anthropic json tool_use" '
b = j(); assert b["type"] == "message" and b["stop_reason"] == "tool_use"
tu = [c for c in b["content"] if c["type"] == "tool_use"][0]
assert tu["id"].startswith("toolu_") and tu["name"] == "Write" and tu["input"]["file_path"] == "hello.txt"
assert b["usage"]["input_tokens"] > 0 and b["usage"]["output_tokens"] > 0'

req POST /v1/messages "{\"model\":\"frontier\",\"max_tokens\":1024,\"stream\":true,\"messages\":[$USER],\"tools\":[$WRITE_AN]}"
check "anthropic stream tool_use" '
ev = sse(); names = [e[0] for e in ev]
assert all(e[1]["type"] == e[0] for e in ev)
assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"] and "ping" in names
assert ev[0][1]["message"]["usage"]["input_tokens"] > 0
start = [e[1] for e in ev if e[0] == "content_block_start"][0]
assert start["content_block"]["type"] == "tool_use" and start["content_block"]["input"] == {}
parts = [e[1]["delta"]["partial_json"] for e in ev if e[0] == "content_block_delta"]
assert len(parts) >= 3 and json.loads("".join(parts))["content"] == "hello\n"
assert "content_block_stop" in names
md = ev[-2][1]; assert md["delta"]["stop_reason"] == "tool_use" and md["usage"]["output_tokens"] > 0'

req POST /v1/messages "{\"model\":\"frontier\",\"messages\":[$USER]}"
check "anthropic requires max_tokens" '
b = j(); assert status == 400 and b["type"] == "error" and b["error"]["type"] == "invalid_request_error"'

req POST /v1/messages "{\"model\":\"frontier\",\"max_tokens\":2048,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
check "anthropic thinking stream" '
ev = sse(); deltas = [e[1]["delta"]["type"] for e in ev if e[0] == "content_block_delta"]
assert "thinking_delta" in deltas and "signature_delta" in deltas and "text_delta" in deltas'

# --- Ollama ---------------------------------------------------------------------------------
req POST /api/chat "{\"model\":\"frontier\",\"stream\":false,\"messages\":[$USER],\"tools\":[$WRITE_OA]}"
check "ollama json tool call" '
b = j(); assert b["done"] is True and b["done_reason"] == "stop" and b["eval_count"] > 0
f = b["message"]["tool_calls"][0]["function"]
assert f["name"] == "write" and f["arguments"] == {"file_path": "hello.txt", "content": "hello\n"}'

req POST /api/chat "{\"model\":\"frontier\",\"messages\":[$USER],\"tools\":[$WRITE_OA]}"
check "ollama ndjson stream (default)" '
lines = ndjson(); assert "application/x-ndjson" in hdr
calls = [l for l in lines if l["message"].get("tool_calls")]
assert len(calls) == 1 and isinstance(calls[0]["message"]["tool_calls"][0]["function"]["arguments"], dict)
assert all(l["done"] is False for l in lines[:-1])
last = lines[-1]; assert last["done"] is True and last["done_reason"] == "stop" and last["prompt_eval_count"] > 0'

req POST /api/chat '{"model":"chatonly","stream":false,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"write","parameters":{"type":"object","properties":{}}}}]}'
check "chatonly 400 on /api/chat" '
assert status == 400 and body == "{\"error\":\"registry.ollama.ai/library/llama3.2:latest does not support tools\"}"'

req POST /v1/chat/completions "{\"model\":\"chatonly\",\"messages\":[$USER],\"tools\":[$WRITE_OA]}"
check "chatonly 400 on openai" '
assert status == 400 and "does not support tools" in j()["error"]["message"]'

req POST /api/chat '{"model":"chatonly","stream":false,"messages":[{"role":"system","content":"Tools: [{\"name\":\"write\",\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"}},\"required\":[\"path\",\"content\"]}}]. Reply with JSON {\"name\": ..., \"arguments\": {...}}."},{"role":"user","content":"Create hello.txt"}]}'
check "chatonly tool emulation envelope" '
env = json.loads(j()["message"]["content"])
assert env == {"name": "write", "arguments": {"path": "hello.txt", "content": "hello\n"}}'

req POST /api/show '{"model":"chatonly"}'
check "ollama show" '
b = j(); assert b["capabilities"] == ["completion"] and b["model_info"]["llama.context_length"] == 131072'

req GET /api/tags
check "ollama tags" 'assert any(m["name"] == "frontier:latest" for m in j()["models"])'

# --- qwen32b-text and echo -------------------------------------------------------------------
req POST /v1/chat/completions "{\"model\":\"qwen32b-text\",\"stream\":true,\"messages\":[$USER],\"tools\":[$WRITE_OA]}"
check "qwen32b-text prints the call as text" '
chunks = [e[1] for e in sse()[:-1]]
assert not any("tool_calls" in c["choices"][0]["delta"] for c in chunks)
pieces = [c["choices"][0]["delta"].get("content") or "" for c in chunks]
assert len([p for p in pieces if p]) >= 3
assert json.loads("".join(pieces)) == {"name": "write", "arguments": {"file_path": "hello.txt", "content": "hello\n"}}
assert chunks[-1]["choices"][0]["finish_reason"] == "stop"'

req POST /v1/messages "{\"model\":\"echo\",\"max_tokens\":77,\"messages\":[$USER],\"tools\":[$WRITE_AN]}"
check "echo summary" '
s = json.loads(j()["content"][0]["text"])
assert s["messages"] == 1 and s["tools"] == ["Write"] and s["max_tokens"] == 77 and s["roles"] == ["user"]'

READ_EDIT='[{"type":"function","function":{"name":"view","parameters":{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]}}},{"type":"function","function":{"name":"edit","parameters":{"type":"object","properties":{"file_path":{"type":"string"},"old_string":{"type":"string"},"new_string":{"type":"string"}},"required":["file_path","old_string","new_string"]}}}]'
EDIT_MSGS='[{"role":"user","content":"The assert in calc.py fails; fix add()."},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"view","arguments":"{\"file_path\":\"calc.py\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"     1|def add(a, b):\n     2|    return a - b\n     3|\n     4|assert add(2, 3) == 5\n"}]'
req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":$EDIT_MSGS,\"tools\":$READ_EDIT}"
check "frontier edits with an exact old_string" '
a = json.loads(j()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
assert a == {"file_path": "calc.py", "old_string": "    return a - b", "new_string": "    return a + b"}'
req POST /v1/chat/completions "{\"model\":\"qwen7b\",\"messages\":$EDIT_MSGS,\"tools\":$READ_EDIT}"
check "qwen7b edits with a wrong old_string" '
a = json.loads(j()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
assert a["old_string"] == "     2|    return a - b"'

req POST /v1/chat/completions "{\"model\":\"qwen7b-ws\",\"messages\":$EDIT_MSGS,\"tools\":$READ_EDIT}"
check "qwen7b-ws edits with a re-indented old_string" '
a = json.loads(j()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
assert a["old_string"] == "\treturn a - b" and a["new_string"] == "\treturn a + b"'

# After a tool error the frontier reads the file again; qwen7b sends the failing call again.
ERR_MSGS='[{"role":"user","content":"Fix the bug in calc.py."},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"edit","arguments":"{\"file_path\":\"calc.py\",\"old_string\":\"a\",\"new_string\":\"b\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"you must read the file before editing it. Use the View tool first"}]'
req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":$ERR_MSGS,\"tools\":$READ_EDIT}"
check "frontier re-reads after a tool error" '
c = j()["choices"][0]["message"]["tool_calls"][0]["function"]
assert c["name"] == "view" and json.loads(c["arguments"]) == {"file_path": "calc.py"}, c'
req POST /v1/chat/completions "{\"model\":\"qwen7b\",\"messages\":$ERR_MSGS,\"tools\":$READ_EDIT}"
check "qwen7b repeats the failing call" '
c = j()["choices"][0]["message"]["tool_calls"][0]["function"]
assert c["name"] == "edit" and json.loads(c["arguments"]) == {"file_path": "calc.py", "old_string": "a", "new_string": "b"}, c'

# "change `a` to `b`" edits exactly that; a fenced block in a create request is the content.
CHANGE_MSGS='[{"role":"user","content":"In calc.py, change `assert add(2, 3) == 5` to `assert add(2, 3) == 5, add(2, 3)`."},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"view","arguments":"{\"file_path\":\"calc.py\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"     1|def add(a, b):\n     2|    return a - b\n     3|\n     4|assert add(2, 3) == 5\n"}]'
req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":$CHANGE_MSGS,\"tools\":$READ_EDIT}"
check "frontier edits the quoted text" '
a = json.loads(j()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
assert a == {"file_path": "calc.py", "old_string": "assert add(2, 3) == 5", "new_string": "assert add(2, 3) == 5, add(2, 3)"}, a'
WRITE_TOOL='[{"type":"function","function":{"name":"write","parameters":{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}}}]'
req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":[{\"role\":\"user\",\"content\":\"Create notes.md with this content:\\n\`\`\`\\n# Notes\\n\\ttab \\\\ \\\"q\\\"\\n\`\`\`\"}],\"tools\":$WRITE_TOOL}"
check "frontier writes the fenced block" '
a = json.loads(j()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
assert a == {"file_path": "notes.md", "content": "# Notes\n\ttab \\ \"q\"\n"}, a'

# --- faults ---------------------------------------------------------------------------------
req POST /v1/messages "{\"model\":\"fault-500\",\"max_tokens\":10,\"messages\":[$USER]}"
check "fault-500" 'b = j(); assert status == 500 and b["type"] == "error" and b["error"]["type"] == "api_error"'

req POST /v1/chat/completions "{\"model\":\"fault-429\",\"messages\":[$USER]}"
check "fault-429" 'assert status == 429 and "retry-after: 1" in hdr and j()["error"]["code"] == "rate_limit_exceeded"'

req POST /api/chat "{\"model\":\"fault-flaky-selftest\",\"stream\":false,\"messages\":[$USER]}"
check "fault-flaky first" 'assert status == 503 and "error" in j()'
req POST /api/chat "{\"model\":\"fault-flaky-selftest\",\"stream\":false,\"messages\":[$USER]}"
check "fault-flaky second" 'assert status == 200 and j()["done"] is True'

req POST /v1/messages "{\"model\":\"fault-error-event\",\"max_tokens\":10,\"stream\":true,\"messages\":[$USER]}"
check "fault-error-event" '
ev = sse(); assert status == 200 and ev[-1][0] == "error" and ev[-1][1]["error"]["type"] == "overloaded_error"
assert "message_stop" not in [e[0] for e in ev]'

req POST /v1/chat/completions "{\"model\":\"fault-garbage\",\"stream\":true,\"messages\":[$USER]}"
check "fault-garbage" 'assert status == 200 and "data:" not in body and "not a server-sent event" in body'

req POST /v1/chat/completions "{\"model\":\"fault-reset\",\"stream\":true,\"messages\":[$USER]}"
check "fault-reset cuts the stream" 'assert "[DONE]" not in body and body.startswith("data: ")'

start=$(date +%s%N)
timeout 10 curl -sS -N -m 1 -o /dev/null -X POST "$BASE/v1/chat/completions" \
  -d "{\"model\":\"fault-stall\",\"stream\":true,\"messages\":[$USER]}" 2>/dev/null || true
req POST /v1/chat/completions "{\"model\":\"frontier\",\"messages\":[$USER]}"
check "server answers while a stall is pending" 'assert status == 200'

# --- request log ----------------------------------------------------------------------------
cp "$T/requests.jsonl" "$T/r$N.out"
echo 200 >"$T/r$N.status"
check "request log" '
lines = [json.loads(l) for l in body.splitlines()]
first = [l for l in lines if l["path"] == "/v1/chat/completions"][0]
assert first["method"] == "POST" and first["model"] == "frontier" and first["tools"] is True
assert first["stream"] is False and first["messages"] == 1'

run_checks
