#!/usr/bin/env bash
# Rendering a report, whole process: `athanor render RUN` (the digits example's run: read from the store,
# render, write two files) against pandoc making a standalone HTML page of the same notebook, the
# engine under Quarto's reports, side by side in one run: median wall time over N runs and the ratio.
# Usage: benchmarks/report.sh [N (default 20)]        (needs pandoc for the comparison: apt-get install pandoc)
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/timing.sh
runs=${1:-20}
work_in_copy_of_notebooks
"$athanor" run digits.md -q >/dev/null
id=$("$athanor" runs --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')

render=() pandoc=()
for _ in $(seq "$runs"); do
    render+=("$(time_us "$athanor" render "$id")")
    if command -v pandoc >/dev/null; then pandoc+=("$(time_us pandoc -s --metadata title=digits digits.md -o pandoc.html)"); fi
done
r=$(printf '%s\n' "${render[@]}" | median)
printf "'athanor render %s': median %.1f ms over %d runs; report %d bytes\n" "$id" "$(echo "$r / 1000" | bc -l)" \
    "$runs" "$(wc -c <".athanor/reports/$id.html")"
if [ ${#pandoc[@]} -gt 0 ]; then
    p=$(printf '%s\n' "${pandoc[@]}" | median)
    printf "'pandoc -s digits.md':  median %.1f ms; ratio athanor/pandoc %.2fx\n" "$(echo "$p / 1000" | bc -l)" \
        "$(echo "$r / $p" | bc -l)"
fi
