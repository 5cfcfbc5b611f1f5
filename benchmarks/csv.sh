#!/usr/bin/env bash
# Reading a large CSV: `athanor run` of a notebook with one `load` step against
# `python3 -c 'import pandas; pandas.read_csv(...)'`, whole processes, interleaved, on two generated
# files: numbers only (ROWS x 20 floats, about 200 MB at the default) and mixed (text columns with
# about ten levels, quoted fields holding commas, missing values). Prints the median wall time and
# peak RSS of each over N rounds, and the throughput ratio athanor/pandas (target: at least 1.0).
#
# `athanor run` also writes the dataset to the cache, which costs more than parsing it; so the reader
# alone is timed too, `Load.run` in EngineBenchmarks against `pandas.read_csv` inside python.
# Usage: benchmarks/csv.sh [N (default 5)] [ROWS (default 1000000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/timing.sh
runs=${1:-5}
rows=${2:-1000000}
[ -x /usr/bin/time ] || { echo "csv.sh needs GNU time for peak RSS: apt-get install time" >&2; exit 1; }
swift build -c release --product EngineBenchmarks >/dev/null
engine=$PWD/.build/release/EngineBenchmarks
work_in_copy_of_notebooks

python3 - "$rows" <<'EOF'
import sys
import numpy as np
import pandas as pd

rows = int(sys.argv[1])
rng = np.random.default_rng(0)
numbers = pd.DataFrame(rng.standard_normal((rows, 20)), columns=[f"x{i}" for i in range(19)] + ["y"])
numbers.to_csv("numeric.csv", index=False, float_format="%.6f")

cities = np.array([f"city, {c}" for c in "ABCDEFGHIJ"])
colours = np.array(["red", "green", "blue", "cyan", "magenta", "yellow", "black", "white", "grey", "brown"])
mixed = pd.DataFrame(rng.standard_normal((rows, 8)).round(6), columns=[f"x{i}" for i in range(8)])
mixed["city"] = cities[rng.integers(0, 10, rows)]
mixed["colour"] = colours[rng.integers(0, 10, rows)]
mixed["size"] = np.array(["S", "M", "L", "XL", "XXL", "XS", "3XL", "4XL", "5XL", "kids"])[rng.integers(0, 10, rows)]
for column in ["x0", "x3", "colour"]:
    mixed.loc[rng.random(rows) < 0.05, column] = np.nan
mixed["label"] = np.array(["a", "b", "c"])[rng.integers(0, 3, rows)]
mixed.to_csv("mixed.csv", index=False)
EOF

for name in numeric mixed; do
    target=$([ "$name" = numeric ] && echo y || echo label)
    printf -- '---\ntitle: %s\n---\n\n```step data\nop: load\npath: %s.csv\ntarget: %s\n```\n' \
        "$name" "$name" "$target" >"$name.md"
done

# Runs a command under GNU time: prints its wall time in microseconds; its peak RSS in KiB goes to $1.
timed() {
    local rss_file=$1
    shift
    time_us /usr/bin/time -f %M -o "$rss_file" "$@"
}
ms() { echo "scale=1; $1 / 1000" | bc -l; }
mb() { echo "$1 / 1024" | bc; }

for name in numeric mixed; do
    target=$([ "$name" = numeric ] && echo y || echo label)
    size=$(stat -c %s "$name.csv")
    # Until the cache stores NaN, a dataset with missing values fails there after it is parsed.
    "$athanor" run "$name.md" --no-cache -q >/dev/null 2>&1 ||
        echo "warning: 'athanor run $name.md' fails (see its report); its time below is not a whole load" >&2
    athanor_us=() pandas_us=() athanor_kb=() pandas_kb=() reader_s=() reader_kb=() read_csv_s=()
    for _ in $(seq "$runs"); do
        athanor_us+=("$(timed rss "$athanor" run "$name.md" --no-cache -q)")
        athanor_kb+=("$(cat rss)")
        pandas_us+=("$(timed rss python3 -c "import pandas; pandas.read_csv('$name.csv')")")
        pandas_kb+=("$(cat rss)")
        /usr/bin/time -f %M -o rss "$engine" csv "$name.csv" "$target" >reader.json
        reader_s+=("$(python3 -c 'import json; print(json.load(open("reader.json"))["load_seconds"])')")
        reader_kb+=("$(cat rss)")
        read_csv_s+=("$(python3 -c "
import time, pandas
start = time.perf_counter(); pandas.read_csv('$name.csv'); print(time.perf_counter() - start)")")
    done
    a=$(printf '%s\n' "${athanor_us[@]}" | median)
    p=$(printf '%s\n' "${pandas_us[@]}" | median)
    r=$(printf '%s\n' "${reader_s[@]}" | median)
    c=$(printf '%s\n' "${read_csv_s[@]}" | median)
    printf '%s.csv: %d MB, median of %d rounds\n' "$name" "$((size / 1000000))" "$runs"
    printf "  'athanor run' (one load step): %8.1f ms, peak RSS %d MB\n" "$(ms "$a")" \
        "$(mb "$(printf '%s\n' "${athanor_kb[@]}" | median)")"
    printf "  'python3 pandas.read_csv':     %8.1f ms, peak RSS %d MB\n" "$(ms "$p")" \
        "$(mb "$(printf '%s\n' "${pandas_kb[@]}" | median)")"
    printf '  throughput ratio athanor/pandas, whole processes: %.2f (target >= 1.0)\n' "$(echo "$p / $a" | bc -l)"
    printf '  reader alone: Load.run %.3f s (peak RSS of the process %d MB), pandas.read_csv %.3f s, ratio %.2f\n' \
        "$r" "$(mb "$(printf '%s\n' "${reader_kb[@]}" | median)")" "$c" "$(echo "$c / $r" | bc -l)"
done
