#!/usr/bin/env python3
"""Benchmark whole-process `scalec fmt` (release build) on the 1,000-group
spec of `compile.py`.

The spec is formatted once, then `scalec fmt --check` is timed on the
formatted file: it parses, checks the syntax, lays the whole file out and
compares, which is all of `fmt`'s work but the write.

    python3 benches/fmt.py                      # builds release, runs, prints figures
    python3 benches/fmt.py --no-build --runs 15
    python3 benches/fmt.py --baseline /path/to/old/scalec   # alternated, ratio of medians

Target: the 1,000-group spec formats in <= 150 ms.
"""
import argparse
import os
import subprocess
import tempfile

from compile import generate
from measure import ROOT, machine, release_binary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=1000)
    args, bench = release_binary(ap)
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        spec = os.path.join(tmp, "large.scale")
        with open(spec, "w") as f:
            f.write(generate(args.groups))
        subprocess.run([bench.binary, "fmt", spec], check=True, stdout=subprocess.DEVNULL)
        size = os.path.getsize(spec)
        example = os.path.join(ROOT, "examples", "macro-ai.scale")
        bench.run("fmt --check example (macro-ai.scale)", lambda b: [b, "fmt", "--check", example])
        bench.run(f"fmt --check {args.groups} groups ({size/1e6:.2f} MB)",
                  lambda b: [b, "fmt", "--check", spec])


if __name__ == "__main__":
    main()
