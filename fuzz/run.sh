#!/bin/bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 10),
# seeded from the golden files. Long runs: fuzz/run.sh 3600 [target...]. Any crash fails the
# script and leaves its reproducer in $FUZZ_BUILD_DIR/artifacts/. FUZZ_BUILD_DIR defaults to
# build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-10}"
shift || true
ALL_TARGETS=(rescue repair codec stream framing config gateway)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
B="${FUZZ_BUILD_DIR:-build/fuzz}"
command -v clang++ >/dev/null || { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
cmake -S . -B "$B" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DHARNESS_FUZZ=ON -DHARNESS_SANITIZE=ON -DHARNESS_BUILD_TESTS=OFF -DHARNESS_BUILD_SERVER=OFF \
      -DHARNESS_BUILD_CLI=OFF -DHARNESS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$B" -j "$(nproc)" --target "${TARGETS[@]/#/fuzz_}"
mkdir -p "$B/artifacts"
seed() {  # seed DIR FILES...
  local dir="$B/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do cp "$f" "$dir/" 2>/dev/null || true; done
}
seed codec tests/data/captures/*.json tests/data/golden/*.json
seed stream tests/data/captures/*.sse tests/data/streams/*
seed rescue tests/data/golden/*.json
seed repair tests/data/golden/*.json
seed config tests/data/config/*.toml tests/data/config/*/*.toml examples/*.toml
python3 - "$PWD/$B/corpus" "${HARNESS_SHARED_DIR:-../shared}/conformance/rescue-corpus.jsonl" <<'PY' || true
import glob, json, os, sys
out, src = sys.argv[1], sys.argv[2]
os.makedirs(out + "/rescue", exist_ok=True)
for i, line in enumerate(open(src)):
    open(os.path.join(out, "rescue", "line%03d" % i), "w").write(json.loads(line)["text"])
PY
python3 - "$PWD/$B/corpus" <<'PY'
# framing: byte 0 = chunking seed (+ bound when >= 0x80), then a recorded stream.
# gateway: client dialect, upstream dialect, client flags, then "client body\n%%\n" + per
# attempt "status byte, chunk byte, upstream body" (see fuzz/gateway_fuzz.cpp).
import glob, os, sys
out = sys.argv[1]
def put(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    open(os.path.join(out, target, name), "wb").write(data)
streams = sorted(glob.glob("tests/data/captures/*.sse") + glob.glob("tests/data/streams/*"))
for i, path in enumerate(streams):
    body = open(path, "rb").read()
    for seed in (0, 1, 2, 3, 0x81):
        put("framing", "%s.%d" % (os.path.basename(path), seed), bytes([seed]) + body)
clients = {0: "openai-sdk-0[1-3]", 1: "anthropic-sdk-0[1-2]", 3: "codex-0[1-2]"}
upstreams = {0: ["openai-chat-text", "openai-chat-tool_call"],
             1: ["anthropic-messages-text", "anthropic-messages-tool_use"]}
sep = b"\n%%\n"
for c, pattern in clients.items():
    for req in sorted(glob.glob("tests/data/captures/%s.request.json" % pattern)):
        body = open(req, "rb").read()
        for u, names in upstreams.items():
            for n in names:
                for ext in ("response.json", "stream.sse"):
                    up = open("tests/data/captures/%s.%s" % (n, ext), "rb").read()
                    name = "%s-%s.%s" % (os.path.basename(req)[:-13], n, ext)
                    put("gateway", name, bytes([c, u, 0]) + body + sep + b"\x00\x07" + up)
                # a 429 first, then the answer (retry); a stream cut by the transport
                put("gateway", name + ".retry", bytes([c, u, 0]) + body + sep +
                    b"\x0a\x00{\"error\":{\"message\":\"slow down\"}}" + sep + b"\x00\x40" + up)
                put("gateway", name + ".cut", bytes([c, u, 0x21]) + body + sep + b"\x40\x03" + up)
    ollama = open("tests/data/streams/ollama-tool-call.ndjson", "rb").read()
    put("gateway", "ollama-%d" % c, bytes([c, 2, 0]) + b'{"model":"plain","stream":true,'
        b'"messages":[{"role":"user","content":"hi"}],"max_tokens":9}' + sep + b"\x00\x05" + ollama)
PY
status=0
for t in "${TARGETS[@]}"; do
  echo "== fuzz_$t for ${SECONDS_PER_TARGET}s"
  mkdir -p "$B/corpus/$t"
  if ! ASAN_OPTIONS=detect_leaks=1 "$B/fuzz/fuzz_$t" "$B/corpus/$t" -max_total_time="$SECONDS_PER_TARGET" \
       -max_len=65536 -timeout=30 -artifact_prefix="$B/artifacts/" -print_final_stats=1 2>"$B/$t.log"; then
    status=1; tail -30 "$B/$t.log"
  fi
  grep -E "stat::number_of_executed_units|Done" "$B/$t.log" | tail -2
done
exit $status
