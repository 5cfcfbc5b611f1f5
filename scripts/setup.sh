#!/usr/bin/env bash
# Installs what Athanor needs on a fresh Debian machine, builds it, and checks the example notebooks.
# Usage: scripts/setup.sh            (run from anywhere; uses sudo for apt-get when not root)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcmark-dev libblis-dev pkg-config)
# `athanor serve`'s tests ask the server with curl and test its token rule in a network namespace of their
# own (iproute2's ip, util-linux's unshare); benchmarks/serve.sh loads it with wrk.
packages+=(curl iproute2 util-linux wrk)
# notebooks/external.md trains through a Python script with scikit-learn, run by the python3 on PATH;
# python/athanor_dataset.py reads datasets with numpy and pandas (tests, benchmarks); code steps
# (notebooks/wine-features.md) use pandas, numpy and matplotlib.
# Debian's own python3 gets Debian's package (pip is blocked there by PEP 668); another python3 on
# PATH (pyenv, a virtualenv) gets scikit-learn from PyPI below.
if ! command -v python3 >/dev/null; then
    packages+=(python3 python3-sklearn python3-pandas python3-matplotlib)
elif [ "$(python3 -c 'import sys; print(sys.prefix)')" = "/usr" ]; then
    packages+=(python3-sklearn python3-pandas python3-matplotlib)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c "import sklearn, pandas, matplotlib" 2>/dev/null; then
    echo "setup: installing scikit-learn, pandas and matplotlib for $(command -v python3) from PyPI" >&2
    python3 -m pip install --quiet scikit-learn pandas matplotlib
fi

if ! command -v swift >/dev/null; then
    echo "setup: Swift 6 is not on PATH; install a Swift 6.x toolchain (swift.org) and run this again" >&2
    exit 1
fi

swift build -c release --product athanor
# `athanor serve` runs athanor-serve from the folder athanor is in: build it into the same one.
swift build -c release --product athanor-serve
python3 -c "import sklearn, pandas, matplotlib" ||
    { echo "setup: python3 cannot import sklearn, pandas and matplotlib" >&2; exit 1; }
.build/release/athanor check notebooks/*.md
.build/release/athanor run notebooks/digits.md
.build/release/athanor run notebooks/wine-features.md
