#!/usr/bin/env bash
# examples/agent_loop against the fake upstream: a fix task (read, then an exact edit) through
# an Anthropic upstream with native tool calls, and a create task through an OpenAI-compatible
# upstream whose model prints its calls as text (rescued by the gateway's fixer).
# Usage: agent_loop_test.sh AGENT_LOOP FAKE_UPSTREAM
set -euo pipefail
agent=$1 fake=$2
WORK=$(mktemp -d)
. "$(dirname "$0")/fake_upstream.sh"
start_fake_upstream "$fake" "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$WORK/harness.toml" <<TOML
[server]
retries = 0

[providers.claude-like]
kind = "anthropic"
base_url = "$FAKE_URL"

[providers.text-caller]
kind = "openai"
base_url = "$FAKE_URL/v1"

[[models]]
name = "coder"
provider = "claude-like"
model = "frontier"

[[models]]
name = "small-coder"
provider = "text-caller"
model = "qwen32b-text"
rescue = true
TOML

# 1. Fix a bug: read_file, then edit_file with the exact line, then a final answer.
mkdir -p "$WORK/project"
printf 'def add(a, b):\n    return a - b  # BUG: should add\n' >"$WORK/project/calc.py"
out=$("$agent" "$WORK/harness.toml" coder "$WORK/project" "Fix the bug in calc.py") ||
  fail "agent_loop (fix) exited with $?"
echo "$out"
grep -q '^turn 1: read_file {"path":"calc.py"} -> def add(a, b):$' <<<"$out" || fail "no read first"
grep -q '^turn 2: edit_file .* -> edited calc.py$' <<<"$out" || fail "no exact edit"
grep -q '^final: Done\.$' <<<"$out" || fail "no final answer"
grep -qx '    return a + b  # BUG: should add' "$WORK/project/calc.py" || fail "calc.py not fixed"

# 2. Create a file with a model that prints its call as text: the gateway rescues it.
out=$("$agent" "$WORK/harness.toml" small-coder "$WORK/project" "Create hello.txt") ||
  fail "agent_loop (rescue) exited with $?"
echo "$out"
grep -q '^turn 1: write_file .* -> wrote 6 bytes to hello.txt$' <<<"$out" || fail "no rescued write"
grep -q '^final: Done\.$' <<<"$out" || fail "no final answer"
[ "$(cat "$WORK/project/hello.txt")" = "hello" ] || fail "hello.txt content"

# 3. The tools stay inside the project: a path that escapes it is refused and reported.
out=$("$agent" "$WORK/harness.toml" coder "$WORK/project" "Create ../outside.txt") ||
  fail "agent_loop (escape) exited with $?"
echo "$out"
grep -q '^turn 1: write_file .* -> error: `path` must be a relative path inside the project$' <<<"$out" ||
  fail "an escaping path was not refused"
[ ! -e "$WORK/outside.txt" ] || fail "a file was written outside the project"
echo "agent loop: fix, rescued create and sandbox all behaved"
