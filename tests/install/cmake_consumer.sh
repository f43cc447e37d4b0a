#!/usr/bin/env bash
# Configures, builds and runs a consumer project against an installed prefix, the way an
# embedder would (find_package(harness)), then checks what it printed.
# Usage: cmake_consumer.sh CMAKE GENERATOR CXX PREFIX SOURCE_DIR WORK_DIR PROGRAM PATTERN... [-- PROGRAM PATTERN...]
#   Each PROGRAM is run from the build dir; each of its PATTERNs (grep -E) must match its output.
set -euo pipefail
cmake=$1 generator=$2 cxx=$3 prefix=$4 src=$5 work=$6
shift 6

rm -rf "$work"
mkdir -p "$(dirname "$work")"
"$cmake" -S "$src" -B "$work" -G "$generator" -DCMAKE_CXX_COMPILER="$cxx" \
         -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >"$work.configure.log" 2>&1 ||
  { cat "$work.configure.log"; echo "FAIL: configure" >&2; exit 1; }
"$cmake" --build "$work" -v >"$work.build.log" 2>&1 ||
  { cat "$work.build.log"; echo "FAIL: build" >&2; exit 1; }
run() {  # run PROGRAM PATTERN...
  local program=$1 out
  shift
  out=$("$work/$program") || { rc=$?; echo "$out"; echo "FAIL: $program exited with $rc" >&2; exit 1; }
  echo "$out"
  for pattern in "$@"; do
    grep -Eq -- "$pattern" <<<"$out" || { echo "FAIL: $program output lacks /$pattern/" >&2; exit 1; }
  done
}
args=()
for a in "$@" --; do
  if [ "$a" = "--" ]; then
    run "${args[@]}"
    args=()
  else
    args+=("$a")
  fi
done
