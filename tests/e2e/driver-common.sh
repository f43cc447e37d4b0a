# Sourced by claude-code.sh and codex.sh (not executable on its own): client lookup, a
# throw-away sandbox, the prompt, pass/fail with the exit codes of ../shared/acceptance.

CLIENTS_DIR="${HARNESS_CLIENTS_DIR:-$HOME/.cache/harness-clients}"
DRIVER_TIMEOUT="${DRIVER_TIMEOUT:-60}"
PROMPT="${PROMPT:-Create a file named hello.txt in the current directory containing a one-line greeting. Use your file-writing tool, then reply with one short sentence.}"

pass() { echo "PASS $DRIVER ($*)"; exit 0; }
fail() { echo "FAIL $DRIVER: $*" >&2; exit 1; }

# client_bin NAME DIR -> the binary installed by install-coding-clients.sh, else exit 3's message
client_bin() {
  local bin="$CLIENTS_DIR/$2/node_modules/.bin/$1"
  if [ -x "$bin" ]; then echo "$bin"; return 0; fi
  echo "MISSING: $1 not installed; run $(dirname "${BASH_SOURCE[0]}")/install-coding-clients.sh $2" >&2
  return 1
}

# make_sandbox NAME -> $SANDBOX/{home,work}; HOME points into it (the client writes its state there)
make_sandbox() {
  SANDBOX="$(mktemp -d "${TMPDIR:-/tmp}/harness-$1.XXXXXX")"
  mkdir -p "$SANDBOX/home" "$SANDBOX/work"
  HOME="$SANDBOX/home"
  WORK="$SANDBOX/work"
  if [ -z "${KEEP_SANDBOX:-}" ]; then trap 'rm -rf "$SANDBOX"' EXIT; else echo "sandbox: $SANDBOX" >&2; fi
}

# check_file -> $WORK/hello.txt exists, with $EXPECT_CONTENT exactly when that is set
check_file() {
  [ -s "$WORK/hello.txt" ] || fail "hello.txt was not created in $WORK (no tool call, or it failed)"
  if [ -n "${EXPECT_CONTENT+x}" ] && [ "$(cat "$WORK/hello.txt"; echo x)" != "${EXPECT_CONTENT}x" ]; then
    fail "hello.txt holds $(head -c 200 "$WORK/hello.txt" | od -c | head -3), expected '$EXPECT_CONTENT'"
  fi
}
