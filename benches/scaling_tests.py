#!/usr/bin/env python3
"""`scalec test` speed: 50 tests, each a week of one-minute data (10,080
minutes) on one group, half from the example's week-long trace file and
half generated in the spec (a daily cycle with noise). Goal (issue 23):
the whole run under 2 s on a 2-core machine. The expectations are loose
(they must pass for the run to count): the bench times the runs, not the
design.

    python3 benches/scaling_tests.py            # builds release, runs, prints figures
    python3 benches/scaling_tests.py --no-build --runs 5
"""
import argparse
import os
import shutil
import statistics
import tempfile

from measure import ROOT, machine, release_binary, run_once

TESTS = 50


def spec(folder):
    """macro-ai with its own tests replaced by 50 week-long ones."""
    with open(os.path.join(ROOT, "examples", "macro-ai.scale")) as f:
        text = f.read()
    text = text[: text.index("// ------------------------------------------------------------ scaling tests")]
    shutil.copy(os.path.join(ROOT, "examples", "traces", "diurnal-week.csv"), folder)
    tests = []
    for i in range(TESTS):
        if i % 2 == 0:
            load = 'trace("diurnal-week.csv")'
            extra = ""
        else:
            load = f"{{ cpu = daily(100, {300 + i * 4}, 14h) * (1 + noise(4%, {i})) }}"
            extra = "  duration = 7d\n"
        tests.append(
            f"test week_{i} {{\n  env = production\n  group = web\n  load = {load}\n{extra}"
            f"  expect in_service <= 10\n  expect thrash <= 500\n  expect p95(cpu) < 95%\n"
            f"  expect react <= 30m\n}}\n"
        )
    path = os.path.join(folder, "app.scale")
    with open(path, "w") as f:
        f.write(text + "\n" + "\n".join(tests))
    return path


def main():
    ap = argparse.ArgumentParser()
    args, bench = release_binary(ap)
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        path = spec(tmp)
        out = os.path.join(tmp, "out")
        cmd = [bench.binary, "test", path, "--out-dir", out, "--format", "json"]
        times = [run_once(cmd)[0] for _ in range(args.runs)]
        print(f"{TESTS} tests x 10,080 minutes: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; {args.runs} runs; goal < 2000 ms)")


if __name__ == "__main__":
    main()
