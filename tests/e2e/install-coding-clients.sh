#!/bin/bash
# Installs the pinned coding-agent CLIs the e2e drivers run (Claude Code, Codex) into a cache
# dir, one npm prefix per client. Needs only the npm registry; a second run with the same
# versions does nothing (no network).
# Usage: install-coding-clients.sh [claude|codex]...   (default: both)
# Env:   HARNESS_CLIENTS_DIR (default $HOME/.cache/harness-clients)
# Prints nothing on a cache hit; exits non-zero when npm fails.
set -euo pipefail
CLIENTS_DIR="${HARNESS_CLIENTS_DIR:-$HOME/.cache/harness-clients}"

# Verified on Debian 12, Node 20.20, npm 11.19. Both ship a native binary as an optional
# dependency (@anthropic-ai/claude-code-linux-x64, @openai/codex-linux-x64): Claude Code's
# `engines: node>=22` warning is harmless, the binary does not use Node.
CLAUDE_PKG="@anthropic-ai/claude-code@2.1.332"
CODEX_PKG="@openai/codex@0.171.0"

install_one() {  # install_one DIR PKG@VERSION BIN
  local dir="$CLIENTS_DIR/$1" pkg="$2" bin="$3"
  local stamp="$dir/.installed"
  if [ -x "$dir/node_modules/.bin/$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$pkg" ]; then
    return 0
  fi
  mkdir -p "$dir"
  rm -f "$stamp"
  [ -f "$dir/package.json" ] || echo '{"name":"harness-e2e-'"$1"'","private":true}' > "$dir/package.json"
  echo "== npm install $pkg (into $dir)"
  # --no-save keeps package.json stable; the exact version is the pin.
  (cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error "$pkg")
  [ -x "$dir/node_modules/.bin/$bin" ] || { echo "no $bin binary after installing $pkg" >&2; return 1; }
  echo "$pkg" > "$stamp"
}

for client in ${*:-claude codex}; do
  case "$client" in
    claude) install_one claude "$CLAUDE_PKG" claude ;;
    codex) install_one codex "$CODEX_PKG" codex ;;
    *) echo "unknown client: $client (claude|codex)" >&2; exit 64 ;;
  esac
done
