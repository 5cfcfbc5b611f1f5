#!/usr/bin/env bash
# Installs what Athanor needs on a fresh Debian machine, builds it, and checks the example notebooks.
# Usage: scripts/setup.sh            (run from anywhere; uses sudo for apt-get when not root)
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-sklearn: the example notebooks/external.md trains through a Python script, and its
# end-to-end test needs scikit-learn (pip is blocked by PEP 668 on Debian; the package is not).
packages=(libcmark-dev libblis-dev pkg-config python3-sklearn)
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

if ! command -v swift >/dev/null; then
    echo "setup: Swift 6 is not on PATH; install a Swift 6.x toolchain (swift.org) and run this again" >&2
    exit 1
fi

swift build -c release --product athanor
# notebooks/*.md includes external.md, whose `run:` steps need scikit-learn from Python.
python3 -c "import sklearn" || { echo "setup: python3 cannot import sklearn (python3-sklearn)" >&2; exit 1; }
.build/release/athanor check notebooks/*.md
.build/release/athanor run notebooks/digits.md
