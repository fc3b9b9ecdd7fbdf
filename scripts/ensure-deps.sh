#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian machine of this project's kind
# (the .NET SDK comes with the machine). Quiet when everything is already there.
set -euo pipefail
missing=()
command -v unshare >/dev/null || missing+=(util-linux)
command -v python3 >/dev/null || missing+=(python3)
command -v cc >/dev/null || missing+=(gcc)
# NativeAOT links against zlib.
compgen -G "/usr/lib/*/libz.so" >/dev/null || [ -e /usr/lib/libz.so ] || missing+=(zlib1g-dev)
if ! command -v dotnet >/dev/null; then
  echo "ensure-deps: the .NET SDK (dotnet) is required and is not on PATH" >&2
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-deps: need root to install ${missing[*]} (apt-get)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
