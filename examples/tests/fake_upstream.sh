# shellcheck shell=bash
# Sourced by the example tests: starts harness-fake-upstream on a free loopback port.
# start_fake_upstream BIN WORKDIR: sets FAKE_URL (http://127.0.0.1:PORT); on exit the upstream
# is stopped and WORKDIR removed.
start_fake_upstream() {
  local bin=$1 work=$2
  "$bin" --port 0 --port-file "$work/port" >"$work/fake.log" 2>&1 &
  FAKE_PID=$!
  # shellcheck disable=SC2064  # expand now: the values of this call
  trap "kill $FAKE_PID 2>/dev/null; wait $FAKE_PID 2>/dev/null; rm -rf '$work'" EXIT
  for _ in $(seq 100); do
    [ -s "$work/port" ] && break
    sleep 0.1
  done
  [ -s "$work/port" ] || { cat "$work/fake.log"; echo "FAIL: fake upstream did not start" >&2; exit 1; }
  FAKE_URL="http://127.0.0.1:$(cat "$work/port")"
  export FAKE_URL
}
