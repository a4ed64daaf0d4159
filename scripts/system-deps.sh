#!/usr/bin/env bash
# Install the Debian packages Soin needs that pip cannot provide, when they are missing.
#   scripts/system-deps.sh            what `make run` needs (Pango for WeasyPrint, fonts)
#   scripts/system-deps.sh --browser  also Debian's chromium, for the browser tests
#   scripts/system-deps.sh --bench    also nginx, the front server the benchmarks measure through
#   scripts/system-deps.sh --venv     Python's venv module, where Debian ships it apart
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
case "${1:-}" in
  --browser) packages+=(chromium) ;;
  --bench) packages+=(nginx-light) ;;
  --venv) packages=(python3-venv) ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "Soin needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
