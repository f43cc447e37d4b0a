#!/usr/bin/env python3
"""Sort harness-server CPU samples into coarse cost buckets.

Input: `perf script -F comm,tid,ip,sym` of a `perf record --call-graph dwarf` run (stdin).
Each sample's stack (leaf first) goes to the first bucket that matches, per thread kind:
http (the event loop of server/front), curl (the transport's I/O thread) or other.
"""
import collections
import re
import sys

CODEC = [  # the frame closest to the leaf wins
    ("decode_request", "codec: decode client request"),
    ("encode_request", "codec: encode upstream request"),
    ("decode_response", "codec: decode upstream response"),
    ("encode_response", "codec: encode client response"),
    ("_decoder", "codec: stream decode (upstream SSE -> events)"),
    ("_encoder", "codec: stream encode (events -> client SSE)"),
    ("encode_error", "codec: encode error"),
]
LOCK = ("futex", "pthread_cond", "pthread_mutex", "__lll_lock", "schedule", "finish_task_switch",
        "try_to_wake_up")
SOCK = ("sendto", "recvfrom", "sys_read", "sys_write", "__poll", "do_sys_poll", "sys_poll", "epoll",
        "tcp_", "sock_", "sys_recv", "sys_send", "__libc_send", "__libc_recv", "select",
        "getsockname", "getpeername", "sys_connect", "__sys_accept")
MALLOC = ("malloc", "free", "_int_", "tcache", "unlink_chunk", "operator new", "operator delete",
          "consolidate", "realloc")
OBJECTS = ("~exchange", "chat_request::chat_request", "~chat_request", "~vector<harness",
           "exchange::", "~transfer")


def samples(f):
    cur = []
    for line in f:
        line = line.rstrip("\n")
        if not line.strip():
            if cur:
                yield cur
            cur = []
            continue
        if line[0] not in " \t":
            cur = []
            continue
        parts = line.strip().split(None, 1)
        sym = parts[1] if len(parts) > 1 else parts[0]
        cur.append(re.sub(r"\s+\(.*\)$", "", sym))
    if cur:
        yield cur


def bucket(st):
    s = " | ".join(st)
    if "front_loop::run" in s:
        thread = "http"
    elif "curl_transport::run" in s:
        thread = "curl"
    else:
        thread = "other"
    codec, best = None, len(st)
    for i, frame in enumerate(st):
        for key, name in CODEC:
            if key in frame and i < best:
                best, codec = i, name
    leaf = st[0] if st else ""
    mall = any(k in leaf for k in MALLOC)
    if codec:
        return thread, codec + (" [malloc/free]" if mall else "")
    if any(k in s for k in LOCK):
        return thread, "futex / wake-ups / context switches"
    if any(k in s for k in SOCK):
        return thread, "socket syscalls (send/recv/poll)"
    if any(k in s for k in OBJECTS):
        return thread, "request objects: copy / destroy / bridge"
    if mall:
        return thread, "malloc/free outside the codec"
    if "curl_" in s or "Curl_" in s:
        return thread, "libcurl (setup, parsing, multi loop)"
    if "harness_server::" in s:
        return thread, "front (HTTP parsing, routing, writing)"
    return thread, "other"


def main():
    per = collections.Counter()
    n = 0
    for st in samples(sys.stdin):
        per[bucket(st)] += 1
        n += 1
    if not n:
        print("no samples")
        return
    threads = collections.Counter()
    for (t, _), v in per.items():
        threads[t] += v
    print("| thread | bucket | share of server CPU |")
    print("|---|---|---|")
    for (t, b), v in per.most_common():
        if 100 * v / n >= 0.5:
            print(f"| {t} | {b} | {100 * v / n:.1f} % |")
    print("| | **per thread kind** | " + ", ".join(f"{t} {100 * v / n:.0f} %" for t, v in threads.most_common()) + " |")
    print(f"\n{n} samples")


if __name__ == "__main__":
    main()
