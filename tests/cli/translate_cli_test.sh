#!/usr/bin/env bash
# harness-cli translate on real captures: the key rules of translation.md checked with python3.
# Usage: translate_cli_test.sh <path to harness-cli> <tests/data directory>
set -euo pipefail

cli=${1:?usage: translate_cli_test.sh HARNESS_CLI DATA_DIR}
data=${2:?usage: translate_cli_test.sh HARNESS_CLI DATA_DIR}
captures="$data/captures"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# 1. OpenCode agent turn 1 (OpenAI) -> Anthropic.
"$cli" translate --from openai --to anthropic <"$captures/opencode-02.request.json" >"$work/an.json" ||
  fail "translate opencode-02 exited with $?"
python3 - "$captures/opencode-02.request.json" "$work/an.json" <<'PY' || fail "opencode-02 -> anthropic breaks a rule"
import json, sys

src = json.load(open(sys.argv[1]))
out = json.load(open(sys.argv[2]))
errors = []

def check(cond, what):
    if not cond:
        errors.append(what)

# Tools never dropped: same count, same names, parameters -> input_schema (A.1).
check(len(out.get("tools", [])) == len(src["tools"]) == 9, "tool count")
check([t["name"] for t in out["tools"]] == [t["function"]["name"] for t in src["tools"]], "tool names")
check(all(a["input_schema"] == b["function"]["parameters"] for a, b in zip(out["tools"], src["tools"])),
      "input_schema differs from parameters")
check(all("type" not in t and "function" not in t for t in out["tools"]), "OpenAI tool shape leaked")
check(out.get("tool_choice") == {"type": "auto"}, "tool_choice auto -> {type: auto}")
# Every system message hoisted, in order; none left in messages (A.1).
system_texts = [m["content"] for m in src["messages"] if m["role"] == "system"]
sys_out = out.get("system")
if isinstance(sys_out, str):
    sys_out = [sys_out]
else:
    sys_out = [b["text"] for b in (sys_out or [])]
check(sys_out == system_texts, "system text not hoisted")
check(all(m["role"] in ("user", "assistant") for m in out["messages"]), "a non user/assistant role")
check(out["messages"][0]["role"] == "user", "first turn is not the user's")
user_text = [m["content"] for m in src["messages"] if m["role"] == "user"]
got_text = []
for m in out["messages"]:
    c = m["content"]
    got_text.append(c if isinstance(c, str) else "".join(b.get("text", "") for b in c))
check(got_text == user_text, "user text changed")
# max_tokens required by Anthropic: the client's 32000 (A.1).
check(out.get("max_tokens") == src["max_tokens"] == 32000, "max_tokens")
check(out.get("stream") is True, "stream")
# OpenAI-only fields are not sent (A.8.10).
for key in ("stream_options", "stop", "max_completion_tokens", "parallel_tool_calls"):
    check(key not in out, key + " sent to Anthropic")
check(out["model"] == src["model"], "model")

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
PY

# 2. Same through Anthropic and back: tools, text and system survive.
"$cli" translate --from anthropic --to openai <"$work/an.json" >"$work/back.json" ||
  fail "translate back exited with $?"
python3 - "$captures/opencode-02.request.json" "$work/back.json" <<'PY' || fail "round trip lost meaning"
import json, sys
src = json.load(open(sys.argv[1]))
back = json.load(open(sys.argv[2]))
assert [t["function"]["name"] for t in back["tools"]] == [t["function"]["name"] for t in src["tools"]]
assert [(m["role"], m["content"]) for m in back["messages"]] == \
       [(m["role"], m["content"]) for m in src["messages"]], "messages changed"
assert back["tool_choice"] == "auto" and back["max_tokens"] == 32000 and back["stream"] is True
PY

# 3. Invalid JSON: exit code 2 and a message on stderr, nothing on stdout.
set +e
printf '{"model": "m", "messages": [' | "$cli" translate --from openai --to anthropic \
  >"$work/bad.out" 2>"$work/bad.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "invalid JSON: exit code $rc, expected 2"
