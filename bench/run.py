#!/usr/bin/env python3
"""Times our generator against Hugo, and against Hugo followed by Pagefind, on the same site.

    python3 bench/run.py [--pages 1000,10000] [--runs 5] [--theme portal|bench] [--ours PATH]

For each size N it writes the twin corpora (bench/corpus.py) to tmpfs, then builds them
alternately: ours without search against Hugo alone (the pages), and ours with its built-in
search against Hugo followed by the Pagefind CLI on Hugo's output (pages and search); one
untimed warm-up each, then --runs timed builds each. With `--theme portal` (the default) ours
builds the portal itself (its templates and content) with the corpus's sections added. It
reports the median wall time (min-max), CPU time and peak resident memory of each build, the
ratios against their targets, and how many HTML files each produced. Nothing is written into
the repository. Exit status: 0 when every build succeeded, 1 when a build failed, 2 on a setup
problem.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.dont_write_bytecode = True  # importing corpus must not leave __pycache__/ in the repository
import corpus  # noqa: E402  (lives beside this file)

# Targets, checked at every size but binding at 10,000 pages: the pages alone against Hugo
# alone, and the pages with search against Hugo followed by the Pagefind CLI.
TARGET_PAGES = 0.2
TARGET_SEARCH = 0.5

# The Pagefind CLI the search peer runs: the npm registry's prebuilt binary, unpacked once
# into a cache outside the repository.
PAGEFIND_VERSION = "1.6.0"
PAGEFIND_PACKAGE = f"@pagefind/linux-x64@{PAGEFIND_VERSION}"


class SetupError(Exception):
    """Something missing before any build could be timed (exit 2)."""


class BuildFailed(Exception):
    """A build exited non-zero (exit 1)."""


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    rss_kib: int


@dataclass
class Tool:
    name: str
    site: Path
    out: Path
    # Run one after the other (Hugo, then Pagefind on its output); wall and CPU times add
    # up, peak memory is the largest of them.
    commands: list[list[str]]
    # Paths the tool leaves behind that could speed up (or slow down) the next build.
    leftovers: list[Path] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    html_files: int = 0
    last_stderr: str = ""

    def reset(self) -> None:
        """Every build starts from the same state: no output, no lock, no cache."""
        for path in [self.out, *self.leftovers]:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


def measure(tool: Tool, log_dir: Path) -> Sample:
    """Runs one build and returns its wall time, CPU time and peak RSS.

    os.wait4 gives the rusage of exactly this child (ru_maxrss in KiB on Linux), which
    resource.getrusage(RUSAGE_CHILDREN) cannot: that one is the maximum over all children
    so far, so a large earlier build would mask a smaller later one.
    """
    tool.reset()
    total = Sample(0.0, 0.0, 0)
    tool.last_stderr = ""
    for step, command in enumerate(tool.commands):
        stdout_path = log_dir / f"{tool.name}.{step}.stdout"
        stderr_path = log_dir / f"{tool.name}.{step}.stderr"
        with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        # We reaped the child ourselves; tell Popen so it does not try again.
        proc.returncode = os.waitstatus_to_exitcode(status)
        tool.last_stderr += stderr_path.read_text(errors="replace")
        if proc.returncode != 0:
            stdout_tail = stdout_path.read_text(errors="replace").splitlines()[-20:]
            stderr_tail = tool.last_stderr.splitlines()[-40:]
            raise BuildFailed(
                f"{tool.name} build failed with exit status {proc.returncode}\n"
                f"  command: {' '.join(command)}\n"
                + "".join(f"  stderr| {line}\n" for line in stderr_tail)
                + "".join(f"  stdout| {line}\n" for line in stdout_tail)
            )
        total = Sample(total.wall_s + wall, total.cpu_s + usage.ru_utime + usage.ru_stime,
                       max(total.rss_kib, usage.ru_maxrss))
    return total


def count_html(root: Path) -> int:
    return sum(1 for _, _, files in os.walk(root) for f in files if f.endswith(".html"))


def find_ours(path: str | None, build: bool) -> Path:
    if path:
        binary = Path(path).resolve()
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            raise SetupError(f"--ours {path}: no executable file there")
        return binary
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    binary = (target if target.is_absolute() else REPO / target) / "release" / "generator"
    if binary.is_file():
        return binary
    hint = "build it with `cargo build --release -p generator`, or pass --ours PATH_TO_BINARY"
    if not build:
        raise SetupError(f"our generator is missing ({binary}) and --no-build was given: {hint}")
    if shutil.which("cargo") is None:
        raise SetupError(f"our generator is missing ({binary}) and cargo is not on PATH: {hint}")
    print(f"{binary} is missing: running cargo build --release -p generator", flush=True)
    result = subprocess.run(["cargo", "build", "--release", "-p", "generator"], cwd=REPO)
    if result.returncode != 0 or not binary.is_file():
        raise SetupError(f"cargo build --release -p generator failed (exit {result.returncode}); "
                         f"fix the build or pass --ours PATH_TO_BINARY")
    return binary


def find_hugo() -> tuple[str, str]:
    hugo = shutil.which("hugo")
    if hugo is None:
        raise SetupError("hugo is not installed: apt-get update && apt-get install -y hugo (0.111.3)")
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    return hugo, version


def find_pagefind() -> tuple[str, str]:
    """The Pagefind CLI: on PATH, or the npm registry's prebuilt binary unpacked into
    ~/.cache/kpu-bench (fetched with `npm pack` the first time)."""
    for name in ("pagefind_extended", "pagefind"):
        found = shutil.which(name)
        if found:
            break
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kpu-bench" / f"pagefind-{PAGEFIND_VERSION}"
        found = str(cache / "package" / "bin" / "pagefind_extended")
        if not Path(found).is_file():
            if shutil.which("npm") is None:
                raise SetupError("the Pagefind CLI is missing and npm is not installed to fetch it: apt-get install -y npm")
            cache.mkdir(parents=True, exist_ok=True)
            print(f"fetching the Pagefind CLI ({PAGEFIND_PACKAGE}) into {cache}", flush=True)
            packed = subprocess.run(["npm", "pack", "--silent", PAGEFIND_PACKAGE], cwd=cache,
                                    capture_output=True, text=True)
            tarballs = list(cache.glob("*.tgz"))
            if packed.returncode != 0 or not tarballs:
                raise SetupError(f"npm pack {PAGEFIND_PACKAGE} failed: {packed.stderr.strip()[:300]}")
            subprocess.run(["tar", "xzf", str(tarballs[0])], cwd=cache, check=True)
            if not Path(found).is_file():
                raise SetupError(f"{PAGEFIND_PACKAGE} did not contain {found}")
    version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout.strip()
    return found, version


def portal_site(corpus_dir: Path) -> Path:
    """The portal itself (its content and templates) with the corpus's sections added."""
    site = corpus_dir / "portal"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "templates", site / "templates")
    for section in sorted((corpus_dir / "ours" / "content").glob("bagian-*")):
        shutil.copytree(section, site / "content" / section.name)
    return site


