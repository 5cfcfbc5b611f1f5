# Shared by the benchmark scripts: `source "$(dirname "$0")/timing.sh"`.

# The median of the numbers on standard input, one per line.
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# The wall time of a command in microseconds, its output discarded.
time_us() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}

# Builds the release binary as $athanor and moves into $work, a copy of notebooks/ without its .athanor
# state, removed on exit. Run from the repository's root.
work_in_copy_of_notebooks() {
    swift build -c release --product athanor >/dev/null
    athanor=$PWD/.build/release/athanor
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp -r notebooks/. "$work/"
    rm -rf "$work/.athanor"
    cd "$work"
}
