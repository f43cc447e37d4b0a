#!/usr/bin/env python3
"""Draws the side-by-side chart of a compare.sh results directory with gnuplot.

Usage: bench/server/chart.py RESULTS_DIR OUT.png

Three panels, one bar per target (medians over the runs in RESULTS_DIR/runs.tsv): the highest
non-streaming rate on one core (c=64, log scale), the p50 latency at a fixed 100 requests per
second, and the streaming time to first byte with the upstream pacing events 1 ms apart.
The upstream is the kit's fake (simulated); the figures are this machine's.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile


def medians(path):
    values = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 4:
            continue
        target, test, _, fields = parts[0], parts[1], parts[2], parts[3]
        kv = dict(re.findall(r"(\w+)=([0-9.]+)", fields))
        for key in ("rps", "p50_ms", "ttfb_p50_ms"):
            if key in kv:
                values.setdefault((target, test, key), []).append(float(kv[key]))
    return {k: statistics.median(v) for k, v in values.items()}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    results, out = sys.argv[1], sys.argv[2]
    m = medians(os.path.join(results, "runs.tsv"))
    targets = []
    for (target, _, _) in m:
        if target not in targets:
            targets.append(target)
    order = ["direct-openai", "direct-anthropic", "relay", "curl-relay", "mine", "mine-anth", "mine-oa2an", "mine-an2oa"]
    targets.sort(key=lambda t: (order.index(t) if t in order else len(order), t))
    rows = []
    for t in targets:
        label = t.replace("mine", "harness")
        rows.append((label, m.get((t, "max", "rps"), 0), m.get((t, "rate100", "p50_ms"), 0),
                     m.get((t, "paced", "ttfb_p50_ms"), 0)))
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.tsv")
        with open(data, "w") as f:
            for i, (label, rps, p50, ttfb) in enumerate(rows):
                f.write(f"{i}\t\"{label}\"\t{max(rps, 1):.0f}\t{p50:.3f}\t{ttfb:.3f}\n")
        script = f"""
set terminal pngcairo size 1500,560 font ",10"
set output "{out}"
set multiplot layout 1,3 title "LLM gateways side by side (one core each, simulated upstream, loopback)"
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set xtics rotate by -40 nomirror
set key off
set title "max non-streaming RPS, c=64 (log)"
set logscale y
plot "{data}" using 1:3:xtic(2) with boxes lc rgb "#3a7bd5"
unset logscale y
set title "p50 latency at 100 RPS (ms)"
plot "{data}" using 1:4:xtic(2) with boxes lc rgb "#e0703a"
set title "streaming TTFB p50, events paced 1 ms (ms, log)"
set yrange [0.05:*]
set logscale y
plot "{data}" using 1:5:xtic(2) with boxes lc rgb "#4caf50"
unset multiplot
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
