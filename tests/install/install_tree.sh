#!/usr/bin/env bash
# Installs the build into a fresh prefix and checks the tree an embedder gets.
# Usage: install_tree.sh CMAKE BUILD_DIR PREFIX VERSION
set -euo pipefail
cmake=${1:?usage: install_tree.sh CMAKE BUILD_DIR PREFIX VERSION}
build=${2:?}
prefix=${3:?}
version=${4:?}

rm -rf "$prefix"
"$cmake" --install "$build" --prefix "$prefix" >/dev/null

fail() { echo "FAIL: $*" >&2; exit 1; }
libdir=$(dirname "$(find "$prefix" -name libharness.a | head -1)")
[ -f "$libdir/libharness.a" ] || fail "libharness.a not installed"
for f in harness.h result.h rescue.h gateway.h transport.h curl_transport.h version.h; do
  [ -f "$prefix/include/harness/$f" ] || fail "include/harness/$f not installed"
done
grep -q "#define HARNESS_VERSION_STRING \"$version\"" "$prefix/include/harness/version.h" ||
  fail "installed version.h does not say $version"
cmakedir="$libdir/cmake/harness"
for f in harnessConfig.cmake harnessConfigVersion.cmake harness-targets.cmake; do
  [ -f "$cmakedir/$f" ] || fail "$f not installed"
done
[ -f "$libdir/pkgconfig/harness.pc" ] || fail "harness.pc not installed"
# Every component library comes with its targets file and its .pc file.
for lib in "$libdir"/libharness_*.a; do
  c=$(basename "$lib" .a)
  c=${c#libharness_}
  [ -f "$cmakedir/harness-$c-targets.cmake" ] || fail "harness-$c-targets.cmake missing"
  [ -f "$libdir/pkgconfig/harness-$c.pc" ] || fail "harness-$c.pc missing"
done
for c in gateway curl; do
  [ -f "$libdir/libharness_$c.a" ] || fail "component $c not installed"
done
# RapidJSON is internal: neither the exported targets nor the headers may mention it.
! grep -rqi rapidjson "$cmakedir" "$libdir/pkgconfig" "$prefix/include/harness" ||
  fail "RapidJSON leaks into the installed interface"
# The core's exported link interface: its three libraries, link-only; no curl, no threads.
core_link=$(grep -A8 'set_target_properties(harness::harness' "$cmakedir/harness-targets.cmake" |
            grep INTERFACE_LINK_LIBRARIES)
for dep in simdjson::simdjson fmt::fmt tomlplusplus::tomlplusplus; do
  grep -q "\\\$<LINK_ONLY:$dep>" <<<"$core_link" || fail "core does not export $dep as LINK_ONLY"
done
! grep -Eqi 'curl|thread' <<<"$core_link" || fail "core exports curl or threads: $core_link"
echo "installed $(find "$prefix" -type f | wc -l) files into $prefix"
