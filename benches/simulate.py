#!/usr/bin/env python3
"""Benchmark whole-process `scalec simulate` on a year of one-minute data
(release build).

Generates the year-long trace (525,600 rows, ~15 MB) with `scalec trace
generate`, from examples/traces/traces.scale's diurnal week run for 365
days, then reports wall time (best and median of several
runs) and peak memory of simulating the example's production environment:
the summary alone, and with --csv and --svg written too.

    python3 benches/simulate.py            # builds release, runs, prints figures
    python3 benches/simulate.py --runs 3 --no-build
    python3 benches/simulate.py --baseline /path/to/old/scalec   # alternated, ratio of medians

Target: a year simulates in under 1 s, whole process.
"""
import argparse
import os
import subprocess
import tempfile

from measure import ROOT, machine, release_binary


def main():
    ap = argparse.ArgumentParser()
    args, bench = release_binary(ap)
    print(machine())
    spec = os.path.join(ROOT, "examples", "macro-ai.scale")
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "year.csv")
        with open(os.path.join(ROOT, "examples", "traces", "traces.scale")) as f:
            loads = f.read().replace("duration = 7d", "duration = 365d")
        year_spec = os.path.join(tmp, "year.scale")
        with open(year_spec, "w") as f:
            f.write(loads)
        subprocess.run([bench.binary, "trace", "generate", year_spec, "--test", "diurnal_week", "-o", trace],
                       check=True, stderr=subprocess.DEVNULL)
        rows = sum(1 for _ in open(trace)) - 1
        size = os.path.getsize(trace)
        print(f"trace: {rows} minutes ({size/1e6:.1f} MB)")
        base = lambda b: [b, "simulate", spec, "--env", "production", "--trace", trace]
        outs = ["--csv", os.path.join(tmp, "t.csv"), "--svg", os.path.join(tmp, "t.svg")]
        bench.run("summary", base)
        bench.run("+ --csv and --svg", lambda b: base(b) + outs)
        bench.run("--format json", lambda b: base(b) + ["--format", "json"])


if __name__ == "__main__":
    main()
