#!/usr/bin/env python3
"""Code steps against plain Python, interleaved in one run, as ratios (docs/benchmarks.md).

1. Overhead: the same code as `python3 script.py` and as a python step run by `athanor run -q --no-cache`,
   N alternated pairs; the run's wall time and the step's recorded seconds over the script's wall time.
2. Datasets: athanor.read/athanor.write's functions (athanor_dataset.read_frame/write_frame) on a
   ROWS x 20 float64 DataFrame with missing values, against pandas' Parquet (pyarrow) and numpy's .npy.

Usage: python3 benchmarks/code_step.py [--athanor .build/release/athanor] [--pairs 15] [--rows 1000000]
       (--pairs 0 times the datasets only)
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODE = "total = sum(i * i for i in range(10000))\nprint(total)\n"


def wall(command, cwd, env=None):
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr}")
    return elapsed, done.stdout


def overhead(athanor, pairs):
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "script.py"), "w") as f:
            f.write(CODE)
        with open(os.path.join(folder, "nb.md"), "w") as f:
            f.write("---\ntitle: overhead\n---\n\n```python step code\n" + CODE + "```\n")
        script, run, step = [], [], []
        wall([athanor, "run", "nb.md", "-q", "--no-cache"], folder)  # the store and project, made once
        for _ in range(pairs):
            # `python3` from PATH, as the step runs it (a pyenv shim costs both sides the same).
            script.append(wall(["python3", "script.py"], folder)[0])
            seconds, output = wall([athanor, "run", "nb.md", "-q", "--no-cache", "--json"], folder)
            run.append(seconds)
            step.append(json.loads(output)["steps"][0]["seconds"])
    med = statistics.median
    print(f"overhead, {pairs} alternated pairs (medians):")
    print(f"  python3 script.py            {med(script) * 1000:7.1f} ms")
    print(f"  athanor run -q --no-cache    {med(run) * 1000:7.1f} ms   (+{(med(run) - med(script)) * 1000:.1f} ms)")
    print(f"  the step's recorded seconds  {med(step) * 1000:7.1f} ms   (+{(med(step) - med(script)) * 1000:.1f} ms)")
    pairwise = sorted(s - p for s, p in zip(step, script))
    print(f"  step - script, pair by pair: min {pairwise[0] * 1000:.1f}, median {med(pairwise) * 1000:.1f}, "
          f"max {pairwise[-1] * 1000:.1f} ms")


def datasets(rows, repeats):
    import numpy as np
    import pandas as pd

    sys.path.insert(0, os.path.join(ROOT, "Sources", "Runs", "Python"))
    import athanor_dataset

    generator = np.random.default_rng(0)
    values = generator.normal(size=(rows, 20))
    values[generator.random(size=values.shape) < 0.01] = np.nan
    frame = pd.DataFrame(values, columns=[f"x{i}" for i in range(20)])
    try:
        import pyarrow  # noqa: F401
        peers = ["parquet", "npy", "npy-mmap"]
    except ImportError:
        print("pyarrow is missing (python3 -m pip install pyarrow): Parquet is left out")
        peers = ["npy", "npy-mmap"]

    def write(kind, path):
        if kind == "athanor":
            athanor_dataset.write_frame(path, frame)
        elif kind == "parquet":
            frame.to_parquet(path)
        else:
            np.save(path, frame.to_numpy())

    def read(kind, path):
        if kind == "athanor":
            return athanor_dataset.read_frame(path)
        if kind == "parquet":
            return pd.read_parquet(path)
        # np.load copies the file into new memory; with mmap_mode it maps it, as athanor_dataset does.
        return pd.DataFrame(np.load(path, mmap_mode="r" if kind == "npy-mmap" else None), columns=frame.columns)

    times = {kind: {"write": [], "read": []} for kind in ["athanor"] + peers}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            for kind in times:
                path = os.path.join(folder, f"data.{kind}" + (".npy" if kind.startswith("npy") else ""))
                start = time.perf_counter()
                write(kind, path)
                middle = time.perf_counter()
                back = read(kind, path)
                # Touch every value, column by column, as a step that uses the data would.
                sum(float(np.nansum(back[name].to_numpy())) for name in back.columns)
                end = time.perf_counter()
                times[kind]["write"].append(middle - start)
                times[kind]["read"].append(end - middle)
                os.remove(path)
    med = statistics.median
    print(f"datasets: {rows:,} x 20 float64, 1% missing, {repeats} interleaved rounds (medians):")
    ours = {part: med(times["athanor"][part]) for part in ("write", "read")}
    for kind, parts in times.items():
        write_time, read_time = med(parts["write"]), med(parts["read"])
        line = f"  {kind:9} write {write_time * 1000:7.1f} ms  read {read_time * 1000:7.1f} ms  " \
               f"both {(write_time + read_time) * 1000:7.1f} ms"
        if kind != "athanor":
            line += f"   athanor / {kind}: {(ours['write'] + ours['read']) / (write_time + read_time):.2f}"
        print(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--athanor", default=os.path.join(ROOT, ".build", "release", "athanor"))
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    arguments = parser.parse_args()
    if arguments.pairs > 0:
        overhead(os.path.abspath(arguments.athanor), arguments.pairs)
    datasets(arguments.rows, arguments.repeats)


if __name__ == "__main__":
    main()
