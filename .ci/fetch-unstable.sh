#!/usr/bin/env bash
# Fetches programs from Debian's unstable suite that Debian 12 has only in older versions (Prometheus 3.5.3 and its
# promtool, Alertmanager 0.33.1 with amtool, node-exporter 1.11.1), without adding unstable to this machine's apt sources: a separate apt configuration in a cache folder,
# `apt-get download` and `dpkg -x`. The archive is the one this machine's apt already uses.
# Usage: .ci/fetch-unstable.sh  ->  prints the folder to put first on the PATH.
set -euo pipefail

# The versions the tests run (docs/testing.md says what differs from the stack's pinned Prometheus 3.13).
PACKAGES=(prometheus=3.5.3+ds1-6 promtool=3.5.3+ds1-6 prometheus-alertmanager=0.33.1-5 prometheus-node-exporter=1.11.1-3)

cache="${XDG_CACHE_HOME:-$HOME/.cache}/tictactoe-tests/debian-unstable"
key=$(printf '%s\n' "${PACKAGES[@]}" | sha256sum | cut -c1-12)
root="$cache/root-$key"
if [ -x "$root/usr/bin/prometheus" ] && [ -x "$root/usr/bin/promtool" ] && [ -x "$root/usr/bin/amtool" ] &&
    [ -x "$root/usr/bin/prometheus-alertmanager" ] && [ -x "$root/usr/bin/prometheus-node-exporter" ]; then
    echo "$root/usr/bin"
    exit 0
fi

mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
    echo "No Debian archive found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2
    exit 1
fi

apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" >"$apt_dir/sources.list"
options=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache")
# As root, apt would hand the downloads to its _apt user, who cannot write into this cache.
[ "$(id -u)" -ne 0 ] || options+=(-o APT::Sandbox::User=root)
apt-get "${options[@]}" -qq update >&2
rm -f "$apt_dir/debs/"*.deb
(cd "$apt_dir/debs" && apt-get "${options[@]}" -qq download "${PACKAGES[@]}" >&2)

partial="$root.partial"
rm -rf "$partial" "$cache"/root-*
for deb in "$apt_dir/debs/"*.deb; do
    dpkg -x "$deb" "$partial"
done
mv "$partial" "$root"
"$root/usr/bin/prometheus" --version >&2
echo "$root/usr/bin"
