#!/usr/bin/env bash
# GEMM benchmark of the CBLAS candidates for the training engine against numpy's matmul.
# Usage: benchmarks/blas/run.sh          (results: docs/blas.md)
#
# Builds gemm_bench.c, then runs, REPEATS times and interleaved, for each thread count in THREADS:
# Debian's BLIS on the kernel the engine chooses for this CPU ("blis") and on BLIS's generic
# kernel ("blis-generic"), Debian's OpenBLAS (each dlopen'ed by path: this script changes no
# alternatives and installs nothing) and numpy_bench.py; then prints one table (best and median
# GFLOP/s, ratio to numpy in the same precision and thread count), the determinism and
# agreement checks, and the CPU time that idle BLAS threads burn between products. Environment knobs:
#   REPEATS=3  THREADS="1 2"  QUICK=1 (no 2048^3 square)  KEEP=1 (keep the result dumps)
#   BUSY=1     keep one core busy with a spinning shell loop meanwhile (what 2 threads do when
#              something else runs: a build, a parallel test, another engineer's benchmark)
#   BLIS_LIB=/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4      (libblis4-openmp: what the engine links)
#   ARCH=zen3  the BLIS kernel for "blis" (default: the engine's choice, from
#              `swift run -c release EngineBenchmarks --blas-kernel`)
#   GENERIC=0  leave out blis-generic
#   OPENBLAS_LIB=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 (libopenblas0-pthread)
#   OUT=dir   where logs go (default: a new /tmp/blas-bench.* folder)
# The machine is shared and has 2 cores: numbers are noisy, so compare best-of and medians over
# several repeats, and look at `uptime` first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
REPEATS=${REPEATS:-3}
THREADS=${THREADS:-"1 2"}
BLIS_LIB=${BLIS_LIB:-/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4}
OPENBLAS_LIB=${OPENBLAS_LIB:-/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3}
out=${OUT:-$(mktemp -d /tmp/blas-bench.XXXXXX)}
mkdir -p "$out/dump"

quick=()
[ "${QUICK:-0}" = 1 ] && quick=(--quick)

gcc -O2 -std=c11 -ffp-contract=off -Wall -o "$out/gemm_bench" "$here/gemm_bench.c" -ldl -lm

libs=()
if [ -e "$BLIS_LIB" ]; then
    if [ -z "${ARCH:-}" ]; then
        (cd "$here/../.." && swift build -c release --product EngineBenchmarks >/dev/null)
        ARCH=$("$here/../../.build/release/EngineBenchmarks" --blas-kernel)
    fi
    libs+=(blis)
    [ "${GENERIC:-1}" = 1 ] && [ "$ARCH" != generic ] && libs+=(blis-generic)
else
    echo "BLIS not found at $BLIS_LIB (apt-get install libblis4-openmp)" >&2
fi
[ -e "$OPENBLAS_LIB" ] && libs+=(openblas) || {
    echo "OpenBLAS not found at $OPENBLAS_LIB: apt-get install libopenblas0-pthread, and then" >&2
    echo "  update-alternatives --set libblas.so.3-x86_64-linux-gnu $(dirname "$BLIS_LIB")/libblas.so.3" >&2
    echo "  so that -lblas stays BLIS (OpenBLAS registers itself with a higher priority)" >&2
}
python3 -c 'import numpy' 2>/dev/null && libs+=(numpy) || echo "numpy not importable: no reference" >&2
python3 -c 'import threadpoolctl' 2>/dev/null || echo "threadpoolctl missing: numpy's kernel unknown (pip install threadpoolctl)" >&2

{
    echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores;" \
         "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# libblis.so (what the engine links): $(readlink -f /usr/lib/x86_64-linux-gnu/libblis.so 2>/dev/null || echo none)"
    echo "# the engine's BLIS kernel here: ${ARCH:-none}"
} >"$out/machine.txt"

busy_pid=
stop_busy() { if [ -n "$busy_pid" ]; then kill "$busy_pid" 2>/dev/null || true; busy_pid=; fi; }
trap stop_busy EXIT
if [ "${BUSY:-0}" = 1 ]; then
    sh -c 'while :; do :; done' &
    busy_pid=$!
    echo "# BUSY=1: one core kept busy by a spinning loop (pid $busy_pid) during the runs" >>"$out/machine.txt"
fi

for rep in $(seq "$REPEATS"); do
    for t in $THREADS; do
        for lib in "${libs[@]}"; do
            dump=()
            [ "$rep" = 1 ] && dump=(--dump "$out/dump/$lib-t$t")
            log="$out/$lib-t$t-r$rep.txt"
            echo "run $rep/$REPEATS: $lib, $t thread(s)" >&2
            export OMP_NUM_THREADS=$t BLIS_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t
            case $lib in
                blis) "$out/gemm_bench" --label blis --arch "$ARCH" "${quick[@]}" "${dump[@]}" "$BLIS_LIB" >"$log" ;;
                blis-generic) "$out/gemm_bench" --label blis-generic --arch generic "${quick[@]}" "${dump[@]}" \
                    "$BLIS_LIB" >"$log" ;;
                openblas) "$out/gemm_bench" --label openblas "${quick[@]}" "${dump[@]}" "$OPENBLAS_LIB" >"$log" ;;
                # numpy alone runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (they slow it down)
                numpy) env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
                           python3 "$here/numpy_bench.py" "${quick[@]}" "${dump[@]}" >"$log" ;;
            esac
        done
    done
done

# The engine's pattern: a product, then other (single-threaded) work. Shows whether a library's
# idle worker threads spin between products (process CPU time well above GEMM time).
for rep in $(seq "$REPEATS"); do
    for t in $THREADS; do
        for lib in "${libs[@]}"; do
            arch=()
            case $lib in blis) path=$BLIS_LIB arch=(--arch "$ARCH") ;; openblas) path=$OPENBLAS_LIB ;; *) continue ;; esac
            OMP_NUM_THREADS=$t BLIS_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
                "$out/gemm_bench" --interleave --label "$lib" "${arch[@]}" "$path" >>"$out/interleave.txt"
            if [ "$lib" = blis ] && [ "$t" -gt 1 ]; then
                OMP_WAIT_POLICY=passive OMP_NUM_THREADS=$t BLIS_NUM_THREADS=$t \
                    "$out/gemm_bench" --interleave --label "$lib" "${arch[@]}" "$path" >>"$out/interleave.txt"
            fi
        done
    done
done

# Agreement: every pair of libraries at the same thread count, and each library 1 vs 2 threads.
ts=($THREADS)
for ((i = 0; i < ${#libs[@]}; i++)); do
    for ((j = i + 1; j < ${#libs[@]}; j++)); do
        for t in "${ts[@]}"; do
            "$out/gemm_bench" --compare "$out/dump/${libs[i]}-t$t" "$out/dump/${libs[j]}-t$t" \
                >"$out/cmp-${libs[i]}-t$t-vs-${libs[j]}-t$t.txt"
        done
    done
    if [ "${#ts[@]}" -ge 2 ]; then
        "$out/gemm_bench" --compare "$out/dump/${libs[i]}-t${ts[0]}" "$out/dump/${libs[i]}-t${ts[1]}" \
            >"$out/cmp-${libs[i]}-t${ts[0]}-vs-${libs[i]}-t${ts[1]}.txt"
    fi
done
stop_busy
[ "${KEEP:-0}" = 1 ] || rm -rf "$out/dump"

echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
python3 "$here/summarize.py" "$out"
echo "logs: $out"
