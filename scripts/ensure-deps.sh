#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian machine of this project's kind
# (the .NET SDK comes with the machine). Quiet when everything is already there.
#   --cross arm64|x64   also what cross-publishing for that architecture and running its
#                       binaries under qemu-user needs (clang + lld link, Debian's cross libc,
#                       the cross gcc that builds the C launcher).
#   --vm                also what booting a real kernel under QEMU needs (make vm, make check-vm):
#                       QEMU, a static busybox for the root disk, e2fsprogs, cpio.
set -euo pipefail
missing=()
if [ "${1:-}" = "--vm" ]; then
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
  command -v mke2fs >/dev/null && command -v debugfs >/dev/null || missing+=(e2fsprogs)
  command -v cpio >/dev/null || missing+=(cpio)
fi
if [ "${1:-}" = "--cross" ]; then
  case "${2:-}" in
    arm64) triplet=aarch64-linux-gnu; libc=libc6-dev-arm64-cross; qemu=qemu-aarch64-static ;;
    x64) triplet=x86-64-linux-gnu; libc=libc6-dev-amd64-cross; qemu=qemu-x86_64-static ;;
    *) echo "ensure-deps: --cross takes arm64 or x64" >&2; exit 2 ;;
  esac
  command -v clang >/dev/null || missing+=(clang)
  command -v ld.lld >/dev/null || missing+=(lld)
  command -v "${triplet/x86-64/x86_64}-gcc" >/dev/null && command -v "${triplet/x86-64/x86_64}-ar" >/dev/null || missing+=("gcc-$triplet" "binutils-$triplet")
  [ -e "/usr/${triplet/x86-64/x86_64}/lib/libc.so" ] || missing+=("$libc")
  command -v "$qemu" >/dev/null || missing+=(qemu-user-static)
fi
command -v unshare >/dev/null || missing+=(util-linux)
command -v python3 >/dev/null || missing+=(python3)
# cc builds the C launcher (native/launcher/build.sh; the cross gcc above for other architectures).
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
