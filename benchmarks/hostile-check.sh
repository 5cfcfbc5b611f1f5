#!/usr/bin/env bash
# Times `athanor check` (release build) on notebooks built to break a parser; each must end with
# exit 2 (or 0 for harmless prose) within a second. Usage: benchmarks/hostile-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product athanor >/dev/null
athanor=$PWD/.build/release/athanor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import random, sys, os
d = sys.argv[1]
def put(name, text, binary=False):
    with open(os.path.join(d, name), 'wb' if binary else 'w') as f: f.write(text)
random.seed(1)
put('binary-junk.md', bytes(random.randrange(256) for _ in range(100_000)), binary=True)
put('10mb-line-in-block.md', "```params\nx: " + "a" * 10_000_000 + "\n```\n")
put('10mb-prose-line.md', "word " * 2_000_000 + "\n")
put('backticks.md', "`" * 5000 + "\n" + "`a " * 5000 + "\n```step s\n" + "`" * 3000 + "\n")
put('3000-unclosed-fences.md', "```step a\nop: load\n" * 3000)
put('deep-flow.md', "```step s\nop: load\nx: " + "[" * 100_000 + "]" * 100_000 + "\n```\n")
put('deep-block.md', "```step s\nop: load\n" + "".join(" " * i + "a:\n" for i in range(1000)) + "```\n")
put('deep-sequence.md', "```step s\nop: load\nx: " + "- " * 100_000 + "1\n```\n")
put('billion-laughs.md', "```params\na0: &a0 [lol, lol]\n" + "".join(f"a{i}: &a{i} [*a{i-1}, *a{i-1}]\n" for i in range(1, 40)) + "```\n")
put('self-reference.md', "```step s\nop: load\nx: &a [*a]\n```\n")
put('scalar-body.md', "```step s\njust a scalar\n```\n")
put('list-body.md', "```step s\n- op: load\n```\n")
put('200k-flow-items.md', "```step s\nop: load\nx: [" + ",".join(["1"] * 200_000) + "]\n```\n")
put('5000-steps.md', "".join(f"```step s{i}\nop: load\npath: d.csv\n```\n\n" for i in range(5000)))
PY
printf "%-26s %5s %8s  %s\n" notebook exit seconds "first line of output"
for file in "$work"/*.md; do
    start=$(date +%s.%N)
    set +e
    timeout 10 "$athanor" check "$file" >"$work/out" 2>&1
    status=$?
    set -e
    end=$(date +%s.%N)
    printf "%-26s %5s %8.3f  %s\n" "$(basename "$file")" "$status" "$(echo "$end - $start" | bc)" \
        "$(head -n 1 "$work/out" | sed "s|$work/||" | cut -c1-90)"
done
