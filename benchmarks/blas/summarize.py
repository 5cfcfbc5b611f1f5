#!/usr/bin/env python3
"""Summarizes run.sh output folders: GFLOP/s table, determinism, agreement between libraries.

    python3 summarize.py OUT_DIR [OUT_DIR ...]     (several folders: their runs are pooled)

Reads OUT_DIR/<lib>-t<threads>-r<repeat>.txt (result lines of gemm_bench.c / numpy_bench.py)
and OUT_DIR/cmp-*.txt (`gemm_bench --compare` output). Prints Markdown tables.
  best   = the fastest timed batch over all repeats (least disturbed by other load)
  median = median over repeats of each run's median batch
  x np   = best / numpy's best, same precision and same thread count
"""
import collections
import glob
import os
import re
import statistics
import sys

ORDER = ["blis", "blis-generic", "openblas", "numpy"]


def main(outs):
    runs = collections.defaultdict(list)      # (lib, threads, prec, case) -> [(best, median, hash, det)]
    shapes = {}
    info = collections.defaultdict(set)
    logs = sorted(p for out in outs for p in glob.glob(os.path.join(out, "*-t*-r*.txt")))
    for path in logs:
        m = re.match(r"(.+)-t(\d+)-r(\d+)\.txt$", os.path.basename(path))
        if not m:
            continue
        lib, threads = m.group(1), int(m.group(2))
        for line in open(path):
            if line.startswith("# ") and not line.startswith("# env"):
                info[lib].add(line[2:].strip())
            if not line.startswith("R\t"):
                continue
            _, _, _, prec, case, M, N, K, best, med, h, det = line.rstrip("\n").split("\t")
            shapes[case] = f"{M}x{N}x{K}"
            runs[(lib, threads, prec, case)].append((float(best), float(med), h, det))
    if not runs:
        sys.exit(f"no results in {' '.join(outs)}")
    libs = [l for l in ORDER if any(k[0] == l for k in runs)]
    threads = sorted({k[1] for k in runs})
    cases = list(dict.fromkeys(k[3] for k in sorted(runs, key=lambda k: list(shapes).index(k[3]))))
    nrep = max(len(v) for v in runs.values())

    print()
    for out in outs:
        machine = os.path.join(out, "machine.txt")
        if os.path.exists(machine):
            print(open(machine).read().strip())
    for lib in libs:
        for line in sorted(info[lib]):
            if not line.startswith("library ") or lib == "numpy":
                print(f"# {lib}: {line}")

    def best(lib, t, prec, case):
        v = runs.get((lib, t, prec, case))
        return max(r[0] for r in v) if v else None

    def median(lib, t, prec, case):
        v = runs.get((lib, t, prec, case))
        return statistics.median(r[1] for r in v) if v else None

    for prec, title in (("s", "sgemm (float32)"), ("d", "dgemm (float64)")):
        print(f"\n## {title}: GFLOP/s, best of {nrep} runs (median), x np = ratio to numpy's best\n")
        head = ["shape (MxNxK)"] + [f"{lib} {t}T" for t in threads for lib in libs]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for case in cases:
            row = [f"{case} ({shapes[case]})"]
            for t in threads:
                ref = best("numpy", t, prec, case)
                for lib in libs:
                    b, md = best(lib, t, prec, case), median(lib, t, prec, case)
                    if b is None:
                        row.append("")
                        continue
                    cell = f"{b:.1f} ({md:.1f})"
                    if ref and lib != "numpy":
                        cell += f" x{b / ref:.2f}"
                    row.append(cell)
            print("| " + " | ".join(row) + " |")

    print("\n## Long form: shape, library, threads, GFLOP/s (best / median), ratio to numpy\n")
    print("| prec | shape | library | threads | best | median | x numpy |")
    print("|---|---|---|---|---|---|---|")
    for prec in ("s", "d"):
        for case in cases:
            for lib in libs:
                for t in threads:
                    b = best(lib, t, prec, case)
                    if b is None:
                        continue
                    ref = best("numpy", t, prec, case)
                    ratio = f"{b / ref:.2f}" if ref else ""
                    print(f"| {prec} | {case} ({shapes[case]}) | {lib} | {t} | {b:.1f} | "
                          f"{median(lib, t, prec, case):.1f} | {ratio} |")

    print("\n## Determinism (bit-identical results)\n")
    print("| library | threads | same within a process | same across runs | same as "
          f"{threads[0]} thread(s) |")
    print("|---|---|---|---|---|")
    for lib in libs:
        for t in threads:
            keys = [k for k in runs if k[0] == lib and k[1] == t]
            inproc = sum(all(r[3] == "same" for r in runs[k]) for k in keys)
            across = sum(len({r[2] for r in runs[k]}) == 1 for k in keys)
            vs1 = [k for k in keys if (lib, threads[0], k[2], k[3]) in runs]
            same1 = [k for k in vs1 if {r[2] for r in runs[k]} == {r[2] for r in runs[(lib, threads[0], k[2], k[3])]}]
            differ = sorted(f"{k[2]} {k[3]}" for k in vs1 if k not in same1)
            note = f"{len(same1)}/{len(vs1)}" + (f" (differ: {', '.join(differ)})" if differ and t != threads[0] else "")
            print(f"| {lib} | {t} | {inproc}/{len(keys)} | {across}/{len(keys)} | {note} |")

    inter = collections.defaultdict(list)
    for out in outs:
        path = os.path.join(out, "interleave.txt")
        if os.path.exists(path):
            for line in open(path):
                f = line.rstrip("\n").split("\t")
                if f[0] == "I":
                    inter[(f[1], f[2], f[8], f[3], f[4])].append(tuple(map(float, f[5:8])))
    if inter:
        print("\n## Interleaved: N x (fmnist forward sgemm, then a gap of other work), "
              "medians over runs\n")
        print("| library | threads | OMP_WAIT_POLICY | N x gap | GEMM ms | wall ms | process CPU ms | CPU / wall |")
        print("|---|---|---|---|---|---|---|---|")
        for (lib, t, policy, n, gap), v in sorted(inter.items()):
            g, w, c = (statistics.median(x[i] for x in v) for i in range(3))
            print(f"| {lib} | {t} | {policy} | {n} x {int(gap) // 1000} ms | {g:.0f} | {w:.0f} | {c:.0f} | {c / w:.2f} |")

    # Agreement from the first folder that has comparisons (the inputs are the same in every run).
    cmps = next((c for c in (sorted(glob.glob(os.path.join(o, "cmp-*.txt"))) for o in outs) if c), [])
    if cmps:
        print("\n## Agreement: cases bit-identical, max normwise relative difference max|a-b|/max|b|\n")
        print("| comparison | float32 identical | float32 max rel diff | float64 identical | float64 max rel diff |")
        print("|---|---|---|---|---|")
        for path in cmps:
            name = os.path.basename(path)[4:-4].replace("-vs-", " vs ")
            agg = {"s": [0, 0, 0.0], "d": [0, 0, 0.0]}
            for line in open(path):
                f = line.rstrip("\n").split("\t")
                if f[0] != "C" or f[1] not in agg:
                    continue
                a = agg[f[1]]
                a[0] += f[3] == "yes"
                a[1] += 1
                a[2] = max(a[2], float(f[6]))
            print(f"| {name} | {agg['s'][0]}/{agg['s'][1]} | {agg['s'][2]:.2g} | "
                  f"{agg['d'][0]}/{agg['d'][1]} | {agg['d'][2]:.2g} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["."])
