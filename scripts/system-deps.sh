#!/usr/bin/env bash
# Debian packages Loa's tests and tools need: Chromium for the browser tests, gettext for
# translations, LibreOffice (Writer, headless) to turn DOCX into PDF, poppler-utils for
# pdftoppm/pdftotext, Tesseract with its Vietnamese data so tests read rendered pages back
# as a person would, and Liberation fonts, metric-compatible with Times New Roman, which the
# party document format asks for, and faketime, which runs the suite a second time with the clock
# shifted years ahead (make test-shifted-clock), and postgresql-client for pg_dump/pg_restore
# (loa backup/restore on PostgreSQL; Debian's version fits its own server, a newer server needs
# postgresql-client-N from apt.postgresql.org and LOA_PG_BIN_DIR=/usr/lib/postgresql/N/bin).
# Installs only what is missing; uses sudo when not root.
set -euo pipefail
wanted=(chromium gettext libreoffice-writer-nogui poppler-utils fonts-liberation2 tesseract-ocr tesseract-ocr-vie faketime postgresql-client)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "system-deps: apt-get not found; install by hand: ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || echo "system-deps: apt-get update failed; trying the cached package lists" >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
