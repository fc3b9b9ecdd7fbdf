#!/usr/bin/env bash
# Fetches Debian's cloud kernel (NVMe, ext4 and crc32c built in, so a root disk boots with no
# initramfs) and unpacks it under the cache folder without installing it: no package scripts
# run and the host's /boot is untouched. Prints the path of the kernel image. Cached: a second
# run only prints the path.
#   usage: fetch-kernel.sh [CACHE_DIR]   (default out/vm)
set -euo pipefail
cache=$(realpath -m "${1:-out/vm}")
kernel=$cache/vmlinuz
if [ ! -s "$kernel" ]; then
  # The meta package names the real one, e.g. linux-image-6.1.0-57-cloud-amd64.
  package=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
  if [ -z "$package" ]; then
    apt-get update -qq
    package=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
  fi
  [ -n "$package" ] || { echo "fetch-kernel: cannot resolve linux-image-cloud-amd64" >&2; exit 1; }
  work=$cache/kernel-package
  rm -rf "$work" && mkdir -p "$work"
  (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "$package" >/dev/null)
  dpkg-deb -x "$work"/*.deb "$work/unpacked"
  cp "$(ls "$work"/unpacked/boot/vmlinuz-* | head -1)" "$kernel.tmp"
  mv "$kernel.tmp" "$kernel"
  echo "$package" > "$cache/kernel-version"
  rm -rf "$work"
fi
echo "$kernel"
