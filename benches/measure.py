"""Whole-process timing shared by the benchmarks."""
import argparse
import os
import statistics
import subprocess
import sys
import time


def measure(args, runs):
    """Best and median wall time (s) and peak RSS (MiB) of these runs only."""
    times = []
    peak = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        err = proc.stderr.read()
        proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(args)} failed:\n{err.decode()[:2000]}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return min(times), statistics.median(times), peak


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def release_binary(ap: argparse.ArgumentParser):
    """Adds --runs and --no-build to `ap`, parses, builds the release
    binary unless told not to, and returns (args, path to scalec)."""
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return args, os.path.join(ROOT, "target", "release", "scalec")
