#!/usr/bin/env python3
"""Measures how fast `generator serve` shows an edit: one page of a 1,000-page site is
changed, and the time until the open page is told to reload, and until the server returns
the changed page, is printed (median and worst of --runs edits). Target: under 50 ms.

    python3 bench/serve_latency.py [--pages 1000] [--runs 15] [--theme portal|bench] [--ours PATH]

The clock starts when the file is written and stops when the live-reload long poll answers
(the browser reloads at that moment) and when the page with the edit has been fetched.
The server's own figure (file event to pages ready) is printed beside it. With the
portal's theme (the default; the corpus pages added to its content, as in run.py) the site
has search, and how long after the last edit its index is up to date is printed too.
"""

from __future__ import annotations

import argparse
import http.client
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.dont_write_bytecode = True
import corpus  # noqa: E402
from run import find_ours, portal_site  # noqa: E402


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--ours", help="generator binary (default: target/release/generator)")
    parser.add_argument("--theme", choices=["portal", "bench"], default="portal",
                        help="the portal's own theme and content, with search (default), or bench/templates")
    args = parser.parse_args()
    ours = find_ours(args.ours, build=True)

    with tempfile.TemporaryDirectory(dir="/dev/shm") as work:
        work = Path(work)
        corpus.generate(args.pages, work)
        site = portal_site(work) if args.theme == "portal" else work / "ours"
        page = site / "content" / "bagian-001" / "halaman-0050.md"
        url = "/bagian-001/halaman-0050/"
        port = free_port()
        server = subprocess.Popen(
            [str(ours), "serve", "--root", str(site), "--port", str(port)],
            stderr=subprocess.PIPE,
            text=True,
        )
        log: list[str] = []
        ready = threading.Event()

        def read_log() -> None:
            assert server.stderr is not None
            for line in server.stderr:
                log.append(line.rstrip())
                if "serving the site at" in line:
                    ready.set()

        threading.Thread(target=read_log, daemon=True).start()
        try:
            if not ready.wait(120):
                print("serve did not start:\n" + "\n".join(log[-20:]), file=sys.stderr)
                return 1
            original = page.read_text(encoding="utf-8")
            signalled, served = [], []
            for run in range(args.runs):
                _, generation = get(port, "/__livereload?since=-1")
                answer: dict[str, float] = {}

                def poll(since: str = generation.strip()) -> None:
                    get(port, f"/__livereload?since={since}")
                    answer["at"] = time.perf_counter()

                poller = threading.Thread(target=poll)
                poller.start()
                time.sleep(0.05)  # let the poll reach the server; not part of the timing
                marker = f"Suntingan nomor {run}."
                start, seen = time.perf_counter(), len(log)
                page.write_text(original + f"\n{marker}\n", encoding="utf-8")
                poller.join(30)
                if "at" not in answer:
                    print("the live-reload poll never answered", file=sys.stderr)
                    return 1
                status, body = get(port, url)
                done = time.perf_counter()
                if status != 200 or marker not in body:
                    print(f"run {run}: the page does not show the edit (HTTP {status})", file=sys.stderr)
                    return 1
                signalled.append((answer["at"] - start) * 1000)
                served.append((done - start) * 1000)
                time.sleep(0.1)  # let the watcher settle before the next edit
            # With search, the index follows each edit in the background: how long after
            # the last edit is it up to date?
            last_edit = start
            index_after = None
            while index_after is None and time.perf_counter() - last_edit < 30:
                if any("search index updated" in line for line in log[seen:]):
                    index_after = (time.perf_counter() - last_edit) * 1000
                time.sleep(0.005)
            own = [float(m.group(1)) for line in log if (m := re.search(r"rebuilt content/\S+ .* in ([0-9.]+) ms", line))]
        finally:
            server.terminate()
            server.wait(10)

    def show(name: str, values: list[float]) -> None:
        print(f"{name:<44} median {statistics.median(values):7.1f} ms   worst {max(values):7.1f} ms")

    print(f"serve, {args.pages}-page site, {args.runs} edits of one page")
    show("server: file event -> pages rebuilt", own or [float("nan")])
    show("edit written -> reload signalled", signalled)
    show("edit written -> changed page fetched", served)
    if index_after is not None:
        print(f"{'last edit -> search index updated':<44} {index_after:7.0f} ms (once, edits in between folded)")
    verdict = "ok" if statistics.median(served) < 50 else "MISSED"
    print(f"target: changed page under 50 ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
