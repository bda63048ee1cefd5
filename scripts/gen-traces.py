#!/usr/bin/env python3
"""Generate the load traces that `scalec simulate` replays.

A trace is a CSV file with one row per minute of load on a whole Auto
Scaling group:

    minute,cpu,requests,memory,response_time

* minute         integer, 0, 1, 2, ...
* cpu            total CPU demand, in percent of one instance (350.0 means
                 three and a half fully busy instances); 1 decimal
* requests       total requests per minute across the group; integer
* memory         total memory demand, in percent of one instance; 1 decimal
* response_time  response time of an unloaded fleet, in seconds; 3 decimals

The numbers are sized for the example app's production environment (2..10
instances, 60% CPU, 70% memory, 100 requests per target per minute):
requests run at roughly 1.5 x cpu and memory at roughly 60 + 0.55 x cpu.

Three traces go to examples/traces/ by default:

    diurnal-week.csv   7 days of a weekday/weekend daily cycle
    flash-crowd.csv    6 hours: a sudden surge to ~560 and its decay
    slow-ramp.csv      12 hours: a steady climb from ~100 to ~520, then flat

    python3 scripts/gen-traces.py                    # rewrite examples/traces/
    python3 scripts/gen-traces.py --out-dir /tmp/t   # somewhere else
    python3 scripts/gen-traces.py --year /tmp/year.csv
                                   # one 365-day diurnal trace, for benchmarks

Output is byte-identical from run to run and machine to machine. Each trace
draws from its own `random.Random` with a fixed seed, and everything after
that is plain IEEE arithmetic (+, -, *, /, sqrt) with no calls such as
exp/cos/log, whose last bit is allowed to differ between C libraries. For
the same reason the noise is a sum of uniform draws rather than
`random.gauss`, which goes through log/cos/sqrt.
"""
import argparse
import math
import os
import random
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT_DIR = os.path.join(ROOT, "examples", "traces")

HEADER = "minute,cpu,requests,memory,response_time"

MINUTES_PER_DAY = 24 * 60

# One fixed seed per trace; changing any of these changes that file.
SEED_DIURNAL_WEEK = 20240101
SEED_FLASH_CROWD = 20240202
SEED_SLOW_RAMP = 20240303
SEED_YEAR = 20240404

# How the other columns follow cpu.
REQUESTS_PER_CPU = 1.5
MEMORY_FIXED = 60.0
MEMORY_PER_CPU = 0.55
RESPONSE_TIME_MEAN = 0.24
RESPONSE_TIME_MIN = 0.18
RESPONSE_TIME_MAX = 0.30


# --------------------------------------------------------------------- noise

def unit_noise(rng):
    """A bell-shaped draw with mean 0 and standard deviation 1.

    The sum of three uniforms on [0, 1) has variance 3/12 = 1/4, so centring
    it and doubling gives unit variance. It is bounded to (-3, 3), which
    keeps a single unlucky minute from producing a wild spike.
    """
    r = rng.random
    return (r() + r() + r() - 1.5) * 2.0


class Wander:
    """A slowly drifting offset around zero: an AR(1) process.

    Each step keeps `keep` of the previous value and adds a fresh draw. The
    step size is chosen so that, once settled, the offset has standard
    deviation `spread`; the closer `keep` is to 1, the longer the drift takes
    to change direction (about 1 / (1 - keep) minutes).
    """

    def __init__(self, rng, keep, spread):
        self.rng = rng
        self.keep = keep
        # The settled variance of x' = k x + s e is s^2 / (1 - k^2); pick s
        # to make that spread^2. (IEEE 754 requires sqrt to be correctly
        # rounded, so unlike exp or cos it gives the same bits everywhere.)
        self.step = spread * math.sqrt(1.0 - keep * keep)
        # Start somewhere inside the settled range rather than at exactly 0,
        # so the first minutes are not suspiciously clean.
        self.value = spread * unit_noise(rng) * 0.5

    def next(self):
        self.value = self.keep * self.value + self.step * unit_noise(self.rng)
        return self.value


