#!/usr/bin/env python3
"""numpy matmul on the same GEMM shapes and inputs as gemm_bench.c: the reference for the limit.

    python3 numpy_bench.py [--reps R] [--min-time S] [--det N] [--dump DIR] [--quick]

Threads: numpy's bundled OpenBLAS reads OPENBLAS_NUM_THREADS (or OMP_NUM_THREADS) when numpy is
imported; run.sh sets them. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, if set on this machine, slow a
current numpy down: run.sh unsets both for this command alone. The kernel numpy's OpenBLAS runs
is printed from threadpoolctl.

Prints the same tab-separated result lines as gemm_bench.c (label "numpy"):
    R numpy <threads> <prec> <case> <M> <N> <K> <best GFLOP/s> <median GFLOP/s> <hash> <det>
The hash here is the first 16 hex digits of SHA-256, comparable only between numpy runs. The
inputs are bit-identical to gemm_bench.c's, so dumps can be compared with `gemm_bench --compare`.
"""
import argparse
import hashlib
import math
import os
import statistics
import sys
import time

import numpy as np

MLPS = [("digits", 200, 64, 64, 10), ("synthetic", 200, 100, 256, 10),
        ("fmnist", 200, 784, 256, 10), ("bigbatch", 1024, 784, 256, 10)]


def cases(quick):
    """(name, M, N, K, transA, transB), in gemm_bench.c's order."""
    out = []
    for tag, B, F, H, C in MLPS:
        out.append((f"{tag} fwd1 X*W", B, H, F, False, False))
        out.append((f"{tag} fwd2 H*W2", B, C, H, False, False))
        out.append((f"{tag} bwd dW=Xt*dH", F, H, B, True, False))
        out.append((f"{tag} bwd dX=dH*Wt", B, F, H, False, True))
    if not quick:
        out.append(("square 2048^3", 2048, 2048, 2048, False, False))
    return out


def inputs(seed, n):
    """gemm_bench.c's input_value(seed, i) for i < n: splitmix64, 53 bits, k * 2^-52 - 1."""
    u = np.uint64
    z = (u(seed) << u(32)) + np.arange(n, dtype=np.uint64) + u(0x9E3779B97F4A7C15)
    z = (z ^ (z >> u(30))) * u(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> u(27))) * u(0x94D049BB133111EB)
    z = z ^ (z >> u(31))
    return (z >> u(11)).astype(np.float64) * (1.0 / 4503599627370496.0) - 1.0


def file_name(directory, prec, name):
    clean = "".join("_" if c in " *^=" else c for c in name)
    return os.path.join(directory, f"{prec}_{clean}.bin")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--min-time", type=float, default=0.05)
    ap.add_argument("--det", type=int, default=20)
    ap.add_argument("--dump")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    reps = max(1, args.reps)

    print(f"# library numpy {np.__version__} matmul (python {sys.version.split()[0]})")
    for var in ("OMP_NUM_THREADS", "BLIS_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"# env {var}={os.environ[var]}")
    threads = None
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            if info.get("user_api") == "blas":
                print("# numpy blas: {} {} kernel={} threading={} num_threads={} ({})".format(
                    info.get("internal_api"), info.get("version"), info.get("architecture"),
                    info.get("threading_layer"), info.get("num_threads"),
                    os.path.basename(info.get("filepath", ""))))
                threads = info.get("num_threads")
    except ImportError:
        print("# threadpoolctl not installed: kernel unknown (pip install threadpoolctl)")
    if threads is None:
        threads = int(os.environ.get("OPENBLAS_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "0")))

    if args.dump:
        os.makedirs(args.dump, exist_ok=True)
    for prec, dtype in (("s", np.float32), ("d", np.float64)):
        for name, M, N, K, ta, tb in cases(args.quick):
            a = inputs(1, M * K).astype(dtype)
            b = inputs(2, K * N).astype(dtype)
            A = a.reshape(K, M).T if ta else a.reshape(M, K)   # Xᵀ: X stored K x M
            B = b.reshape(N, K).T if tb else b.reshape(K, N)   # Wᵀ: W stored N x K
            C = np.zeros((M, N), dtype=dtype)
            ref = np.matmul(A, B)
            t0 = time.perf_counter()
            np.matmul(A, B, out=C)
            t1 = time.perf_counter() - t0
            iters = max(1, math.ceil(args.min_time / t1)) if t1 > 0 else 1000
            flop = 2.0 * M * N * K * iters
            diffs = int(not np.array_equal(C, ref))
            rates = []
            for _ in range(reps):
                t0 = time.perf_counter()
                for _ in range(iters):
                    np.matmul(A, B, out=C)
                rates.append(flop / (time.perf_counter() - t0) * 1e-9)
                diffs += int(C.tobytes() != ref.tobytes())
            for _ in range(min(args.det, 3) if M >= 2048 else args.det):
                np.matmul(A, B, out=C)
                diffs += int(C.tobytes() != ref.tobytes())
            digest = hashlib.sha256(ref.tobytes()).hexdigest()[:16]
            det = "same" if diffs == 0 else f"DIFF({diffs})"
            print(f"R\tnumpy\t{threads}\t{prec}\t{name}\t{M}\t{N}\t{K}\t{max(rates):.2f}\t"
                  f"{statistics.median(rates):.2f}\t{digest}\t{det}", flush=True)
            if args.dump:
                ref.tofile(file_name(args.dump, prec, name))


if __name__ == "__main__":
    main()
