#!/bin/bash
# Installs the Debian 12 packages libharness builds, tests and runs with (root, apt).
# Quiet when everything is already there, so the test script can call it every time.
set -euo pipefail
PKGS="g++ cmake ninja-build pkg-config ccache libcpp-httplib-dev libsimdjson-dev rapidjson-dev
      libcurl4-openssl-dev libtomlplusplus-dev catch2 libfmt-dev libcli11-dev libbenchmark-dev
      libmimalloc-dev curl bc"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Tools that may come from outside Debian (a newer Node.js, pyenv's Python): only install
# Debian's when the command is missing, else apt would fight the existing install.
command -v python3 >/dev/null || missing="$missing python3"
command -v npm >/dev/null || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  echo "== installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
