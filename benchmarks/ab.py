#!/usr/bin/env python3
"""Times two commands as whole processes, alternated pair by pair, and prints each one's wall and CPU
time (min / median / max) and the ratio A / B pair by pair.

Usage: python3 benchmarks/ab.py -n PAIRS --vs "COMMAND B" -- COMMAND A ...
Both commands run through /bin/sh when given as one string; A may also be given as words after `--`.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


def timed(command):
    """Wall and CPU (user + system of the children) seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, shell=isinstance(command, str), stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"ab.py: {command!r} exited {result.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def spread(values):
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="pairs (default 10)")
    parser.add_argument("--vs", required=True, help="command B, as one shell string")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command A (after --)")
    options = parser.parse_args()
    words = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not words:
        parser.error("give command A after --")
    a = words[0] if len(words) == 1 else words
    runs = {"A": [], "B": []}
    for pair in range(options.n):
        # Alternate which goes first, so that neither always meets a warm or a cold machine.
        order = [("A", a), ("B", options.vs)] if pair % 2 == 0 else [("B", options.vs), ("A", a)]
        for name, command in order:
            runs[name].append(timed(command))
    for name in ("A", "B"):
        print(f"{name}: wall {spread([w for w, _ in runs[name]])}, cpu {spread([c for _, c in runs[name]])}")
    ratios = [wa / wb for (wa, _), (wb, _) in zip(runs["A"], runs["B"])]
    print(f"A / B pair by pair (wall): {min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}")


if __name__ == "__main__":
    main()
