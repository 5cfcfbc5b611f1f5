#!/usr/bin/env python3
"""Times the engine's k-means fit (digits, k=10, 10 restarts) under an inherited thread setting.

    python3 benchmarks/kmeans_threads.py [--repeat 21] [--env OMP_NUM_THREADS=2] [BENCH ...]

BENCH is an EngineBenchmarks binary (default: this checkout's release build, built first); give
several to compare builds, e.g. one built from an older commit. Each fit runs in its own process,
with the data of benchmarks/engine_vs_sklearn.py (scikit-learn's digits, 80/20, standardized), and
the median and minimum fit time of each binary are printed. It shows nested threads: k-means
restarts on every core, each calling multi-threaded BLIS, when OMP_NUM_THREADS or
BLIS_NUM_THREADS is inherited from the shell.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from engine_vs_sklearn import BENCH, ROOT, write  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the fits (repeatable)")
    parser.add_argument("bench", nargs="*")
    options = parser.parse_args()
    benches = options.bench
    if not benches:
        subprocess.run(["swift", "build", "-c", "release", "--product", "EngineBenchmarks"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        benches = [BENCH]
    environment = dict(os.environ)
    for item in options.env:
        name, _, value = item.partition("=")
        environment[name] = value
    with tempfile.TemporaryDirectory() as directory:
        digits = load_digits()
        x_train, x_test, y_train, y_test = train_test_split(digits.data, digits.target, test_size=0.2, random_state=0)
        scaler = StandardScaler().fit(x_train)
        write(directory, "digits", scaler.transform(x_train), y_train, scaler.transform(x_test), y_test)
        print(f"environment: {' '.join(options.env) or '(as inherited)'}; {options.repeat} fits per binary")
        # Interleaved, so that other load on the machine falls on every binary alike.
        times = {bench: [] for bench in benches}
        last = {}
        for _ in range(options.repeat):
            for bench in benches:
                out = subprocess.run([bench, directory, "digits", "kmeans"], env=environment, check=True,
                                     capture_output=True, text=True).stdout
                result = json.loads(out)
                times[bench].append(result["fit_seconds"])
                last[bench] = result
        for bench in benches:
            extra = {k: v for k, v in last[bench].items() if k not in ("fit_seconds",)}
            print(f"{bench}: median {statistics.median(times[bench]):.4f} s, min {min(times[bench]):.4f} s; {extra}")


if __name__ == "__main__":
    main()
