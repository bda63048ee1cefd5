#!/usr/bin/env python3
"""Writes everything scalec outputs for the repository's inputs into a
folder, so that two binaries can be compared byte for byte (a refactoring
must not change what users see).

    python3 scripts/outputs.py BINARY OUT_DIR
    python3 scripts/outputs.py --compare OLD_BINARY NEW_BINARY

(Give the two binaries one file name, in two folders: usage lines name
the binary.)

For each example spec: `check --format json`, `debug model`, `build
--all-envs`, `plan --offline --format json` of each environment whose
params are known, `simulate --format json` on each example trace (with its chart and
timeline), and
`test --format json`; `import` of each template built and of each
import fixture. For the ui corpus: `check --format json` of each
case. For the 1,000-group spec of benches/compile.py: `check --format
json` and `build --all-envs`. With --compare, both binaries write into
temporary folders, and every file that differs is listed (exit 1), or
"identical" is printed with the count of files (exit 0).
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))


def run(binary, args, out_path):
    """Runs `binary args` in the repository; writes stdout, stderr and the
    exit code to `out_path`."""
    p = subprocess.run([binary] + args, cwd=ROOT, capture_output=True, text=True)
    with open(out_path, "w") as f:
        f.write(f"exit {p.returncode}\n--- stdout\n{p.stdout}\n--- stderr\n{p.stderr}")


def envs_of(spec):
    with open(os.path.join(ROOT, spec)) as f:
        return [l.split()[1] for l in f if l.startswith("environment ")]


def write_all(binary, out):
    os.makedirs(out, exist_ok=True)
    specs = sorted(glob.glob("examples/*.scale", root_dir=ROOT)) + ["examples/templates/macro-ai.scale"]
    traces = sorted(glob.glob("examples/traces/*.csv", root_dir=ROOT))
    for spec in specs:
        name = spec.replace("/", "_")
        run(binary, ["check", spec, "--format", "json"], f"{out}/{name}.check.json")
        run(binary, ["test", spec, "--format", "json", "--out-dir", f"{out}/{name}.charts"], f"{out}/{name}.test.json")
        run(binary, ["build", spec, "--all-envs", "--out-dir", f"{out}/{name}.build"], f"{out}/{name}.build.log")
        for env in envs_of(spec):
            run(binary, ["debug", "model", spec, "--env", env], f"{out}/{name}.{env}.model.json")
            params = os.path.join("examples", "params", f"{os.path.basename(spec)[:-6]}.{env}.params")
            if os.path.exists(os.path.join(ROOT, params)):
                run(binary, ["plan", spec, "--env", env, "--offline", "--format", "json", "--params", params],
                    f"{out}/{name}.{env}.plan.json")
            for trace in traces:
                t = os.path.basename(trace)[:-4]
                run(binary, ["simulate", spec, "--env", env, "--trace", trace, "--format", "json",
                             "--svg", f"{out}/{name}.{env}.{t}.svg", "--csv", f"{out}/{name}.{env}.{t}.csv"],
                    f"{out}/{name}.{env}.{t}.simulate.json")
    # Import: the fixtures, and every template the examples built.
    for t in sorted(glob.glob("tests/import/*", root_dir=ROOT)):
        run(binary, ["import", "--template", t], f"{out}/import_{os.path.basename(t)}.scale")
    for t in sorted(glob.glob(f"{out}/*.build/**/*.json", recursive=True)):
        if os.path.basename(t) != "manifest.json":
            rel = os.path.relpath(t, out).replace("/", "_")
            run(binary, ["import", "--template", t], f"{out}/import_{rel}.scale")
    for case in sorted(glob.glob("tests/ui/*.scale", root_dir=ROOT)):
        run(binary, ["check", case, "--format", "json"], f"{out}/ui_{os.path.basename(case)}.json")
    from compile import generate
    big = os.path.join(out, "large.scale")
    with open(big, "w") as f:
        f.write(generate(1000))
    run(binary, ["check", big, "--format", "json"], f"{out}/large.check.json")
    run(binary, ["build", big, "--all-envs", "--out-dir", f"{out}/large.build"], f"{out}/large.build.log")


def files_under(d):
    return {os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs}


def differing(a, b):
    """Files only in one tree, or whose bytes differ; and how many there are."""
    left, right = files_under(a), files_under(b)
    out = sorted(left ^ right)
    for rel in sorted(left & right):
        with open(os.path.join(a, rel), "rb") as fa, open(os.path.join(b, rel), "rb") as fb:
            if fa.read() != fb.read():
                out.append(rel)
    return out, len(left | right)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"))
    ap.add_argument("binary", nargs="?")
    ap.add_argument("out", nargs="?")
    args = ap.parse_args()
    if args.compare:
        with tempfile.TemporaryDirectory() as tmp:
            old, new = os.path.join(tmp, "old"), os.path.join(tmp, "new")
            # Both write to the same path, so that paths inside outputs agree.
            same = os.path.join(tmp, "out")
            write_all(os.path.abspath(args.compare[0]), same)
            shutil.move(same, old)
            write_all(os.path.abspath(args.compare[1]), same)
            shutil.move(same, new)
            diff, count = differing(old, new)
            if diff:
                print("\n".join(sorted(diff)))
                sys.exit(1)
            print(f"identical: {count} files")
        return
    if not (args.binary and args.out):
        ap.error("give BINARY OUT_DIR, or --compare OLD NEW")
    write_all(os.path.abspath(args.binary), os.path.abspath(args.out))


if __name__ == "__main__":
    main()
