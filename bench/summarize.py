#!/usr/bin/env python3
"""Summarise a harness-bench JSON report as Markdown tables with the targets.

Usage: bench/summarize.py [build/bench/results.json]
Rates are in MiB/s (2^20 bytes/s of input), as Google Benchmark prints them; targets are
compared on raw bytes/s (300 MB/s = 300e6 B/s);
with --benchmark_repetitions the median aggregate is used.
"""
import json
import re
import sys

TARGETS = [
    (re.compile(r"^codec/(scaling/)?translate_(request|response)/"), 300e6, ">= 300 MB/s"),
    (re.compile(r"^stream/translate/"), 200e6, ">= 200 MB/s"),
    (re.compile(r"^rescue/no_marker_prose/"), 1e9, ">= 1 GB/s"),
    (re.compile(r"^BM_rescue_prose_"), 1e9, ">= 1 GB/s"),
]


def target_of(name):
    for rx, value, text in TARGETS:
        if rx.search(name):
            return value, text
    return None, ""


def load(path):
    with open(path) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            rows[b["run_name"]] = dict(b, error=True)
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        rows[b["run_name"]] = b
    return data["context"], list(rows.values())


def fmt_rate(bps):
    if bps is None:
        return "-"
    return f"{bps / 2**30:.2f} GiB/s" if bps >= 2**30 else f"{bps / 2**20:.0f} MiB/s"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "build/bench/results.json"
    ctx, rows = load(path)
    print(f"<!-- {ctx.get('date')} {ctx.get('host_name')} cpus={ctx.get('num_cpus')} "
          f"load={ctx.get('load_avg')} -->")
    print("| benchmark | input | throughput | CPU per call / event | allocs | target | met |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- |")
    for b in rows:
        name = b["run_name"]
        if b.get("error"):
            print(f"| `{name}` | | ERROR: {b.get('error_message', '')} | | | | |")
            continue
        bps = b.get("bytes_per_second")
        unit = b.get("time_unit", "ns")
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]
        t_ns = b["cpu_time"] * scale  # CPU time: robust on a shared machine, as the rates
        if "ns_per_event" in b:
            per = f"{b['ns_per_event']:.0f} ns/event"
            allocs = f"{b.get('allocs_per_event', 0):.2f}/event"
        else:
            per = f"{t_ns / 1e3:.1f} us" if t_ns < 1e6 else f"{t_ns / 1e6:.2f} ms"
            allocs = f"{b['allocs_per_call']:.0f}/call" if "allocs_per_call" in b else "-"
        tval, ttext = target_of(name)
        met = "" if tval is None or bps is None else ("yes" if bps >= tval else "**no**")
        print(f"| `{name}` | {b.get('label', '')} | {fmt_rate(bps)} | {per} | {allocs} | "
              f"{ttext} | {met} |")


if __name__ == "__main__":
    main()
