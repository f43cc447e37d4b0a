#!/usr/bin/env bash
# The installed package version file: 0.x accepts the same minor version only (SameMinorVersion).
# Usage: version_check.sh CMAKE PREFIX SOURCE_DIR WORK_DIR VERSION
set -euo pipefail
cmake=$1 prefix=$2 src=$3 work=$4 version=$5
IFS=. read -r major minor _ <<<"$version"

probe() {  # probe WANTED EXPECTED(1|0)
  rm -rf "$work"
  mkdir -p "$(dirname "$work")"
  "$cmake" -S "$src" -B "$work" -DCMAKE_PREFIX_PATH="$prefix" -DHARNESS_WANTED="$1" >"$work.log" 2>&1 ||
    { cat "$work.log"; echo "FAIL: configure for $1" >&2; exit 1; }
  grep -q "harness $1 found: $2" "$work.log" ||
    { cat "$work.log"; echo "FAIL: harness $1 should give found=$2" >&2; exit 1; }
  echo "harness $1: found=$2"
}
probe "$major.$minor" 1
probe "$version" 1
probe "$major.$((minor + 1))" 0
probe "$((major + 1)).0" 0
if [ "$major" -eq 0 ] && [ "$minor" -gt 0 ]; then
  probe "0.$((minor - 1))" 0  # an older minor of 0.x may have another API
fi
