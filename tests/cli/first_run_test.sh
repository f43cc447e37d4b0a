#!/usr/bin/env bash
# First run (issue #14): init against the fake Ollama writes a config check-config accepts and
# that serves a tool call; connect prints each client's format with exactly the config's names
# and --write merges with a backup; the start-up table and /health flag a route without a key
# or an unreachable upstream; a port in use says which port and how to change it.
# Usage: first_run_test.sh HARNESS_CLI HARNESS_SERVER FAKE_UPSTREAM
set -euo pipefail

cli=${1:?usage: first_run_test.sh HARNESS_CLI HARNESS_SERVER FAKE_UPSTREAM}
server=${2:?}
fake=${3:?}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
wait_port() {  # file -> port
  for _ in $(seq 1 100); do
    [[ -s $1 ]] && { cat "$1"; return; }
    sleep 0.05
  done
  fail "no port in $1"
}
# No real keys from the environment running the test.
unset ANTHROPIC_API_KEY OPENAI_API_KEY OPENROUTER_API_KEY OLLAMA_API_KEY OLLAMA_HOST
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
unset CODEX_HOME CLAUDE_CONFIG_DIR

"$fake" --port 0 --port-file "$work/fake.port" >"$work/fake.log" 2>&1 &
pids+=($!)
fake_url=http://127.0.0.1:$(wait_port "$work/fake.port")

# --- init: a .env in the current directory supplies one key (name only in the output).
mkdir -p "$work/proj" && cd "$work/proj"
printf 'OPENROUTER_API_KEY=sk-or-secret-value\nexport EMPTY_ONE=""\n' >.env
"$cli" init --ollama-url "$fake_url" >"$work/init.out" || fail "init exited with $?"
[[ -f harness.toml ]] || fail "init wrote no harness.toml"
grep -q sk-or-secret-value harness.toml "$work/init.out" && fail "init leaked a key value"
"$cli" check-config harness.toml >/dev/null || fail "check-config rejects init's config"
python3 - harness.toml <<'PY' || fail "init's routes or policies are wrong"
import sys, tomllib
cfg = tomllib.load(open(sys.argv[1], "rb"))
routes = {m["name"]: m for m in cfg["models"]}
errors = []
# One route per model the fake Ollama lists (/api/tags), ":latest" dropped from the name.
for name in ("frontier", "qwen32b-text", "qwen7b", "chatonly", "echo"):
    if routes.get(name, {}).get("model") != name + ":latest":
        errors.append("no route for " + name)
# /api/show capabilities decide the policy: tools -> native (+rescue), none -> emulated.
if routes["frontier"].get("policy") not in ("native", "rescue"): errors.append("frontier policy")
if routes["chatonly"].get("policy") != "emulate_tools": errors.append("chatonly policy")
if not cfg["providers"]["local"]["base_url"].startswith("http://127.0.0.1:"):
    errors.append("local base_url")
# The key from .env gives OpenRouter routes; keys not found give none.
if cfg["providers"].get("openrouter", {}).get("api_key_env") != "OPENROUTER_API_KEY": errors.append("openrouter provider")
for p in ("anthropic", "openai", "ollama_cloud"):
    if p in cfg["providers"]: errors.append(p + " added without a key")
if cfg.get("default_model") not in routes: errors.append("default_model")
text = open(sys.argv[1]).read()
for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY", "OLLAMA_API_KEY"):
    if key not in text: errors.append("expected key " + key + " not listed")
if errors: sys.exit("; ".join(errors))
PY

# Refuses to overwrite; --force replaces.
cp harness.toml "$work/first.toml"
echo "# mine" >>harness.toml
set +e
"$cli" init --ollama-url "$fake_url" 2>"$work/refuse.err"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "init over an existing file exited $rc, want 2"
grep -q -- "--force" "$work/refuse.err" || fail "refusal does not mention --force"
tail -1 harness.toml | grep -q "# mine" || fail "init changed an existing file"
"$cli" init --force --ollama-url "$fake_url" >/dev/null || fail "init --force failed"
cmp -s harness.toml "$work/first.toml" || fail "init --force did not rewrite the file"

# --- the config serves a tool call.
"$server" --config harness.toml --port 0 --port-file "$work/s1.port" --quiet 2>"$work/s1.log" &
pids+=($!)
s1=http://127.0.0.1:$(wait_port "$work/s1.port")
curl -s "$s1/v1/chat/completions" -H 'content-type: application/json' -d '{
  "model":"frontier","messages":[{"role":"user","content":"create hello.txt"}],
  "tools":[{"type":"function","function":{"name":"write","parameters":{"type":"object",
  "properties":{"file_path":{"type":"string"},"content":{"type":"string"}},
  "required":["file_path","content"]}}}]}' >"$work/call.json"
python3 - "$work/call.json" <<'PY' || fail "no tool call through init's config: $(cat "$work/call.json")"
import json, sys
r = json.load(open(sys.argv[1]))
call = r["choices"][0]["message"]["tool_calls"][0]["function"]
assert call["name"] == "write" and json.loads(call["arguments"])["file_path"] == "hello.txt"
PY

