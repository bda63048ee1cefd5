#!/usr/bin/env python3
"""Benchmark whole-process `scalec import` on the templates of a large
environment (release build).

Generates the compile benchmark's spec (1,000 groups by default), builds
its production environment into stacks with `scalec build --out-dir`, then
times `scalec import` of all those stacks (which also checks the imported
spec before writing it), best and median of several runs, and peak memory.

    python3 benches/import.py                 # builds release, runs, prints figures
    python3 benches/import.py --groups 300 --runs 5
    python3 benches/import.py --baseline /path/to/old/scalec

Target: a 1,000-group environment imports in <= 1 s.
"""
import argparse
import glob
import os
import subprocess
import tempfile

from compile import generate
from measure import machine, release_binary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=1000)
    args, bench = release_binary(ap)
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        spec = os.path.join(tmp, "large.scale")
        with open(spec, "w") as f:
            f.write(generate(args.groups))
        out = os.path.join(tmp, "cfn")
        subprocess.run([bench.binary, "build", spec, "--env", "production", "--out-dir", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stacks = sorted(glob.glob(os.path.join(out, "production", "*.json")))
        size = sum(os.path.getsize(s) for s in stacks)
        imported = os.path.join(tmp, "imported.scale")
        templates = [a for s in stacks for a in ("--template", s)]
        bench.run(f"import {args.groups} groups ({len(stacks)} stacks, {size/1e6:.1f} MB)",
                  lambda b: [b, "import", *templates, "-o", imported, "--force"])


if __name__ == "__main__":
    main()
