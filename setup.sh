#!/bin/sh
# Set up the Just Communities Dashboard in ./.venv (Debian/Ubuntu, Python 3.11+).
#   sh setup.sh          runtime packages; then: .venv/bin/streamlit run app.py
#   sh setup.sh --test   also the test packages, Debian's chromium for the browser tests and Debian's
#                        postgresql server binaries (the records tests start a throwaway server)
set -eu
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
mode=${1:-}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "setup.sh: root is needed to run: $*" >&2; return 1
  fi
}
apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup.sh: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    echo "Installing Debian's python3-venv..."
    apt_install python3-venv
    "$PY" -m venv .venv
  fi
fi
echo "Installing Python packages into .venv (a few minutes the first time)..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "$mode" = "--test" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt_install chromium fonts-dejavu-core
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "Installing Debian's postgresql for the records tests on PostgreSQL..."
    apt_install postgresql
  fi
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
# Leaflet.draw (drawing an area on a map) and Leaflet.GestureHandling (one finger scrolls the page
# past a map, two move it) are on no Python index: the pinned npm tarballs, checked against their
# integrity hashes, into .venv/share/<name> (indicators/present/vendor.py).
echo "Fetching Leaflet.draw and Leaflet.GestureHandling from the npm registry (skipped when already there)..."
if ! .venv/bin/python -m indicators.present.vendor; then
  echo "setup.sh: WARNING: a map plugin could not be installed (see above). The dashboard works," >&2
  echo "  but maps offer no drawing tools or take one-finger swipes themselves; run sh setup.sh" >&2
  echo "  again once registry.npmjs.org is reachable." >&2
fi
echo "Setup done."