# --- connect: each client's format, exactly the config's concrete names.
for client in opencode crush claude-code codex cursor; do
  "$cli" connect "$client" --config harness.toml >"$work/$client.out" || fail "connect $client"
  "$cli" connect "$client" --url "$s1" >"$work/$client.url.out" || fail "connect $client --url"
done
python3 - harness.toml "$work" "$s1" <<'PY' || fail "connect output is wrong"
import json, sys, tomllib
cfg = tomllib.load(open(sys.argv[1], "rb"))
w, url = sys.argv[2], sys.argv[3]
names = [m["name"] for m in cfg["models"] if not m["name"].endswith("*")]
base = "http://127.0.0.1:%d" % cfg["server"]["port"]
errors = []
def check(cond, what):
    if not cond: errors.append(what)
for suffix, root in ((".out", base), (".url.out", url)):
    oc = json.load(open(w + "/opencode" + suffix))
    p = oc["provider"]["harness"]
    check(p["npm"] == "@ai-sdk/openai-compatible", "opencode npm")
    check(p["options"]["baseURL"] == root + "/v1", "opencode baseURL " + suffix)
    check(list(p["models"]) == names, "opencode models " + suffix)
    check(oc["model"].startswith("harness/") and oc["model"][8:] in names, "opencode model")
    cr = json.load(open(w + "/crush" + suffix))["providers"]["harness"]
    check(cr["type"] == "openai-compat" and cr["base_url"] == root + "/v1", "crush provider")
    check([m["id"] for m in cr["models"]] == names, "crush models " + suffix)
    check(all(isinstance(m["context_window"], int) and m["context_window"] > 0 for m in cr["models"]), "crush windows")
    env = json.load(open(w + "/claude-code" + suffix))["env"]
    check(env["ANTHROPIC_BASE_URL"] == root, "claude base url (no /v1)")
    check(env["ANTHROPIC_MODEL"] in names and env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] in names, "claude models")
    cx = tomllib.load(open(w + "/codex" + suffix, "rb"))
    check(cx["model_providers"]["harness"]["base_url"] == root + "/v1", "codex base_url")
    check(cx["model_providers"]["harness"]["wire_api"] == "responses", "codex wire_api")
    check(cx["profiles"]["harness"]["model"] in names and cx["profiles"]["harness"]["model_provider"] == "harness", "codex profile")
    cu = open(w + "/cursor" + suffix).read()
    check(all(n in cu for n in names) and root + "/v1" in cu, "cursor instructions")
# claude: the config's default_model is the small model.
check(json.load(open(w + "/claude-code.out"))["env"]["ANTHROPIC_DEFAULT_HAIKU_MODEL"] == cfg["default_model"], "claude haiku = default_model")
if errors: sys.exit("; ".join(errors))
PY

# --- connect --write: keeps what is there, leaves a backup, replaces only its own block.
mkdir -p "$work/clients"
echo '{"theme":"dark","provider":{"other":{"npm":"x"}},"model":"other/m"}' >"$work/clients/opencode.json"
echo '{"providers":{"other":{"type":"openai"}},"options":{"debug":true}}' >"$work/clients/crush.json"
echo '{"permissions":{"allow":["Bash"]},"env":{"MY_VAR":"1"}}' >"$work/clients/settings.json"
printf '# my codex settings\nmodel = "o3"\n\n[model_providers.other]\nname = "o"\n' >"$work/clients/config.toml"
cp -r "$work/clients" "$work/originals"
"$cli" connect opencode --config harness.toml --write --target "$work/clients/opencode.json" 2>/dev/null
"$cli" connect crush --config harness.toml --write --target "$work/clients/crush.json" 2>/dev/null
"$cli" connect claude-code --config harness.toml --write --target "$work/clients/settings.json" 2>/dev/null
"$cli" connect codex --config harness.toml --write --target "$work/clients/config.toml" 2>/dev/null
# Twice: the second merge replaces the proxy's block instead of adding another.
"$cli" connect codex --config harness.toml --write --target "$work/clients/config.toml" 2>/dev/null
# Default target: the client's own file under $HOME.
"$cli" connect claude-code --config harness.toml --write 2>/dev/null
[[ -f $HOME/.claude/settings.json ]] || fail "no ~/.claude/settings.json written"
python3 - "$work" <<'PY' || fail "--write lost a key or left no backup"
import glob, json, sys, tomllib
w = sys.argv[1]
c = w + "/clients/"
errors = []
def check(cond, what):
    if not cond: errors.append(what)