def scratch_base(requested: str | None) -> Path:
    if requested:
        return Path(requested)
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm
    # Disk adds 30-80 % and most of the noise.
    print("warning: /dev/shm is not writable; building on disk, timings will be noisier", file=sys.stderr)
    return Path(tempfile.gettempdir())


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of page counts: {text!r}") from None
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("page counts must be positive")
    return sizes


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_size(n: int, runs: int, bins: dict[str, str], theme: str, work: Path, seed: int) -> list[Tool]:
    corpus_dir = work / f"n{n}"
    log_dir = corpus_dir / "logs"
    started = time.perf_counter()
    manifest = corpus.generate(n, corpus_dir, seed)
    ours_site = portal_site(corpus_dir) if theme == "portal" else corpus_dir / "ours"
    log_dir.mkdir()
    print(f"\n== N = {n}: {manifest['pages']} pages, {manifest['sections']} sections, {manifest['tags']} tags, "
          f"{manifest['markdown_bytes'] / 1e6:.1f} MB Markdown (corpus written in "
          f"{time.perf_counter() - started:.1f} s); theme: {theme}", flush=True)

    def ours(name: str, *extra: str) -> Tool:
        out = corpus_dir / f"out-{name}"
        return Tool(name, ours_site, out,
                    [[bins["ours"], "build", *extra, "--root", str(ours_site), "--output", str(out)]])

    hugo_site, hugo_cache = corpus_dir / "hugo", corpus_dir / "hugo-cache"

    def hugo(name: str, then_pagefind: bool) -> Tool:
        out = corpus_dir / f"out-{name}"
        # An explicit, per-run-emptied cacheDir keeps Hugo off any cache in $HOME or /tmp.
        commands = [[bins["hugo"], "--quiet", "-s", str(hugo_site), "-d", str(out), "--cacheDir", str(hugo_cache)]]
        if then_pagefind:
            commands.append([bins["pagefind"], "--site", str(out)])
        return Tool(name, hugo_site, out, commands,
                    leftovers=[hugo_site / ".hugo_build.lock", hugo_site / "resources", hugo_cache])

    # Two pairs, ours then its peer: print_table compares them against TARGET_PAGES and
    # TARGET_SEARCH.
    tools = [ours("ours", "--no-search"), hugo("hugo", False), ours("ours+search"), hugo("hugo+pagefind", True)]

    for tool in tools:  # warm-up: page cache, binary loading, CPU frequency
        measure(tool, log_dir)
    for i in range(runs):
        # ABBA order so any slow drift (thermal, background work) hits all tools alike.
        for tool in (tools if i % 2 == 0 else tools[::-1]):
            s = measure(tool, log_dir)
            tool.samples.append(s)
            print(f"   run {i + 1}/{runs} {tool.name:13}  {s.wall_s:7.3f} s wall  {s.cpu_s:7.3f} s cpu  "
                  f"{s.rss_kib / 1024:7.1f} MiB", flush=True)

    for tool in tools:
        tool.html_files = count_html(tool.out)
        if theme == "bench" and tool.html_files != manifest["expected_html"]:
            print(f"   note: {tool.name} wrote {tool.html_files} HTML files, "
                  f"the corpus implies {manifest['expected_html']}", flush=True)
        if tool.last_stderr.strip() and not tool.name.startswith("ours"):
            lines = tool.last_stderr.strip().splitlines()
            print(f"   note: {tool.name} printed {len(lines)} line(s) on stderr, first: {lines[0][:200]}", flush=True)
    return tools


