#!/usr/bin/env bash
# Builds a Linux desktop package: build/evident-VERSION-linux-ARCH.tar.gz with
#   evident/bin/evident, evident/share/applications/org.evident.app.desktop,
#   evident/share/icons/hicolor/256x256/apps/org.evident.app.png, evident/install.sh
# install.sh copies them under ~/.local (or PREFIX) so the desktop menu finds Evident.
# We assemble the tarball ourselves rather than calling `fyne package`, which would need
# the fyne tool installed from the network; the layout is the one it produces for Linux.
set -euo pipefail
bin=${1:?usage: package.sh PATH/TO/evident}
cd "$(dirname "$0")/.."
version=$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml)
id=$(sed -n 's/^[[:space:]]*ID[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml)
arch=$(go env GOARCH)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/evident
install -Dm755 "$bin" "$root/bin/evident"
install -Dm644 assets/icon.png "$root/share/icons/hicolor/256x256/apps/$id.png"
mkdir -p "$root/share/applications"
cat > "$root/share/applications/$id.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Evident
GenericName=Annotation tool
Comment=Label conflict-event news: attacks, casualties, actors, places
Exec=evident
Icon=$id
Categories=Office;Education;Science;
Terminal=false
DESKTOP
cat > "$root/install.sh" <<'INSTALL'
#!/bin/sh
# Installs Evident for the current user (PREFIX defaults to ~/.local).
set -e
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
mkdir -p "$prefix/bin" "$prefix/share/applications" "$prefix/share/icons/hicolor/256x256/apps"
cp "$here/bin/evident" "$prefix/bin/evident"
cp "$here"/share/applications/*.desktop "$prefix/share/applications/"
cp "$here"/share/icons/hicolor/256x256/apps/*.png "$prefix/share/icons/hicolor/256x256/apps/"
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/share/applications" || true
echo "Evident installed in $prefix/bin; make sure it is on your PATH."
INSTALL
chmod 755 "$root/install.sh"
outdir=${OUTDIR:-build}
mkdir -p "$outdir"
out=$outdir/evident-$version-linux-$arch.tar.gz
tar -C "$stage" -czf "$out" evident
echo "$out"
