#!/usr/bin/env bash
# Installs what Athanor needs on a fresh Debian machine, builds it, and checks the example notebooks.
# Usage: scripts/setup.sh [--mlflow]   (run from anywhere; uses sudo for apt-get when not root)
#   --mlflow  also installs MLflow 3.17.2 from PyPI into the virtual environment ATHANOR_MLFLOW_VENV
#             (default .build/mlflow-venv), for the tests of `athanor push` against a real server
set -euo pipefail
cd "$(dirname "$0")/.."

mlflow=false
for argument in "$@"; do
    case "$argument" in
        --mlflow) mlflow=true ;;
        *) echo "usage: scripts/setup.sh [--mlflow]" >&2; exit 2 ;;
    esac
done

packages=(libcmark-dev libblis-dev pkg-config)
# The Slurm tests (Tests/AthanorTests/SlurmCommandTests.swift) start a real single-node Slurm with
# scripts/slurm-test-cluster.sh: Debian's Slurm 22.05 and munge, `ip` and `unshare`.
packages+=(slurmctld slurmd slurm-client munge)
# python3 -m venv needs Debian's python3-venv.
$mlflow && packages+=(python3-venv)
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

if $mlflow; then
    venv="${ATHANOR_MLFLOW_VENV:-.build/mlflow-venv}"
    if ! "$venv/bin/python" -c "import mlflow, sys; sys.exit(mlflow.__version__ != '3.17.2')" 2>/dev/null; then
        echo "setup: installing mlflow 3.17.2 into $venv" >&2
        python3 -m venv "$venv"
        # 3.18.0 does not resolve (a dependency is missing); pip's cache (~/.cache/pip) makes a second install quick.
        "$venv/bin/pip" install --quiet mlflow==3.17.2
    fi
fi

swift build -c release --product athanor
swift build -c release --product athanor-push
# `athanor serve` runs athanor-serve from the folder athanor is in: build it into the same one.
swift build -c release --product athanor-serve
python3 -c "import sklearn, pandas, matplotlib" ||
    { echo "setup: python3 cannot import sklearn, pandas and matplotlib" >&2; exit 1; }
.build/release/athanor check notebooks/*.md
.build/release/athanor run notebooks/digits.md
.build/release/athanor run notebooks/wine-features.md
