"""Whole-process timing shared by the benchmarks.

With `--baseline PATH`, every measurement alternates the baseline binary and
the one under test run by run (so both see the same machine state), and the
figures are medians with the ratio candidate / baseline.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(args):
    """Wall time (s) and peak RSS (MiB) of one run; exits on failure."""
    # stderr goes to a file: a pipe nobody reads while waiting would block
    # a command that reports a lot (import lists every resource).
    with tempfile.TemporaryFile() as errf:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errf)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errf.seek(0)
            sys.exit(f"{' '.join(args)} failed:\n{errf.read().decode()[:2000]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(args, runs):
    """Best and median wall time (s) and peak RSS (MiB) of these runs only."""
    times = []
    peak = 0
    for _ in range(runs):
        t, rss = run_once(args)
        times.append(t)
        peak = max(peak, rss)
    return min(times), statistics.median(times), peak


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Bench:
    """Runs commands for the binary under test and, if given, a baseline,
    alternating them; prints one line per measurement."""

    def __init__(self, binary, baseline, runs):
        self.binary = binary
        self.baseline = baseline
        self.runs = runs
        self.ratios = []

    def run(self, label, make_args):
        """`make_args(binary)` -> argv. Returns the candidate's (best, median, peak)."""
        if not self.baseline:
            best, med, peak = measure(make_args(self.binary), self.runs)
            print(f"{label:<34} best {best*1000:8.1f} ms  median {med*1000:8.1f} ms  peak RSS {peak:7.1f} MiB")
            return best, med, peak
        times = {self.baseline: [], self.binary: []}
        peaks = {self.baseline: 0.0, self.binary: 0.0}
        for _ in range(self.runs):
            for b in (self.baseline, self.binary):
                t, rss = run_once(make_args(b))
                times[b].append(t)
                peaks[b] = max(peaks[b], rss)
        base = statistics.median(times[self.baseline])
        cand = statistics.median(times[self.binary])
        self.ratios.append(cand / base)
        print(f"{label:<34} median {cand*1000:8.1f} ms vs baseline {base*1000:8.1f} ms"
              f"  ratio {cand/base:5.3f}  peak RSS {peaks[self.binary]:7.1f} vs {peaks[self.baseline]:7.1f} MiB")
        return min(times[self.binary]), cand, peaks[self.binary]


def machine():
    """One line naming the machine, for quoting figures."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"machine: {os.cpu_count()} cores, {model}, {os.uname().sysname} {os.uname().machine}"


def release_binary(ap: argparse.ArgumentParser):
    """Adds --runs, --no-build, --profile and --baseline to `ap`, parses,
    builds the binary unless told not to, and returns (args, Bench)."""
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--profile", default="release",
                    help="Cargo profile to build and measure (release, or dist for distributed binaries)")
    ap.add_argument("--baseline", metavar="PATH",
                    help="another scalec binary to alternate with, run by run; prints median ratios")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--profile", args.profile, "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", args.profile, "scalec")
    return args, Bench(binary, args.baseline, args.runs)