def smoothstep(x):
    """0 at x <= 0, 1 at x >= 1, an S-curve in between with flat ends."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return x * x * (3.0 - 2.0 * x)


# --------------------------------------------------------------- cpu shapes
#
# Each shape returns the list of "clean" cpu values, one per minute. Noise
# is layered on top later by render(), the same way for every trace.

def diurnal_shape(rng, days):
    """A working-week daily cycle, minute 0 being Monday 00:00.

    Load bottoms out at 04:00 (~100), climbs through the morning to a peak
    at 14:00 (~440 on weekdays), and falls away through the evening and
    night until 04:00 the next day. Saturdays and Sundays peak at about 60%
    of a weekday. Each day's peak also varies by about 1% (at most 3%) so
    the days are not carbon copies.

    A "cycle" runs from one 04:00 trough to the next, so the peak level
    changes only at a trough and the curve never jumps at midnight. The
    trace's first four hours (Monday 00:00-04:00) are the tail of the
    Sunday cycle before it.
    """
    trough = 100.0
    # Set a little under the intended ~440 crest: the day's maximum is where
    # the noise happens to peak too, so it lands a few percent higher.
    weekday_peak = 430.0
    weekend_peak = weekday_peak * 0.6
    trough_at = 4 * 60          # 04:00
    rise = 10 * 60              # 04:00 -> 14:00
    fall = MINUTES_PER_DAY - rise  # 14:00 -> 04:00 next day

    # Cycle c holds the peak of day c; c = -1 is the Sunday before minute 0.
    peaks = {}
    for cycle in range(-1, days + 1):
        weekday = cycle % 7     # 0 = Monday ... 5 = Saturday, 6 = Sunday
        base = weekend_peak if weekday >= 5 else weekday_peak
        peaks[cycle] = base * (1.0 + 0.01 * unit_noise(rng))

    shape = []
    for minute in range(days * MINUTES_PER_DAY):
        since = minute - trough_at
        cycle = since // MINUTES_PER_DAY
        into = since - cycle * MINUTES_PER_DAY
        height = peaks[cycle] - trough
        if into < rise:
            level = smoothstep(into / rise)
        else:
            level = 1.0 - smoothstep((into - rise) / fall)
        shape.append(trough + height * level)
    return shape


def flash_crowd_shape():
    """Six quiet-ish hours with a sudden crowd arriving after two of them.

    ~150 up to and including minute 120; a climb over the next three
    minutes to ~560 at minute 123; a 30-minute plateau (123..152); then a
    decay back to 150 over 60 minutes (153..212) that starts steep and
    flattens out, like a crowd drifting away; then baseline to the end.
    """
    baseline = 150.0
    crest = 560.0
    start = 120
    climb = 3
    hold = 30
    decay = 60
    keep = 0.92                 # fraction of the surplus left after a minute

    # keep**k by repeated multiplication (exact IEEE, no pow()). The tail
    # value is subtracted and the rest rescaled so the surplus reaches
    # exactly zero at the end of the decay instead of lingering.
    powers = [1.0]
    for _ in range(decay):
        powers.append(powers[-1] * keep)
    tail = powers[decay]

    shape = []
    for minute in range(6 * 60):
        if minute < start:
            surplus = 0.0
        elif minute < start + climb:
            surplus = smoothstep((minute - start) / climb)
        elif minute < start + climb + hold:
            surplus = 1.0
        elif minute < start + climb + hold + decay:
            k = minute - (start + climb + hold) + 1
            surplus = (powers[k] - tail) / (1.0 - tail)
        else:
            surplus = 0.0
        shape.append(baseline + (crest - baseline) * surplus)
    return shape


def slow_ramp_shape():
    """A straight climb from ~100 to ~520 over 8 hours, then 4 flat hours."""
    low = 100.0
    high = 520.0
    ramp = 8 * 60
    shape = []
    for minute in range(12 * 60):
        if minute < ramp:
            shape.append(low + (high - low) * minute / ramp)
        else:
            shape.append(high)
    return shape


# ------------------------------------------------------------------ render

def render(shape, rng):
    """Turn clean cpu values into CSV lines with fleet-like noise.

    Every column gets a slow AR(1) drift of a few percent (the fleet's load
    mix changing over tens of minutes) and a much smaller per-minute
    jitter. cpu drifts on its own; requests and memory follow the noisy cpu
    with their own independent drift, so the ratios wobble a little as they
    would in real metrics. All values are clamped at zero.
    """
    cpu_drift = Wander(rng, keep=0.98, spread=0.02)
    req_drift = Wander(rng, keep=0.97, spread=0.02)
    mem_drift = Wander(rng, keep=0.995, spread=0.015)
    rt_drift = Wander(rng, keep=0.995, spread=0.015)

    lines = [HEADER]
    append = lines.append
    for minute, clean in enumerate(shape):
        cpu = clean * (1.0 + cpu_drift.next() + 0.004 * unit_noise(rng))
        if cpu < 0.0:
            cpu = 0.0

        requests = cpu * REQUESTS_PER_CPU * (
            1.0 + req_drift.next() + 0.005 * unit_noise(rng))
        if requests < 0.0:
            requests = 0.0

        memory = (MEMORY_FIXED + cpu * MEMORY_PER_CPU) * (
            1.0 + mem_drift.next() + 0.002 * unit_noise(rng))
        if memory < 0.0:
            memory = 0.0

        rt = RESPONSE_TIME_MEAN + rt_drift.next() + 0.003 * unit_noise(rng)
        if rt < RESPONSE_TIME_MIN:
            rt = RESPONSE_TIME_MIN
        elif rt > RESPONSE_TIME_MAX:
            rt = RESPONSE_TIME_MAX

        # round() and the fixed-point formatting below are exact, platform
        # independent operations on the float (ties go to even).
        append(f"{minute},{cpu:.1f},{round(requests)},{memory:.1f},{rt:.3f}")
    append("")                  # trailing newline
    return "\n".join(lines)


def write_atomically(path, text):
    """Write text to path via a temporary file in the same directory, so a
    reader never sees a half-written trace and a crash leaves the old one."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the permissions an
        # ordinary open() would have, i.e. 0666 minus the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            # Encode ourselves so no platform newline translation happens.
            f.write(text.encode("ascii"))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# -------------------------------------------------------------------- main

