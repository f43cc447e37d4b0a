#!/usr/bin/env python3
"""Turn capture_server.py logs into the fixtures of this folder.

Usage: make_fixtures.py LOGROOT OUTDIR BASE_URL
  LOGROOT holds one capture_server logdir per client: log-<client>/NNNN-POST-....json
  BASE_URL is a running capture_server.py (http://127.0.0.1:PORT), used to record responses.
Requests: the logged body (capture_server parses the JSON; re-serialised here with indent=2,
key order and values kept), duplicates of the same shape dropped. Responses: the exact bytes
capture_server serves (curl -o) for a captured body with "stream" forced false / true.
"""
import glob, json, os, subprocess, sys, tempfile

CLIENTS = [  # logdir suffix, fixture prefix, client + version
    ("openai-sdk", "openai-sdk", "openai (npm) 6.49.0"),
    ("anthropic-sdk", "anthropic-sdk", "@anthropic-ai/sdk (npm) 1.13.0"),
    ("ai-sdk", "ai-sdk", "ai 6.0.326 + @ai-sdk/openai-compatible 2.0.92"),
    ("opencode", "opencode", "opencode-ai 1.18.33"),
    ("claude", "claude-code", "@anthropic-ai/claude-code 2.1.331"),
    ("codex", "codex", "@openai/codex 0.169.0"),
]


def shape(body):
    msgs = body.get("messages") or body.get("input") or []
    if isinstance(msgs, str):
        msgs = [{"role": "<string input>"}]
    def blocks(m):
        c = m.get("content")
        return [b.get("type") for b in c] if isinstance(c, list) else type(c).__name__
    return json.dumps([sorted(body), bool(body.get("stream")), len(body.get("tools") or []),
                       body.get("tool_choice"), body.get("stream_options"),
                       [[m.get("role") or m.get("type"), blocks(m), sorted(m)] for m in msgs]])


def main():
    root, out, base = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/")
    os.makedirs(out, exist_ok=True)
    index = {}
    for logname, prefix, version in CLIENTS:
        seen, n = set(), 0
        for f in sorted(glob.glob(os.path.join(root, "log-" + logname, "0*.json"))):
            rec = json.load(open(f))
            body = rec.get("body")
            if rec["method"] != "POST" or not isinstance(body, dict):
                continue
            s = shape(body)
            if s in seen:
                continue
            seen.add(s)
            n += 1
            name = "%s-%02d.request.json" % (prefix, n)
            with open(os.path.join(out, name), "w") as fh:
                json.dump(body, fh, indent=2, ensure_ascii=False)
                fh.write("\n")
            index[name] = {"method": "POST", "route": rec["path"], "query": rec["query"],
                           "client": version, "user_agent": rec["headers"].get("User-Agent"),
                           "stream": bool(body.get("stream")), "tools": len(body.get("tools") or []),
                           "source": os.path.basename(f)}
    # responses: (dialect-case, request fixture whose body is replayed)
    cases = [("openai-chat-tool_call", "opencode-02.request.json"),
             ("openai-chat-text", "opencode-03.request.json"),
             ("anthropic-messages-tool_use", "claude-code-01.request.json"),
             ("anthropic-messages-text", "claude-code-02.request.json"),
             ("openai-responses-function_call", "codex-01.request.json"),
             ("openai-responses-text", "codex-02.request.json")]
    for case, req in cases:
        meta = index[req]
        body = json.load(open(os.path.join(out, req)))
        url = base + meta["route"] + ("?" + meta["query"] if meta["query"] else "")
        for stream, suffix in ((False, "response.json"), (True, "stream.sse")):
            b = dict(body, stream=stream)
            if not stream:
                b.pop("stream_options", None)
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as t:
                json.dump(b, t)
            name = "%s.%s" % (case, suffix)
            subprocess.run(["curl", "-sS", "--fail", "-o", os.path.join(out, name),
                            "-H", "content-type: application/json", "-H", "anthropic-version: 2023-06-01",
                            "--data-binary", "@" + t.name, url], check=True)
            os.unlink(t.name)
            index[name] = {"method": "POST", "route": meta["route"], "query": meta["query"],
                           "client": "curl replay of " + req, "stream": stream, "tools": meta["tools"],
                           "source": req}
    with open(os.path.join(out, "index.json"), "w") as fh:
        json.dump(index, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
