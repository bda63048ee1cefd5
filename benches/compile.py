#!/usr/bin/env python3
"""Benchmark whole-process `scalec check` and `scalec build --all-envs`
(release build).

Generates a large spec (1,000 groups x 3 environments by default), then
reports wall time (best and median of several runs) and peak memory of
`scalec check` on it and on the bundled example, and of `scalec build
--all-envs --out-dir` on it.

    python3 benches/compile.py            # builds release, runs, prints figures
    python3 benches/compile.py --groups 300 --runs 5
    python3 benches/compile.py --baseline /path/to/old/scalec   # alternated, ratio of medians
    python3 benches/compile.py --fleet --baseline old --baseline-plain
        # a third of the groups with mixed instances, Spot and two hooks,
        # against the old binary on the same spec without them

Targets: check: example < 10 ms, 1,000-group spec < 300 ms and < 200 MiB;
build --all-envs: 1,000-group spec <= 500 ms. `build` runs twice over: into
the same folder again and again (a rebuild: the templates there are already
up to date) and into an empty folder each time.
"""
import argparse
import os
import shutil
import tempfile

from measure import ROOT, machine, release_binary

GROUP = """
group web{i} {{
  launch_template = param.launch_template
  launch_template_version = 3
  subnets = param.subnets
  target_groups = [param.target_group]
  capacity = env.capacity
  desired = env.desired
  health_check = elb {{ grace = 5m }}
  warmup = 3m
  metrics = all
  notify [launch_error, terminate_error] -> critical{fleet}
  policy cpu target_tracking {{ metric = ec2.cpu  target = env.cpu  warmup = 3m }}
  policy memory target_tracking {{ metric = cwagent.memory  target = env.memory }}
  policy requests target_tracking {{
    metric = alb.requests_per_target(param.load_balancer, param.target_group)
    target = env.requests
  }}
  policy cpu_surge step {{
    metric = ec2.cpu  period = 1m  evaluate = 3
    env.cpu..80% => +1
    80%..90%     => +2
    90%..        => +3
  }}
  policy cpu_calm step {{
    metric = ec2.cpu  period = 1m
    evaluate = match env {{ production => 10, staging => 7, _ => 5 }}
    ..20% => -1
  }}
  policy burst simple {{ when = alb.requests(param.load_balancer) > 6000/min  adjust = +1  cooldown = 3m }}
  alarm at_capacity critical {{ when = group.in_service >= capacity.max  for = 10m }}
  alarm near_capacity warning {{ when = group.in_service >= 80% of capacity.max  for = 10m }}
  alarm hot warning {{ when = ec2.cpu > 85%  for = 15m }}
  dashboard {{ capacity activity correlate [ec2.cpu, alb.response_time(param.load_balancer)] }}
}}
"""

# What a third of the groups add with --fleet.
FLEET = """
  capacity_rebalance = true
  instances = {
    types = ["m5.large", "m5a.large", "m6i.large", "m5.xlarge"]
    on_demand_base = 1
    on_demand_above_base = 25%
    spot_strategy = price_capacity_optimized
  }
  hook bootstrap launch { timeout = 2m  default = abandon }
  hook drain terminate { timeout = 5m  default = continue }"""

HEADER = """app "bench"
param launch_template: launch_template_id
param subnets: list<subnet_id>
param load_balancer: load_balancer_arn
param target_group: target_group_arn
param alert_email: email
environment production extends std.production {}
environment staging extends std.staging {}
environment development extends std.development {}
topic critical { email = param.alert_email }
topic warning { email = param.alert_email }
"""


def generate(groups, fleet=False):
    return HEADER + "".join(
        GROUP.format(i=i, fleet=FLEET if fleet and i % 3 == 0 else "") for i in range(groups)
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--fleet", action="store_true",
                    help="a third of the groups use mixed instances and Spot and two lifecycle hooks")
    ap.add_argument("--baseline-plain", action="store_true",
                    help="with --fleet and --baseline: the baseline gets the spec without the fleet "
                         "features (a binary from before them can't read them)")
    args, bench = release_binary(ap)
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        spec = os.path.join(tmp, "large.scale")
        with open(spec, "w") as f:
            f.write(generate(args.groups, args.fleet))
        plain = os.path.join(tmp, "plain.scale")
        with open(plain, "w") as f:
            f.write(generate(args.groups))
        size = os.path.getsize(spec)
        if args.fleet:
            print(f"a third of the groups use mixed instances and hooks"
                  + (" (the baseline runs the spec without them)" if args.baseline_plain else ""))

        def pick(b):
            return plain if args.baseline_plain and b != bench.binary else spec

        example = os.path.join(ROOT, "examples", "macro-ai.scale")
        bench.run("check example (macro-ai.scale)", lambda b: [b, "check", example])
        bench.run(f"check {args.groups} groups x 3 envs ({size/1e6:.2f} MB)", lambda b: [b, "check", pick(b)])
        out = os.path.join(tmp, "out")
        # Into the same folder run after run: what a rebuild does. The
        # templates are already there, and a build that leaves up-to-date
        # files alone gains from it; the empty-folder line shows the rest.
        bench.run("build --all-envs (again)", lambda b: [b, "build", pick(b), "--all-envs", "--out-dir", out])
        fresh = {"n": 0}

        def empty_folder(b):
            shutil.rmtree(os.path.join(tmp, f"fresh{fresh['n']}"), ignore_errors=True)
            fresh["n"] += 1
            return [b, "build", pick(b), "--all-envs", "--out-dir", os.path.join(tmp, f"fresh{fresh['n']}")]

        bench.run("build --all-envs (empty folder)", empty_folder)
        written = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
        stacks = sum(len(fs) for _, _, fs in os.walk(out)) - 1
        print(f"(build wrote {stacks} stacks, {written/1e6:.1f} MB)")


if __name__ == "__main__":
    main()