def standard_traces():
    """(file name, CSV text) for each of the bundled traces."""
    rng = random.Random(SEED_DIURNAL_WEEK)
    yield "diurnal-week.csv", render(diurnal_shape(rng, 7), rng)

    rng = random.Random(SEED_FLASH_CROWD)
    yield "flash-crowd.csv", render(flash_crowd_shape(), rng)

    rng = random.Random(SEED_SLOW_RAMP)
    yield "slow-ramp.csv", render(slow_ramp_shape(), rng)


def year_trace():
    """365 days (525,600 minutes) of the diurnal pattern."""
    rng = random.Random(SEED_YEAR)
    return render(diurnal_shape(rng, 365), rng)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Generate deterministic load traces for `scalec simulate`.")
    parser.add_argument(
        "--out-dir", metavar="DIR", default=DEFAULT_OUT_DIR,
        help="where to write the bundled traces (default: %(default)s)")
    parser.add_argument(
        "--year", metavar="PATH",
        help="write only a 365-day diurnal trace (525,600 rows) to PATH")
    args = parser.parse_args(argv)

    if args.year:
        write_atomically(args.year, year_trace())
        print(f"wrote {args.year}")
        return 0

    for name, text in standard_traces():
        path = os.path.join(args.out_dir, name)
        write_atomically(path, text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
