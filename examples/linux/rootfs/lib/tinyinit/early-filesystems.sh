#!/bin/sh
# Mounts the kernel's virtual filesystems that are not mounted yet: PID 1 or an initramfs may
# have mounted some of them already, and mounting twice would hide what is there (a socket in
# /run, for example).
set -e
[ -e /proc/self ] || mount -t proc -o nosuid,nodev,noexec proc /proc
mount_once() { # TYPE DIR OPTIONS
  grep -q "^[^ ]* $2 " /proc/mounts && return 0
  mkdir -p "$2" 2>/dev/null || true
  mount -t "$1" -o "$3" "$1" "$2"
}
mount_once sysfs /sys nosuid,nodev,noexec
mount_once devtmpfs /dev nosuid,mode=0755
mount_once tmpfs /run nosuid,nodev,mode=0755
mount_once devpts /dev/pts nosuid,noexec,gid=5,mode=0620
mount_once tmpfs /dev/shm nosuid,nodev,mode=1777
