#!/bin/sh
# Builds the launcher (every .c here) for one architecture:
#   OUT/libtinyinit_launcher.a   linked into the NativeAOT tinyinitd (NativeLibrary + DirectPInvoke)
#   OUT/libtinyinit_launcher.so  loaded by the same P/Invoke under the JIT (unit tests, dotnet run)
# Usage: build.sh x64|arm64 OUT
# The objects are first joined into one (ld -r), so a strong definition of a hook replaces the
# weak stand-in of pending_steps.c in both outputs (an archive would keep whichever member the
# linker pulled first). Cross builds use Debian's cross gcc (scripts/ensure-deps.sh --cross).
set -eu
arch=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
case "$(uname -m)" in x86_64) host=x64 ;; aarch64) host=arm64 ;; *) host=$(uname -m) ;; esac
if [ "$arch" = "$host" ]; then
  cc=${CC:-cc}
  ar=${AR:-ar}
else
  case "$arch" in
    arm64) triplet=aarch64-linux-gnu ;;
    x64) triplet=x86_64-linux-gnu ;;
    *) echo "launcher/build.sh: unknown architecture $arch" >&2; exit 2 ;;
  esac
  cc=$triplet-gcc
  ar=$triplet-ar
fi
cflags="-std=gnu11 -O2 -fPIC -Wall -Wextra -Werror -fvisibility=hidden"
mkdir -p "$out"
objects=""
for source in "$here"/*.c; do
  object="$out/$(basename "$source" .c).o"
  $cc $cflags -c "$source" -o "$object"
  objects="$objects $object"
done
# shellcheck disable=SC2086
$cc -r -nostdlib -o "$out/launcher.o" $objects
rm -f "$out/libtinyinit_launcher.a"
$ar rcs "$out/libtinyinit_launcher.a" "$out/launcher.o"
$cc -shared -o "$out/libtinyinit_launcher.so" "$out/launcher.o"
