#!/usr/bin/env python3
"""Benchmark a spec written with a template against the same spec written
out: 1,000 groups x 3 environments (benches/compile.py's spec), once flat in
one file and once as 1,000 instances of one template, the template and the
params in `platform.scale`, the instances in four files the app `use`s.

    python3 benches/templates.py              # builds release, runs, prints figures
    python3 benches/templates.py --groups 300 --runs 11

For `check` and `build --all-envs` (into an empty folder each run) the
two specs run in turn, A B A B ..., and the ratio template / flat is taken
pair by pair; the median is the figure. Goal: at most 1.2x. Before timing,
the two specs' templates are compared (provenance aside) to be the same.
"""
import argparse
import json
import os
import shutil
import statistics
import tempfile

from compile import GROUP, HEADER, generate
from measure import machine, release_binary, run_once

FILES = 4


def template_version(groups, folder):
    """Writes app.scale, platform.scale and groups-N.scale; returns app.scale."""
    header = HEADER.splitlines()
    app = [l for l in header if l.startswith(("app ", "environment "))]
    shared = [l for l in header if not l.startswith(("app ", "environment "))]
    # The group body with its name taken out: the template's body.
    body = GROUP.format(i="", fleet="").strip()
    body = body[body.index("{") + 1 : body.rindex("}")]
    with open(os.path.join(folder, "platform.scale"), "w") as f:
        f.write("\n".join(shared) + "\n\ntemplate web_service {" + body + "}\n")
    per = (groups + FILES - 1) // FILES
    uses = []
    for n in range(FILES):
        name = f"groups-{n}.scale"
        uses.append(f'use "{name}"')
        with open(os.path.join(folder, name), "w") as f:
            f.write('use "platform.scale"\n')
            for i in range(n * per, min(groups, (n + 1) * per)):
                f.write(f"group web{i} from web_service {{}}\n")
    path = os.path.join(folder, "app.scale")
    with open(path, "w") as f:
        f.write("\n".join(app[:1] + uses + app[1:]) + "\n")
    return path


def without_sources(v):
    if isinstance(v, dict):
        s = v.get("scalec")
        if isinstance(s, dict):
            s.pop("source", None)
        return {k: without_sources(x) for k, x in v.items()}
    if isinstance(v, list):
        return [without_sources(x) for x in v]
    return v


def same_templates(a, b):
    for d, _, files in os.walk(a):
        for name in files:
            if not name.endswith(".json") or name == "manifest.json":
                continue
            rel = os.path.relpath(os.path.join(d, name), a)
            with open(os.path.join(a, rel)) as fa, open(os.path.join(b, rel)) as fb:
                if without_sources(json.load(fa)) != without_sources(json.load(fb)):
                    return rel
    return None


def paired(label, a_args, b_args, runs):
    ratios, ta, tb = [], [], []
    for _ in range(runs):
        t1, _ = run_once(a_args())
        t2, _ = run_once(b_args())
        ta.append(t1)
        tb.append(t2)
        ratios.append(t1 / t2)
    print(
        f"{label:<28} template median {statistics.median(ta)*1000:8.1f} ms   "
        f"flat median {statistics.median(tb)*1000:8.1f} ms   "
        f"ratio median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})"
    )
    return statistics.median(ratios)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=1000)
    args, bench = release_binary(ap)
    binary = bench.binary
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        flat = os.path.join(tmp, "flat.scale")
        with open(flat, "w") as f:
            f.write(generate(args.groups))
        spec = template_version(args.groups, tmp)
        outs = {}
        for name, path in (("template", spec), ("flat", flat)):
            out = os.path.join(tmp, f"check-{name}")
            run_once([binary, "build", path, "--all-envs", "--out-dir", out])
            outs[name] = out
        differs = same_templates(outs["template"], outs["flat"])
        if differs:
            raise SystemExit(f"the two specs build different templates: {differs}")
        print(f"{args.groups} groups x 3 environments: the same templates from both specs "
              f"(template spec in {FILES + 2} files)")
        n = {"i": 0}

        def build(path):
            def make():
                n["i"] += 1
                out = os.path.join(tmp, f"out{n['i']}")
                shutil.rmtree(out, ignore_errors=True)
                return [binary, "build", path, "--all-envs", "--out-dir", out]
            return make

        paired("check", lambda: [binary, "check", spec], lambda: [binary, "check", flat], args.runs)
        paired("build --all-envs", build(spec), build(flat), args.runs)


if __name__ == "__main__":
    main()
