#!/bin/bash
# Writes the fuzz targets' seed corpus (one directory per target) into OUT, from the golden
# files, the captures and the shared rescue corpus. Used by fuzz/run.sh (libFuzzer) and by the
# corpus replay tests of the normal build (fuzz/replay.sh).
set -euo pipefail
OUT="$(realpath -m "${1:?usage: make_corpus.sh OUT_DIR}")"
cd "$(dirname "$0")/.."
mkdir -p "$OUT"
seed() {  # seed DIR FILES...
  local dir="$OUT/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do cp "$f" "$dir/" 2>/dev/null || true; done
}
seed rescue tests/data/golden/*.json
seed repair tests/data/golden/*.json
seed config tests/data/config/*.toml tests/data/config/*/*.toml examples/*.toml
python3 - "$OUT" "${HARNESS_SHARED_DIR:-../shared}/conformance/rescue-corpus.jsonl" <<'PY' || true
import glob, json, os, sys
out, src = sys.argv[1], sys.argv[2]
os.makedirs(out + "/rescue", exist_ok=True)
for i, line in enumerate(open(src)):
    open(os.path.join(out, "rescue", "line%03d" % i), "w").write(json.loads(line)["text"])
PY
python3 - "$OUT" <<'PY'
# framing: byte 0 = chunking seed (+ bound when >= 0x80), then a recorded stream.
# gateway: client dialect, upstream dialect, client flags, then "client body\n%%\n" + per
# attempt "status byte, chunk byte, upstream body" (see fuzz/gateway_fuzz.cpp).
import glob, os, sys
out = sys.argv[1]
def put(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    open(os.path.join(out, target, name), "wb").write(data)
streams = sorted(glob.glob("tests/data/captures/*.sse") + glob.glob("tests/data/streams/*"))
# codec: byte 0 = dialect (bits 0-1), then a JSON body; every body under every dialect.
for path in sorted(glob.glob("tests/data/captures/*.json") + glob.glob("tests/data/golden/*.json")):
    body = open(path, "rb").read()
    for d in range(4):
        put("codec", "%s.%d" % (os.path.basename(path), d), bytes([d]) + body)
# stream: byte 0 = upstream dialect (bits 0-1), client dialect (2-3), chunk length - 1 (4-7).
for i, path in enumerate(streams):
    body = open(path, "rb").read()
    for pair in range(16):
        pick = pair | (((i + pair) * 5 % 16) << 4)
        put("stream", "%s.%d" % (os.path.basename(path), pair), bytes([pick]) + body)
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
