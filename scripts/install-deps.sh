#!/bin/bash
# Installs the Debian 12 packages libharness builds, tests and runs with (root, apt).
# Quiet when everything is already there, so the test script can call it every time.
set -euo pipefail
PKGS="g++ cmake ninja-build pkg-config ccache libcpp-httplib-dev libsimdjson-dev rapidjson-dev
      libcurl4-openssl-dev libtomlplusplus-dev catch2 libfmt-dev libcli11-dev libbenchmark-dev
      python3 curl nodejs npm bc"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "== installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
