#!/usr/bin/env bash
# Makes sure the C toolchain and headers that Fyne (OpenGL, X11) and go-sqlite3 (cgo) need
# are installed. As root on Debian/Ubuntu it installs them; otherwise it prints the exact
# command and fails, so `make run` / `make test` never die later with an obscure cgo error.
# Usage: scripts/deps.sh [extra Debian packages...]   (e.g. xvfb xdotool for the window tests)
set -euo pipefail
# postgresql: the PostgreSQL backend's tests start a throwaway server (internal/pgtest).
need=(gcc libgl1-mesa-dev xorg-dev postgresql "$@")
missing=()
for p in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian-like system; install a C compiler, OpenGL and X11 development headers" >&2
	echo "      (see https://docs.fyne.io/started/ for your platform), then run make again." >&2
	command -v gcc >/dev/null && exit 0 || exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	exit 0
fi
echo "deps: missing Debian packages: ${missing[*]}" >&2
echo "      install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
exit 1
