#!/usr/bin/env bash
# A fully cached re-run of an example notebook against starting a bare `python3 -c pass`, side by
# side in one run: median wall time of each over N runs, and the ratio (target: at most 4x).
# Usage: benchmarks/cached-rerun.sh [NOTEBOOK (default digits.md)] [N (default 20)]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/timing.sh
notebook=${1:-digits.md}
runs=${2:-20}
work_in_copy_of_notebooks
"$athanor" run "$notebook" -q >/dev/null  # fill the cache

# python3 on PATH may be a version manager's shim; time the interpreter it resolves to as well.
interpreter=$(python3 -c 'import sys; print(sys.executable)')
cached=() python=() direct=()
for _ in $(seq "$runs"); do
    cached+=("$(time_us "$athanor" run "$notebook" -q)")
    python+=("$(time_us python3 -c pass)")
    direct+=("$(time_us "$interpreter" -c pass)")
done
a=$(printf '%s\n' "${cached[@]}" | median)
p=$(printf '%s\n' "${python[@]}" | median)
printf "cached 'athanor run %s': median %.1f ms over %d runs\n" "$notebook" "$(echo "$a / 1000" | bc -l)" "$runs"
printf "'python3 -c pass':            median %.1f ms\n" "$(echo "$p / 1000" | bc -l)"
d=$(printf '%s\n' "${direct[@]}" | median)
printf "'%s -c pass': median %.1f ms\n" "$interpreter" "$(echo "$d / 1000" | bc -l)"
printf "ratio to python3 on PATH: %.2fx, to the interpreter itself: %.2fx (target <= 4x)\n" \
    "$(echo "$a / $p" | bc -l)" "$(echo "$a / $d" | bc -l)"
