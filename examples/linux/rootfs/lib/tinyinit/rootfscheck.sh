#!/bin/sh
# Checks the root filesystem with e2fsck while it is mounted read-only. e2fsck's exit status:
# 0 clean, 1 errors fixed, 2 fixed but the system must reboot, 4 and above not fixed.
root=
for word in $(cat /proc/cmdline); do
  case $word in root=/dev/*) root=${word#root=} ;; esac
done
if [ -z "$root" ] || ! command -v e2fsck >/dev/null; then
  echo "rootfscheck: no root device on the kernel command line or no e2fsck: not checking"
  exit 0
fi
if ! grep -q '^[^ ]* / [^ ]* ro[, ]' /proc/mounts; then
  echo "rootfscheck: / is mounted read-write: not checking"
  exit 0
fi
e2fsck -p "$root"
status=$?
case $status in
  0|1) exit 0 ;;
  2|3) echo "rootfscheck: $root was repaired; rebooting"; sync; reboot -f ;;
  *) echo "rootfscheck: $root has errors e2fsck -p could not fix (status $status)"; exit 1 ;;
esac
