#!/usr/bin/env bash
# Installs the Debian 12 packages tokenbench needs to build, test and run. Idempotent and quick
# when everything is present: it only calls apt-get for what is missing.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config clang-format
    clang libclang-rt-14-dev
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-svg-dev libqt6svg6 qt6-charts-dev libgl-dev
    libssl-dev openssl zlib1g-dev
    libhiredis-dev redis-server publicsuffix
    python3 python3-jwcrypto python3-simpy python3-itsdangerous python3-django
    xvfb xauth
    dpkg-dev file appstream desktop-file-utils groff-base man-db shared-mime-info zsh
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
