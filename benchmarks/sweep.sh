#!/usr/bin/env bash
# A 2x2 sweep run in parallel against its four runs one after another, side by side in one script:
#   parallel:   athanor run NB --sweep lr=A,B --sweep hidden=C,D -j J
#   sequential: athanor run NB -p lr=.. -p hidden=..   four times, one process each
#   -j 1:       athanor run NB --sweep ... -j 1          (the same sweep, one run at a time)
# Each measurement starts from an empty .athanor, so that no side finds the other's cache; the whole
# process is timed (reports included). Prints the median of N rounds and the ratios (target: parallel at
# most 0.65x the sequential runs with -j 2 on 2 cores).
# Usage: benchmarks/sweep.sh [N (default 5)] [JOBS (default 2)]
# NOTEBOOK, LR, HIDDEN and EPOCHS in the environment change the grid (default: digits.md, lr=0.001,0.003,
# hidden=128,256, epochs=300: at the notebook's 40 epochs and 64 units its MLP trains in 40 ms, and loading,
# splitting and scaling the data, computed once on both sides, would dominate).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/timing.sh
rounds=${1:-5}
jobs=${2:-2}
notebook=${NOTEBOOK:-digits.md}
lrs=${LR:-0.001,0.003}
hiddens=${HIDDEN:-128,256}
epochs=${EPOCHS:-300}
work_in_copy_of_notebooks

now_us() { echo $(($(date +%s%N) / 1000)); }

sequential() {
    local lr hidden
    for lr in ${lrs//,/ }; do
        for hidden in ${hiddens//,/ }; do
            "$athanor" run "$notebook" -q -p "lr=$lr" -p "hidden=$hidden" -p "epochs=$epochs" >/dev/null
        done
    done
}
sweep() {
    "$athanor" run "$notebook" -q --sweep "lr=$lrs" --sweep "hidden=$hiddens" -p "epochs=$epochs" -j "$1" >/dev/null
}
measure() {
    local start
    rm -rf .athanor ./*-sweep.html
    start=$(now_us)
    "$@"
    echo $(($(now_us) - start))
}

parallel_times=() sequential_times=() serial_times=()
for round in $(seq "$rounds"); do
    # The order turns with each round, so that no side always runs first on a cold machine.
    for turn in 0 1 2; do
        case $(((round + turn) % 3)) in
        0) parallel_times+=("$(measure sweep "$jobs")") ;;
        1) sequential_times+=("$(measure sequential)") ;;
        2) serial_times+=("$(measure sweep 1)") ;;
        esac
    done
done
p=$(printf '%s\n' "${parallel_times[@]}" | median)
s=$(printf '%s\n' "${sequential_times[@]}" | median)
one=$(printf '%s\n' "${serial_times[@]}" | median)
ms() { echo "scale=1; $1 / 1000" | bc -l; }
echo "grid: $notebook --sweep lr=$lrs --sweep hidden=$hiddens -p epochs=$epochs; $(nproc) cores; median of $rounds"
printf "sweep -j %s:                 %8.1f ms\n" "$jobs" "$(ms "$p")"
printf "sweep -j 1:                 %8.1f ms\n" "$(ms "$one")"
printf "4 x 'athanor run -p ...':   %8.1f ms\n" "$(ms "$s")"
printf "ratio -j %s / sequential runs: %.2f (target <= 0.65)\n" "$jobs" "$(echo "$p / $s" | bc -l)"
printf "ratio -j %s / -j 1:            %.2f\n" "$jobs" "$(echo "$p / $one" | bc -l)"
