#!/usr/bin/env bash
# Installs what Assure needs to build, test and benchmark, from Debian's packages.
# Idempotent: packages already present are skipped, and apt is not touched when none is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libyaml-dev nlohmann-json3-dev libcli11-dev libfmt-dev libboost-dev
  libsqlite3-dev libsodium-dev libpq-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format-14
  python3 python3-yaml python3-jsonschema
  hyperfine time wrk nginx-light
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
