#!/usr/bin/env bash
# Installs what Tradelab needs, idempotently: Debian packages, the Swift toolchain check,
# and the Python virtual environments with the test references. Safe to run again and again.
#
#   scripts/setup.sh          build + test prerequisites
#   scripts/setup.sh bench    also the benchmark peers (.venv-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
APT_PACKAGES=(python3-venv pkg-config liblua5.4-dev libsnappy-dev libzstd-dev zlib1g-dev libsqlite3-dev
              libcurl4-openssl-dev  # the release build links Foundation statically; its networking needs libcurl
              chromium chromium-driver fonts-dejavu-core fonts-liberation)  # the last four: browser tests of the web IDE
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# python3-venv is only needed when the interpreter on PATH cannot make a venv by itself.
if python3 -c 'import venv, ensurepip' 2>/dev/null; then
    missing=("${missing[@]/python3-venv/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Swift -----------------------------------------------------------------------------------
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "error: Swift 6 is required (expected at /opt/swift or on PATH)" >&2; exit 1; }

# --- Python environments ---------------------------------------------------------------------
make_venv() {  # make_venv DIR REQUIREMENTS
    local dir=$1 req=$2 stamp="$1/.requirements.sha"
    local want; want=$(sha256sum "$req" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    log "creating $dir from $req"
    [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
    "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    "$dir/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
}
make_venv .venv scripts/requirements-test.txt
if [ "${1:-}" = "bench" ]; then
    make_venv .venv-bench scripts/requirements-bench.txt || log "benchmark peers could not be installed; make bench will skip them"
fi

# --- Web IDE libraries (Monaco, Lightweight Charts) from pinned PyPI wheels into web/vendor/ ----
scripts/setup_web.sh
log "ready"
