#!/bin/bash
# Installs what is needed, builds, and starts the proxy on 127.0.0.1:8081.
# Without arguments it runs on the embedded default config (local Ollama, plus Anthropic/OpenAI
# routes for the keys in the environment); pass `--config harness.toml` for your own.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/harness-ccache}"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DHARNESS_BUILD_TESTS=OFF >/dev/null
cmake --build build/release --target harness-server harness-cli -j "$(nproc)"
exec build/release/server/harness-server "$@"
