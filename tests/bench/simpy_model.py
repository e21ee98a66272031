#!/usr/bin/env python3
"""The simulator's background-load model (tokenbench core/sim, lanes A-F) written for SimPy.

bench_sim starts this with the same users, request rate and window it gives its own engine, and
prints both event rates side by side. Works with Debian's python3-simpy (SimPy 2.3, SimPy.Simulation)
and with SimPy 3/4 (import simpy). Prints one JSON line: {"simpy": version, "events": N, "seconds": S}.
"""
import json
import math
import random
import sys
import time

USERS = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
RATE_PER_MIN = float(sys.argv[2]) if len(sys.argv) > 2 else 6.0
WINDOW_S = float(sys.argv[3]) if len(sys.argv) > 3 else 300.0
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 1

US = 1_000_000
INTERVAL = int(round(60 / RATE_PER_MIN * US))
WINDOW = int(WINDOW_S * US)
LIFE = 300 * US        # access-token lifetime (lanes B, C, D)
BFF_LIFE = 300 * US    # BFF API-token lifetime (lane F)
TTL = 5 * US           # introspection cache TTL (lane E)

rng = random.Random(SEED)


def lognormal_table(median_us, p99_us, size=1024):
    sigma = math.log(p99_us / median_us) / 2.3263478740408408 if p99_us > median_us else 0.0
    nd = __import__("statistics").NormalDist()
    return [int(round(median_us * 1000 * math.exp(sigma * nd.inv_cdf((i + 0.5) / size)))) for i in range(size)]


RTT = lognormal_table(200, 274)
VERIFY = lognormal_table(20, 24)
INTRO = lognormal_table(1000, 2000)
SIGN_NS = 680_000


def bucket(ns):
    if ns < 128:
        return ns
    e = ns.bit_length() - 1
    return (e - 6) * 128 + ((ns >> (e - 7)) & 127)


class Lane:
    __slots__ = ("hist", "ops", "requests", "refreshes", "mints", "exp")

    def __init__(self, init_exp):
        self.hist = {}
        self.ops = 0
        self.requests = 0
        self.refreshes = 0
        self.mints = 0
        self.exp = init_exp

    def record(self, ns):
        b = bucket(ns)
        self.hist[b] = self.hist.get(b, 0) + 1
        self.requests += 1


phases = [rng.randrange(INTERVAL) for _ in range(USERS)]
spread = (LIFE + INTERVAL - 1) // INTERVAL
lanes = {
    "A": Lane(None),
    "B": Lane([p + INTERVAL * rng.randrange(spread) for p in phases]),
    "C": Lane([p + INTERVAL * rng.randrange(spread) for p in phases]),
    "D": Lane([p + INTERVAL * rng.randrange(spread) for p in phases]),
    "E": Lane([0] * USERS),
    "F": Lane([p + INTERVAL * rng.randrange(spread) for p in phases]),
}
A, B, C, D, E, F = (lanes[k] for k in "ABCDEF")
events = 0


def sample(table):
    return table[rng.getrandbits(10)]


def handle(u, now):
    """The same per-request work as Lane::background in core/sim/Engine.cpp, for the six lanes."""
    global events
    events += 1
    A.ops += 1
    A.record(sample(RTT))
    for lane in (B, C, D):
        if now >= lane.exp[u]:
            if lane is D:
                lane.refreshes += 1
                lane.ops += 2
            else:
                lane.mints += 1
            lane.exp[u] = now + LIFE
        ns = sample(VERIFY)
        if lane is C:
            lane.ops += 1
            ns += sample(RTT)
        lane.record(ns)
    if now < E.exp[u]:
        E.record(1000)
    else:
        E.ops += 1
        E.exp[u] = now + TTL
        E.record(sample(INTRO))
    F.ops += 1
    ns = sample(RTT) + sample(VERIFY)
    if now >= F.exp[u]:
        F.mints += 1
        F.exp[u] = now + BFF_LIFE
        ns += SIGN_NS
    F.record(ns)


def run_simpy2():
    from SimPy import Simulation as S

    class User(S.Process):
        def run(self, u):
            while True:
                handle(u, int(S.now()))
                yield S.hold, self, INTERVAL

    S.initialize()
    for u in range(USERS):
        p = User()
        S.activate(p, p.run(u), at=phases[u])
    S.simulate(until=WINDOW - 1)
    return ""


def run_simpy3():
    import simpy

    env = simpy.Environment()

    def user(u):
        yield env.timeout(phases[u])
        while True:
            handle(u, int(env.now))
            yield env.timeout(INTERVAL)

    for u in range(USERS):
        env.process(user(u))
    env.run(until=WINDOW)
    return simpy.__version__


def main():
    start = time.perf_counter()
    cpu0 = time.process_time()
    try:
        version = run_simpy3()
    except ImportError:
        version = "SimPy.Simulation " + getattr(__import__("SimPy"), "__version__", "2.x") + run_simpy2()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    print(json.dumps({"simpy": version, "events": events, "seconds": seconds, "cpu_seconds": cpu,
                      "store_ops_A": A.ops, "refreshes_D": D.refreshes}))


if __name__ == "__main__":
    main()
