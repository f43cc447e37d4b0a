#!/usr/bin/env bash
# Builds the consumers with a plain g++ command line from `pkg-config --cflags --libs`, against
# the installed prefix, and runs them.
# Usage: pkg_config.sh CXX PREFIX SOURCE_DIR WORK_DIR
set -euo pipefail
cxx=$1 prefix=$2 src=$3 work=$4
fail() { echo "FAIL: $*" >&2; exit 1; }

pcdir=$(dirname "$(find "$prefix" -name harness.pc | head -1)")
export PKG_CONFIG_PATH="$pcdir"
rm -rf "$work" && mkdir -p "$work"

core=$(pkg-config --cflags --libs harness) || fail "pkg-config harness"
echo "harness: $core"
# The core's flags: its own include dir and library, and nothing of curl or threads.
found=""
for flag in $(pkg-config --cflags-only-I harness); do
  [ -f "${flag#-I}/harness/harness.h" ] && found=1
done
[ -n "$found" ] || fail "pkg-config --cflags harness names no directory holding harness/harness.h"
! grep -Eq 'curl|pthread' <<<"$core" || fail "the core's flags pull curl or threads"
# shellcheck disable=SC2086
"$cxx" -std=c++20 "$src/consumer/translate.cpp" -o "$work/translate" $core ||
  fail "g++ translate.cpp \$(pkg-config --cflags --libs harness)"
out=$("$work/translate") || fail "translate failed"
echo "$out"
grep -q '"input_schema"' <<<"$out" || fail "translate printed no Anthropic tools"
[ "$(pkg-config --modversion harness)" = "$(sed -n 's/^version //p' <<<"$out")" ] ||
  fail "harness.pc version differs from version.h"

full=$(pkg-config --cflags --libs harness-gateway harness-curl) || fail "pkg-config components"
echo "harness-gateway harness-curl: $full"
grep -q -- '-lcurl' <<<"$full" || fail "harness-curl does not bring -lcurl"
# shellcheck disable=SC2086
"$cxx" -std=c++20 "$src/consumer/gateway_models.cpp" -o "$work/gateway_models" $full ||
  fail "g++ gateway_models.cpp \$(pkg-config --cflags --libs harness-gateway harness-curl)"
out=$("$work/gateway_models") || fail "gateway_models failed"
echo "$out"
grep -q '"consumer-model"' <<<"$out" || fail "gateway_models listed no model"
grep -q '^upstream error: upstream_http 502$' <<<"$out" || fail "gateway_models got no 502 for the closed port"
