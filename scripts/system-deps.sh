#!/usr/bin/env bash
# Debian packages Loa's tests and tools need: Chromium for the browser tests, gettext for
# translations. Installs only what is missing; uses sudo when not root.
set -euo pipefail
wanted=(chromium gettext)
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
