#!/usr/bin/env bash
# An agent that only wants `rescue` links only the core: builds core_only/ against the prefix,
# then checks its link line and the program's dynamic dependencies for curl and the other
# components. That the core asks for no threads is checked in core_only/CMakeLists.txt and by
# install_tree.sh on the exported interface (Debian's simdjson brings Threads on its own).
# Usage: core_only.sh CMAKE GENERATOR CXX PREFIX SOURCE_DIR WORK_DIR
set -euo pipefail
here=$(dirname "$0")
cmake=$1 generator=$2 cxx=$3 prefix=$4 src=$5 work=$6

"$here/cmake_consumer.sh" "$cmake" "$generator" "$cxx" "$prefix" "$src" "$work" rescue_only \
  '^call read_file \{"path":"a.txt"\} \(hermes\)$' '^content: Let me look\.$'

fail() { echo "FAIL: $*" >&2; exit 1; }
link=$(grep -E -- '-o rescue_only( |$)' "$work.build.log" | tail -1)
[ -n "$link" ] || fail "no link line for rescue_only in $work.build.log"
echo "link line: $link"
grep -q 'libharness\.a' <<<"$link" || fail "the core is not on the link line"
! grep -Eq 'curl|libharness_' <<<"$link" || fail "the link line pulls more than the core"
needed=$(readelf -d "$work/rescue_only") || fail "readelf"
! grep -q 'NEEDED.*curl' <<<"$needed" || fail "rescue_only needs libcurl"
echo "core only: no libcurl, no other component (and harness::harness asks for no threads)"
