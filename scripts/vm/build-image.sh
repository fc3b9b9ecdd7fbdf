#!/usr/bin/env bash
# Builds an ext4 root disk image that boots with init=/sbin/tinyinit: busybox-static and its
# applet links, the published binaries installed by `make install-files` (PREFIX=/usr), the
# libraries they load, e2fsck for the root check, and examples/linux as the system. The disk is
# made from a folder with `mke2fs -d`: nothing is mounted on the host.
#   usage: build-image.sh BIN_DIR IMAGE [--test]
#   --test  also the guest half of `make check-vm` (scripts/vm/guest: a test hook started by
#           boot that acts on tinyinit.test=SCENARIO on the kernel command line) and the busybox
#           init configuration the boot benchmark compares with.
set -euo pipefail
bin=$(realpath "${1:?usage: build-image.sh BIN_DIR IMAGE [--test]}")
image=$(realpath -m "${2:?usage: build-image.sh BIN_DIR IMAGE [--test]}")
test_files=${3:-}
repo=$(cd "$(dirname "$0")/../.." && pwd)
for binary in tinyinit tinyinitd tinyctl; do
  [ -x "$bin/$binary" ] || { echo "build-image: $bin/$binary is missing (make all)" >&2; exit 1; }
done
"$repo/scripts/ensure-deps.sh" --vm

root=$(mktemp -d "${image%/*}/root.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Debian's merged /usr: /bin, /sbin and /lib are links into /usr.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,proc,sys,dev,run,tmp,root,var/log,mnt}
for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$root/$dir"; done
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"

install -m 0755 /bin/busybox "$root/usr/bin/busybox"
busybox --list-full | while read -r applet; do
  [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /usr/bin/busybox "$root/$applet"
done

make --no-print-directory -s -C "$repo" install-files OUT="$bin" DESTDIR="$root" PREFIX=/usr >/dev/null
[ -x "$root/sbin/tinyinit" ] || ln -s ../usr/sbin/tinyinit "$root/usr/sbin/tinyinit" # install puts it in PREFIX/sbin

install -m 0755 /sbin/e2fsck "$root/usr/sbin/e2fsck"
# Every shared library the dynamically linked programs load (for tinyinit: libc.so.6,
# libm.so.6 and the loader ld-linux-x86-64.so.2), at the same path as on the host.
for program in "$root"/usr/sbin/tinyinit "$root"/usr/sbin/tinyinitd "$root"/usr/bin/tinyctl "$root"/usr/sbin/e2fsck; do
  ldd "$program" | grep -o '/[^ ]*' | while read -r library; do
    target=$root/usr${library#/usr}
    [ -e "$target" ] || install -D -m 0755 "$(realpath "$library")" "$target"
  done
done

# /dev stays empty, as on a disk booted directly with root= and no initramfs: tinyinit mounts
# devtmpfs and opens /dev/console itself.
ln -s /proc/mounts "$root/etc/mtab"

# Copied through the /lib -> usr/lib link (cp would refuse to replace the link by a folder).
overlay() { tar -C "$1" -cf - . | tar -C "$root" -xf - --keep-directory-symlink --no-same-owner; }
overlay "$repo/examples/linux/rootfs"
mkdir -p "$root/etc/tinyinit.d/boot.d"
if [ "$test_files" = "--test" ]; then
  overlay "$repo/scripts/vm/guest/rootfs"
fi

rm -f "$image"
truncate -s 128M "$image"
mke2fs -q -F -t ext4 -L root -d "$root" "$image"
echo "$image"
