#!/usr/bin/env python3
"""Benchmark `scalec plan --all-envs` and `apply --all-envs` against the test
harness (moto_server behind tests/harness/aws_proxy.py, on loopback ports):
3 environments of 100 groups each, two of them in a second account reached
through a role.

Prints, for each command, the wall time (best and median of several runs)
and the AWS calls it made (from the proxy's counters): reads and writes per
action, and the most in flight at once.

    python3 benches/all_envs.py              # builds release, runs, prints figures
    python3 benches/all_envs.py --groups 30 --runs 3
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from measure import ROOT, machine, measure, release_binary

HARNESS = os.path.join(ROOT, "tests", "harness")
ROLE = "arn:aws:iam::111111111111:role/deploy"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on {port}")


def seed(moto, role=None):
    args = [sys.executable, os.path.join(HARNESS, "seed_moto.py"), "--endpoint", moto]
    if role:
        args += ["--role", role]
    return json.loads(subprocess.run(args, check=True, capture_output=True).stdout)


def spec(groups, seeds):
    """An app of `groups` groups in three environments: staging in the
    default account, production and dr in the role's."""
    envs = []
    for name, s, role in (("staging", seeds[0], None), ("production", seeds[1], ROLE),
                          ("dr", seeds[1], ROLE)):
        subnets = ", ".join(f'"{x}"' for x in s["subnets"].split(","))
        account = ROLE.split(":")[4] if role else "123456789012"
        envs.append(f'environment {name} {{\n  region = "us-east-1"\n  account = "{account}"\n'
                    + (f'  role = "{role}"\n' if role else "")
                    + f'  param.lt = "{s["launch_template"]}"\n  param.subnets = [{subnets}]\n}}\n')
    group = """group g{i} {{
  capacity = 1..4
  launch_template = param.lt
  launch_template_version = 1
  subnets = param.subnets
  policy cpu target_tracking {{ metric = ec2.cpu  target = 60% }}
  alarm busy critical {{ when = ec2.cpu > 90%  for = 10m }}
}}
"""
    return ('app "bench"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\n'
            + "".join(envs) + 'topic critical { email = "ops@example.com" }\n'
            + "".join(group.format(i=i) for i in range(groups)))


def counters(proxy, reset=False):
    path = "/__scalec_reset_stats" if reset else "/__scalec_faults"
    with urllib.request.urlopen(f"http://127.0.0.1:{proxy}{path}") as r:
        return json.loads(r.read() or b"{}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=100)
    args, bench = release_binary(ap)
    print(machine())
    moto_port, proxy_port = free_port(), free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy = subprocess.Popen([sys.executable, os.path.join(HARNESS, "aws_proxy.py"),
                              "--port", str(proxy_port), "--upstream", str(moto_port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(moto_port)
        wait_for(proxy_port)
        moto_url = f"http://127.0.0.1:{moto_port}"
        seeds = [seed(moto_url), seed(moto_url, ROLE)]
        work = tempfile.mkdtemp(prefix="scalec-all-envs-")
        path = os.path.join(work, "app.scale")
        with open(path, "w") as f:
            f.write(spec(args.groups, seeds))
        os.environ.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy_port}", AWS_ACCESS_KEY_ID="testing",
                          AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1")
        binary = bench.binary
        print(f"3 environments of {args.groups} groups ({3 * args.groups} groups), 2 accounts")

        def report(label, best, med):
            c = counters(proxy_port)
            actions = c.get("actions", {})
            calls = sum(actions.values())
            print(f"{label:<40} best {best:6.2f} s  median {med:6.2f} s  "
                  f"{calls} calls, at most {c.get('max_in_flight')} at once")
            print("    " + ", ".join(f"{a} {n}" for a, n in sorted(actions.items())))

        # Against empty accounts: every group a create.
        counters(proxy_port, reset=True)
        best, med, _ = measure([binary, "plan", path, "--all-envs"], 1)
        report("plan --all-envs (empty accounts)", best, med)
        counters(proxy_port, reset=True)
        best, med, _ = measure([binary, "apply", path, "--all-envs", "--auto-approve"], 1)
        report("apply --all-envs (everything created)", best, med)
        # Converged: the runs repeat, each read only.
        counters(proxy_port, reset=True)
        best, med, _ = measure([binary, "plan", path, "--all-envs"], 1)
        report("plan --all-envs (no changes), one run", best, med)
        best, med, _ = measure([binary, "plan", path, "--all-envs"], args.runs)
        print(f"{'plan --all-envs (no changes)':<40} best {best:6.2f} s  median {med:6.2f} s  "
              f"over {args.runs} runs")
    finally:
        proxy.terminate()
        moto.terminate()


if __name__ == "__main__":
    main()
