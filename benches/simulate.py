#!/usr/bin/env python3
"""Benchmark whole-process `scalec simulate` on a year of one-minute data
(release build).

Generates the year-long trace (525,600 rows, ~15 MB) with
scripts/gen-traces.py, then reports wall time (best and median of several
runs) and peak memory of simulating the example's production environment:
the summary alone, and with --csv and --svg written too.

    python3 benches/simulate.py            # builds release, runs, prints figures
    python3 benches/simulate.py --runs 3 --no-build

Target: a year simulates in under 1 s, whole process.
"""
import argparse
import os
import subprocess
import sys
import tempfile

from measure import ROOT, measure, release_binary


def main():
    ap = argparse.ArgumentParser()
    args, binary = release_binary(ap)
    spec = os.path.join(ROOT, "examples", "macro-ai.scale")
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "year.csv")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen-traces.py"), "--year", trace],
                       check=True, stdout=subprocess.DEVNULL)
        rows = sum(1 for _ in open(trace)) - 1
        size = os.path.getsize(trace)
        base = [binary, "simulate", spec, "--env", "production", "--trace", trace]
        s_best, s_med, s_peak = measure(base, args.runs)
        outs = ["--csv", os.path.join(tmp, "t.csv"), "--svg", os.path.join(tmp, "t.svg")]
        o_best, o_med, o_peak = measure(base + outs, args.runs)
        j_best, j_med, j_peak = measure(base + ["--format", "json"], args.runs)
    print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().machine}")
    print(f"trace: {rows} minutes ({size/1e6:.1f} MB)")
    print(f"summary:            best {s_best*1000:7.1f} ms  median {s_med*1000:7.1f} ms  peak RSS {s_peak:6.1f} MiB")
    print(f"+ --csv and --svg:  best {o_best*1000:7.1f} ms  median {o_med*1000:7.1f} ms  peak RSS {o_peak:6.1f} MiB")
    print(f"--format json:      best {j_best*1000:7.1f} ms  median {j_med*1000:7.1f} ms  peak RSS {j_peak:6.1f} MiB")


if __name__ == "__main__":
    main()
