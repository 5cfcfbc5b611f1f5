#!/usr/bin/env bash
# A command step logging one series of N points (default 1,000,000) to ATHANOR_METRICS: the script alone,
# `athanor run` of a notebook whose one step runs it (wall, and the step's recorded seconds), and
# `athanor show RUN --json`. Target: the run at most 1 s over the script, `show --json` under 2 s. Each run
# prints how long the loop itself took and the time before and after it, so that the overhead can be told
# apart from the script's own speed, which varies by a second between processes on a loaded machine.
# Usage: benchmarks/series-scale.sh [ATHANOR (default .build/release/athanor)] [N]
set -euo pipefail
athanor=$(realpath "${1:-.build/release/athanor}")
points=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > gen.py <<PY
import os, time
start = time.time()
with open(os.environ["ATHANOR_METRICS"], "a") as f:
    for i in range($points):
        f.write('{"name": "loss", "value": %r, "step": %d}\n' % (1.0 / (i + 1), i))
# When and how long the loop ran, for telling the run's own overhead from the script's varying speed.
with open(os.environ["TIMES"], "w") as out:
    out.write("%.6f %.6f\n" % (start, time.time()))
PY
printf -- '---\ntitle: series at scale\n---\n\n```step train\nrun: python3 gen.py\n```\n' > nb.md

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
# Wall time, then the part outside the script's loop: before it (athanor, python starting) and after it.
timed() {
  local start end
  start=$(date +%s.%N); TIMES=$work/times.txt "$@" >/dev/null; end=$(date +%s.%N)
  read -r first last < "$work/times.txt"
  python3 -c "print('%.2f s (loop %.2f s, before it %.2f s, after it %.2f s)' % \
    ($end - $start, $last - $first, $first - $start, $end - $last))"
}
echo "script alone:         $(ATHANOR_METRICS=$work/alone.jsonl timed python3 gen.py)"
echo "athanor run nb.md -q: $(timed "$athanor" run nb.md -q)"
id=$("$athanor" runs --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
"$athanor" show "$id" --json > show.json
python3 - "$id" <<'PY'
import json, sys
run = json.load(open("show.json"))
step = run["steps"][0]
print(f"step '{step['name']}' recorded: {step['seconds']:.2f} s ({step['cache']}), "
      f"{len(run['series']['train.loss'])} points")
PY
echo "athanor show --json:  $(seconds "$athanor" show "$id" --json) s"
