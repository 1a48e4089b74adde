#!/usr/bin/env bash
# Fetches the web IDE's third-party libraries from the PyPI wheels that carry them, checks their
# pinned sha256 and extracts them into web/vendor/ (ignored by git). Idempotent: a stamp file
# records what was extracted, so a second run returns at once.
#
#   web/vendor/monaco/vs/              Monaco editor 0.33.0 (min build, Lua included), from monaco-qt
#   web/vendor/lightweight-charts/     TradingView Lightweight Charts 4.1.3 (standalone production
#                                      build), from lightweight-charts (the Python package)
set -euo pipefail
cd "$(dirname "$0")/.."

MONACO_WHEEL=monaco_qt-0.2.0-py3-none-any.whl
MONACO_SPEC=monaco-qt==0.2.0
MONACO_SHA256=a0c7af5cef2fa971baa51526358c35a7434f1717f4de85c0150ea4376b35a7bf
LWC_WHEEL=lightweight_charts-2.1-py3-none-any.whl
LWC_SPEC=lightweight-charts==2.1
LWC_SHA256=4c5598fd57ac7569c3fed733727e2033190ca2f6e2460223d27e0926be7bff4f

CACHE=.cache/wheels
VENDOR=web/vendor
STAMP="$VENDOR/.stamp"
WANT="$MONACO_SHA256 $LWC_SHA256"

log() { printf '\033[1;34m[setup-web]\033[0m %s\n' "$*" >&2; }

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] \
   && [ -f "$VENDOR/monaco/vs/loader.js" ] && [ -f "$VENDOR/lightweight-charts/lightweight-charts.js" ]; then
    exit 0
fi

PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python

fetch() {  # fetch SPEC WHEEL SHA256
    local spec=$1 wheel=$2 sha=$3
    if [ ! -f "$CACHE/$wheel" ] || ! echo "$sha  $CACHE/$wheel" | sha256sum -c --status; then
        log "downloading $spec"
        mkdir -p "$CACHE"
        rm -f "$CACHE/$wheel"
        "$PY" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: "$spec" -d "$CACHE"
    fi
    if ! echo "$sha  $CACHE/$wheel" | sha256sum -c --status; then
        echo "error: $CACHE/$wheel does not have the pinned sha256 $sha" >&2
        exit 1
    fi
}
fetch "$MONACO_SPEC" "$MONACO_WHEEL" "$MONACO_SHA256"
fetch "$LWC_SPEC" "$LWC_WHEEL" "$LWC_SHA256"

log "extracting into $VENDOR/"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" - "$CACHE/$MONACO_WHEEL" "$CACHE/$LWC_WHEEL" "$tmp" <<'PYEOF'
import os, sys, zipfile
monaco, lwc, out = sys.argv[1:4]
def extract(wheel, prefix, dest):
    n = 0
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            if info.filename.startswith(prefix) and not info.is_dir():
                rel = info.filename[len(prefix):]
                if ".." in rel.split("/"):
                    raise SystemExit(f"refusing path {info.filename}")
                target = f"{dest}/{rel}" if rel else dest  # a single file: dest is its path
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with z.open(info) as src, open(target, "wb") as dst:
                    dst.write(src.read())
                n += 1
    if n == 0:
        raise SystemExit(f"{wheel}: nothing under {prefix}")
extract(monaco, "monaco/monaco-editor/min/vs/", f"{out}/monaco/vs")
for name in ("LICENSE", "ThirdPartyNotices.txt", "package.json"):
    extract(monaco, f"monaco/monaco-editor/{name}", f"{out}/monaco/{name}")
extract(lwc, "lightweight_charts/js/lightweight-charts.js", f"{out}/lightweight-charts/lightweight-charts.js")
PYEOF
grep -q 'Version: 0.33.0' "$tmp/monaco/vs/loader.js" || { echo "error: the Monaco wheel is not Monaco 0.33.0" >&2; exit 1; }
[ -f "$tmp/monaco/vs/basic-languages/lua/lua.js" ] || { echo "error: the Monaco build lacks the Lua language" >&2; exit 1; }
head -c 300 "$tmp/lightweight-charts/lightweight-charts.js" | grep -q 'Lightweight Charts.* v4.1.3' \
    || { echo "error: the lightweight-charts wheel does not carry Lightweight Charts 4.1.3" >&2; exit 1; }

rm -rf "$VENDOR"
mkdir -p "$(dirname "$VENDOR")"
mv "$tmp" "$VENDOR"
trap - EXIT
chmod -R a+rX "$VENDOR"
echo "$WANT" > "$STAMP"
log "vendor ready: Monaco 0.33.0, Lightweight Charts 4.1.3"
