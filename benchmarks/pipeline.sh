#!/usr/bin/env bash
# A whole pipeline against the same pipeline as a pandas + scikit-learn script, side by side:
#   athanor run benchmarks/pipeline/pipeline.md --no-cache      load, split, standardize, logistic, evaluate
#   python3 benchmarks/pipeline/sklearn_pipeline.py data.csv     read_csv, train_test_split, StandardScaler, ...
# on a CSV of ROWS rows × 20 features (benchmarks/pipeline/make_data.py). Whole processes, interleaved
# (the order turns each round), N rounds; prints the median wall time and peak RSS (/usr/bin/time) of each
# side and their ratios (targets: time ≤ 1.0×, memory ≤ 1.5×), and the accuracy each reached.
# Usage: benchmarks/pipeline.sh [ROWS (default 300000)] [N (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/timing.sh
rows=${1:-300000}
rounds=${2:-5}
swift build -c release --product athanor >/dev/null
athanor=$PWD/.build/release/athanor
[ -x /usr/bin/time ] || { echo "pipeline.sh needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp benchmarks/pipeline/pipeline.md benchmarks/pipeline/sklearn_pipeline.py "$work/"
python3 benchmarks/pipeline/make_data.py "$rows" "$work/data.csv"
cd "$work"

# "SECONDS KILOBYTES" of one whole process.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>/dev/null
    cat "$work/time.txt"
}
engine_side() { rm -rf .athanor; measure "$athanor" run pipeline.md --no-cache -q; }
python_side() { measure python3 sklearn_pipeline.py data.csv; }

engine_side >/dev/null  # a warm-up of each, so that neither side pays for a cold page cache
python_side >/dev/null
engine_s=() engine_kb=() python_s=() python_kb=()
for round in $(seq "$rounds"); do
    for turn in 0 1; do
        if [ $(((round + turn) % 2)) -eq 0 ]; then
            read -r s kb < <(engine_side)
            engine_s+=("$s") engine_kb+=("$kb")
        else
            read -r s kb < <(python_side)
            python_s+=("$s") python_kb+=("$kb")
        fi
    done
done
"$athanor" run pipeline.md -q --json >"$work/run.json"
engine_accuracy=$(python3 -c "import json; print('%.4f' % json.load(open('$work/run.json'))['metrics']['eval.accuracy'])")
python_accuracy=$(python3 sklearn_pipeline.py data.csv | awk '{print $2}')
es=$(printf '%s\n' "${engine_s[@]}" | median)
ps=$(printf '%s\n' "${python_s[@]}" | median)
ek=$(printf '%s\n' "${engine_kb[@]}" | median)
pk=$(printf '%s\n' "${python_kb[@]}" | median)
echo "pipeline on $rows × 20 ($(du -h data.csv | cut -f1) CSV), $(nproc) cores, median of $rounds interleaved rounds"
printf '%-28s %8s s %8s MB   accuracy %s\n' "athanor run --no-cache" "$es" "$((ek / 1024))" "$engine_accuracy"
printf '%-28s %8s s %8s MB   accuracy %s\n' "pandas + scikit-learn" "$ps" "$((pk / 1024))" "$python_accuracy"
printf 'ratio athanor / python: time %.2f×, peak memory %.2f×\n' "$(echo "$es / $ps" | bc -l)" "$(echo "$ek / $pk" | bc -l)"