oc = json.load(open(c + "opencode.json"))
check(oc["theme"] == "dark" and oc["provider"]["other"] == {"npm": "x"}, "opencode kept keys")
check(oc["model"] == "other/m", "opencode replaced the user's model")
check("harness" in oc["provider"], "opencode harness provider")
cr = json.load(open(c + "crush.json"))
check(cr["options"] == {"debug": True} and "other" in cr["providers"] and "harness" in cr["providers"], "crush merge")
st = json.load(open(c + "settings.json"))
check(st["permissions"] == {"allow": ["Bash"]} and st["env"]["MY_VAR"] == "1", "claude kept keys")
check(st["env"]["ANTHROPIC_BASE_URL"].startswith("http://127.0.0.1:"), "claude env")
cx = tomllib.load(open(c + "config.toml", "rb"))
check(cx["model"] == "o3" and cx["model_providers"]["other"]["name"] == "o", "codex kept keys")
check(cx["profiles"]["harness"]["model_provider"] == "harness", "codex profile")
for name in ("opencode.json", "crush.json", "settings.json", "config.toml"):
    backups = sorted(glob.glob(c + name + ".bak.*"))
    check(bool(backups) and open(backups[0]).read() == open(w + "/originals/" + name).read(),
          "backup of " + name)
if errors: sys.exit("; ".join(errors))
PY
# A file that does not parse is left alone (exit 2).
echo '{"broken":' >"$work/clients/bad.json"
set +e
"$cli" connect opencode --config harness.toml --write --target "$work/clients/bad.json" 2>"$work/bad.err"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "merging into broken JSON exited $rc, want 2"
[[ $(cat "$work/clients/bad.json") == '{"broken":' ]] || fail "broken file was changed"

# --- start-up table and /health flag a missing key and an unreachable upstream.
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/health.toml" <<TOML
[providers.local]
kind = "ollama"
base_url = "$fake_url"
[providers.keyless]
kind = "openai"
base_url = "$fake_url/v1"
api_key_env = "HARNESS_TEST_ABSENT_KEY"
[providers.down]
kind = "ollama"
base_url = "http://127.0.0.1:$closed_port"
[[models]]
name = "frontier"
provider = "local"
model = "frontier:latest"
[[models]]
name = "cloud-model"
provider = "keyless"
model = "frontier"
[[models]]
name = "gone"
provider = "down"
model = "frontier"
TOML
unset HARNESS_TEST_ABSENT_KEY
"$server" --config "$work/health.toml" --port 0 --port-file "$work/s2.port" --quiet 2>"$work/s2.log" &
pids+=($!)
s2port=$(wait_port "$work/s2.port")
s2=http://127.0.0.1:$s2port
grep -E '^  cloud-model .* no .*!! no key: set HARNESS_TEST_ABSENT_KEY' "$work/s2.log" >/dev/null ||
  fail "start-up table does not flag the missing key: $(cat "$work/s2.log")"
grep -E '^  frontier .* ok$' "$work/s2.log" >/dev/null || fail "table: frontier not ok"
grep -E '^  gone .*!! unreachable' "$work/s2.log" >/dev/null || fail "table: unreachable not flagged"
code=$(curl -s -o "$work/health.json" -w '%{http_code}' "$s2/health")
[[ $code == 200 ]] || fail "/health answered $code, want 200 even when degraded"
python3 - "$work/health.json" <<'PY' || fail "/health does not flag the routes: $(cat "$work/health.json")"
import json, sys
h = json.load(open(sys.argv[1]))
by = {r["name"]: r for r in h["routes"]}
assert h["status"] == "degraded"
assert by["cloud-model"]["health"] == "no_key" and "HARNESS_TEST_ABSENT_KEY" in by["cloud-model"]["detail"]
assert by["frontier"]["health"] == "ok"
assert by["gone"]["health"] == "unreachable" and by["gone"]["detail"]
PY

# The missing key's error names the variable and where a .env is looked for.
curl -s "$s2/v1/chat/completions" -H 'content-type: application/json' \
  -d '{"model":"cloud-model","messages":[{"role":"user","content":"hi"}]}' >"$work/nokey.json"
python3 -c '
import json, sys
msg = json.load(open(sys.argv[1]))["error"]["message"]
assert "HARNESS_TEST_ABSENT_KEY" in msg and ".env beside " + sys.argv[2] in msg, msg
' "$work/nokey.json" "$work/health.toml" || fail "missing-key error: $(cat "$work/nokey.json")"
# An unknown model lists the known names, prefix routes included.
curl -s "$s2/v1/chat/completions" -H 'content-type: application/json' \
  -d '{"model":"nope","messages":[{"role":"user","content":"hi"}]}' >"$work/unknown.json"
grep -q "known models: frontier, cloud-model, gone" "$work/unknown.json" ||
  fail "unknown model: $(cat "$work/unknown.json")"

# --- a port in use: which port, and how to change it.
set +e
"$server" --config "$work/health.toml" --port "$s2port" --quiet 2>"$work/busy.log"
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "a second server on a busy port did not fail"
grep -q ":$s2port" "$work/busy.log" && grep -q -- "--port" "$work/busy.log" ||
  fail "port-in-use message: $(cat "$work/busy.log")"
echo "first run: ok"