[ -s "$work/bad.err" ] || fail "invalid JSON: nothing on stderr"
grep -qi "json" "$work/bad.err" || fail "invalid JSON: stderr does not say so: $(cat "$work/bad.err")"
[ ! -s "$work/bad.out" ] || fail "invalid JSON: something on stdout"

# A valid JSON body that is not a request (missing messages) is bad input too.
set +e
echo '{"model":"m"}' | "$cli" translate --from openai --to anthropic >/dev/null 2>"$work/bad2.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "missing messages: exit code $rc, expected 2"
grep -q "messages" "$work/bad2.err" || fail "missing messages: stderr lacks the path"

# 4. A captured Anthropic stream -> OpenAI chunks ending with data: [DONE].
"$cli" translate --kind stream --from anthropic --to openai \
  <"$captures/anthropic-messages-tool_use.stream.sse" >"$work/stream.sse" ||
  fail "stream translate exited with $?"
python3 - "$work/stream.sse" <<'PY' || fail "translated stream is wrong"
import json, sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l]
assert lines[-1] == "data: [DONE]", "last line: %r" % lines[-1]
assert all(l.startswith("data: ") for l in lines), "non-data line"
chunks = [json.loads(l[6:]) for l in lines[:-1]]
assert len({c["id"] for c in chunks}) == 1, "chunk ids differ"
assert all(c["object"] == "chat.completion.chunk" for c in chunks)
assert chunks[0]["choices"][0]["delta"].get("role") == "assistant", "first chunk lacks the role"
text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
assert text == "I'll write the file.", text
calls = [tc for c in chunks if c["choices"] for tc in c["choices"][0]["delta"].get("tool_calls", [])]
assert calls[0]["id"] == "toolu_ab0f5057a335443eaebd2b" and calls[0]["function"]["name"] == "Write"
assert all(tc["index"] == 0 for tc in calls), "tool-call index"
args = json.loads("".join(tc["function"].get("arguments", "") for tc in calls))
assert args == {"file_path": "/tmp/caps/cc/work/hello.txt", "content": "hello from capture server\n"}
finish = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
assert finish == ["tool_calls"], finish
assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["prompt_tokens"] == 12678, "usage chunk"
PY

# 5. Codex (Responses): a real request onto Anthropic. Hosted tools are dropped with a note;
#    the freeform apply_patch tool becomes a function taking one string `input`.
"$cli" translate --from responses --to anthropic <"$captures/codex-04.request.json" \
  >"$work/codex-an.json" 2>"$work/codex.err" || fail "translate codex-04 exited with $?"
grep -q "dropped tools: tool_search, web_search" "$work/codex.err" ||
  fail "no note of the dropped tools: $(cat "$work/codex.err")"
python3 - "$work/codex-an.json" <<'PY' || fail "translated Codex request is wrong"
import json, sys
body = json.load(open(sys.argv[1]))
tools = {t["name"]: t for t in body["tools"]}
assert "web_search" not in tools and "tool_search" not in tools
assert tools["apply_patch"]["input_schema"]["required"] == ["input"], tools["apply_patch"]
uses = [b for m in body["messages"] for b in (m["content"] if isinstance(m["content"], list) else [])
        if b.get("type") == "tool_use"]
assert uses[-1]["name"] == "apply_patch" and uses[-1]["input"]["input"].startswith("*** Begin Patch")
PY

# 6. An OpenAI chat stream as Codex reads it: response.* events ending in response.completed.
"$cli" translate --kind stream --from openai --to responses \
  <"$captures/openai-chat-tool_call.stream.sse" >"$work/resp.sse" || fail "responses stream exited with $?"
python3 - "$work/resp.sse" <<'PY' || fail "Responses stream is wrong"
import json, sys
events = [json.loads(l[6:]) for l in open(sys.argv[1]).read().split("\n") if l.startswith("data: ")]
assert [e["sequence_number"] for e in events] == list(range(len(events)))
assert events[0]["type"] == "response.created" and events[-1]["type"] == "response.completed"
out = events[-1]["response"]["output"]
assert out[-1]["type"] == "function_call" and json.loads(out[-1]["arguments"]), out
PY

echo "cli.translate: all checks passed"
