# Installs what the tests need when it is missing (Debian packages and PyPI only).

ensure_apt() { # ensure_apt COMMAND PACKAGE…
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  echo "Installing $* (Debian)…"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${SECOURS_APT_UPDATED:-}" ]; then apt-get update -qq; SECOURS_APT_UPDATED=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

ensure_browser_tools() {
  ensure_apt chromium chromium
  ensure_apt chromedriver chromium-driver
  python3 -c 'import selenium' 2>/dev/null || { echo "Installing selenium (PyPI)…"; python3 -m pip install --quiet --disable-pip-version-check selenium; }
  # axe-core, shipped inside the PyPI package (nothing is downloaded at run time).
  python3 -c 'import axe_core_python' 2>/dev/null || { echo "Installing axe-core-python (PyPI)…"; python3 -m pip install --quiet --disable-pip-version-check axe-core-python; }
}

# GRDB (the offline toolkit's journal) builds against the system SQLite and its header.
ensure_sqlite_dev() {
  [ -f /usr/include/sqlite3.h ] && return 0
  echo "Installing libsqlite3-dev (Debian)…"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${SECOURS_APT_UPDATED:-}" ]; then apt-get update -qq; SECOURS_APT_UPDATED=1; fi
  apt-get install -y -qq libsqlite3-dev >/dev/null
}

# pdfinfo, pdftotext and pdftoppm read and render the forms; qpdf lists their fields.
ensure_pdf_tools() {
  ensure_apt pdftoppm poppler-utils
  ensure_apt qpdf qpdf
}

# The independent check of the seal (SecoursSealTests runs Tests/SecoursSealTests/Fixtures/seal_check.py):
# base45, cbor2 and pycose from PyPI, pinned, in the project's virtualenv .build-venv/ (which
# scripts/openapi-check shares). cbor2 stays below 6, whose arrays pycose 1.1.0 cannot read.
SEAL_TOOLS=(base45==0.4.4 cbor2==5.9.0 pycose==1.1.0)
ensure_seal_tools() {
  local venv=.build-venv
  if "$venv/bin/python3" - "${SEAL_TOOLS[@]}" 2>/dev/null <<'PY'; then return 0; fi
import importlib.metadata, sys
sys.exit(0 if all(importlib.metadata.version(n) == v for n, v in (a.split("==") for a in sys.argv[1:])) else 1)
PY
  echo "Installing ${SEAL_TOOLS[*]} (PyPI) into $venv…"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${SEAL_TOOLS[@]}"
}

# The QR encoder's tests: segno (PyPI, pinned, into .build-venv/ like scripts/openapi-check's
# tools) builds the same symbols independently, and zbarimg (zbar-tools) reads them back.
SEGNO_VERSION=1.6.6
ensure_qr_tools() {
  local venv=.build-venv
  if ! "$venv/bin/python3" -c "import segno, sys; sys.exit(segno.__version__ != '$SEGNO_VERSION')" 2>/dev/null; then
    echo "Installing segno $SEGNO_VERSION (PyPI) into $venv…"
    [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "segno==$SEGNO_VERSION"
  fi
  ensure_apt zbarimg zbar-tools
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_http URL SECONDS
wait_for_http() {
  local url=$1 limit=${2:-60} i
  for ((i = 0; i < limit * 5; i++)); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 0.2
  done
  echo "no answer from $url after ${limit}s" >&2
  return 1
}
