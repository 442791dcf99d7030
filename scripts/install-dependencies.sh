#!/usr/bin/env bash
# Installs what the project needs on a Debian machine of the swift-packages-b kind, if missing:
# C libraries for the system-library targets (and SQLite for GRDB, the sandbox's state), the interop
# tools the tests call (Java for keytool), and Python zeep.
set -euo pipefail

debian_packages=(pkg-config libxml2-dev libxml2-utils libxslt1-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev
                 xmlsec1 softhsm2 opensc openssl default-jre-headless)
missing=()
for package in "${debian_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import zeep, lxml' >/dev/null 2>&1; then
    echo "installing Python packages: zeep lxml"
    python3 -m pip install --quiet zeep lxml
fi