def print_table(results: list[tuple[int, list[Tool]]]) -> None:
    header = f"{'N':>7}  {'tool':<22} {'wall s':>8} {'min-max s':>17} {'cpu s':>8} {'peak MiB':>9} {'HTML':>7}"
    print("\n" + header)
    print("-" * len(header))
    for n, tools in results:
        for (ours, peer), target in zip((tools[0:2], tools[2:4]), (TARGET_PAGES, TARGET_SEARCH)):
            for t in (ours, peer):
                walls = [s.wall_s for s in t.samples]
                print(f"{n:>7}  {t.name:<22} {median(walls):>8.3f} {min(walls):>8.3f}-{max(walls):<8.3f} "
                      f"{median([s.cpu_s for s in t.samples]):>8.3f} "
                      f"{median([s.rss_kib for s in t.samples]) / 1024:>9.1f} {t.html_files:>7}")
            time_ratio = median([s.wall_s for s in ours.samples]) / median([s.wall_s for s in peer.samples])
            cpu_ratio = median([s.cpu_s for s in ours.samples]) / median([s.cpu_s for s in peer.samples])
            mem_ratio = median([s.rss_kib for s in ours.samples]) / median([s.rss_kib for s in peer.samples])
            verdict = " ".join(
                f"{what} {'ok' if r <= target else 'over'}" for what, r in (("time", time_ratio), ("memory", mem_ratio))
            )
            print(f"{n:>7}  {ours.name + '/' + peer.name:<22} {time_ratio:>7.2f}x {'':>17} {cpu_ratio:>7.2f}x "
                  f"{mem_ratio:>8.2f}x   target <= {target}x: {verdict}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", "--sizes", dest="sizes", type=parse_sizes, default=[1000, 10000],
                    help="comma-separated page counts, e.g. 1000,10000,30000 (default: 1000,10000)")
    ap.add_argument("--theme", choices=["portal", "bench"], default="portal",
                    help="ours builds the portal's own theme and content (default) or bench/templates")
    ap.add_argument("--runs", type=int, default=5, help="timed builds per tool and size (default: 5)")
    ap.add_argument("--ours", help="our generator binary (default: target/release/generator, built if missing)")
    ap.add_argument("--no-build", action="store_true", help="fail instead of running cargo when the binary is missing")
    ap.add_argument("--seed", type=int, default=2024, help="corpus RNG seed (default: 2024)")
    ap.add_argument("--workdir", help="where to put corpora and outputs (default: /dev/shm)")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and outputs afterwards")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    try:
        hugo_bin, hugo_version = find_hugo()
        pagefind_bin, pagefind_version = find_pagefind()
        ours_bin = find_ours(args.ours, build=not args.no_build)
    except SetupError as e:
        print(f"run.py: {e}", file=sys.stderr)
        return 2

    bins = {"ours": str(ours_bin), "hugo": hugo_bin, "pagefind": pagefind_bin}
    work = Path(tempfile.mkdtemp(prefix="kpu-bench-", dir=scratch_base(args.workdir)))
    print(f"ours: {ours_bin}\nhugo: {hugo_version}\npagefind: {pagefind_version}\ncpus: {os.cpu_count()}  scratch: {work}  "
          f"runs: {args.runs} (+1 warm-up)  seed: {args.seed}", flush=True)
    results: list[tuple[int, list[Tool]]] = []
    status = 0
    try:
        for n in args.sizes:
            results.append((n, bench_size(n, args.runs, bins, args.theme, work, args.seed)))
    except BuildFailed as e:
        print(f"\nrun.py: {e}", file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        print("\nrun.py: interrupted", file=sys.stderr)
        status = 130
    finally:
        if results:
            print_table(results)
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
