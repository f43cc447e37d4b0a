#!/usr/bin/env bash
# bench/load.sh: load and leak check of harness-server (issue 9, "Load and soak"): c=64 for
# 10,000 requests per round (half streaming) through the proxy to the kit's fast fake upstream,
# RSS per round (flat after warm-up), p50/p99, then 64 and 256 concurrent streams held.
# Everything is in bench/server/load.sh (its header lists the knobs: N, C, ROUNDS, STREAMS, PORT,
# UPSTREAM_PORT, PIN, SKIP_BUILD, OUT, SERVER_ENV). Exit status 1 on any error or growth.
exec "$(dirname "${BASH_SOURCE[0]}")/server/load.sh" "$@"
