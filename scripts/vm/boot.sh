#!/usr/bin/env bash
# Boots a root disk made by build-image.sh under QEMU (emulated CPU: no KVM needed) with the
# Debian cloud kernel and no initramfs. Extra arguments are added to the kernel command line.
# QEMU exits when the guest powers off or reboots (-no-reboot).
#   usage: boot.sh IMAGE [KERNEL-WORD...]
# Environment:
#   VM_KERNEL    kernel image (default: fetched by fetch-kernel.sh into out/vm)
#   VM_INIT      init program (default /sbin/tinyinit)
#   VM_CONSOLE   QEMU character device for the console, ttyS0 (default mon:stdio: the console
#                on this terminal; Ctrl-A x quits QEMU, Ctrl-A c switches to its monitor)
#   VM_RESULTS   file that receives what the guest writes to its second serial port, ttyS1
#   VM_MONITOR   path of a unix socket for the QEMU monitor (e.g. sendkey ctrl-alt-delete)
#   VM_MEMORY    guest memory in MiB (default 256)
set -euo pipefail
image=${1:?usage: boot.sh IMAGE [KERNEL-WORD...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
kernel=${VM_KERNEL:-$("$here/fetch-kernel.sh" "$here/../../out/vm")}
# no_timer_check: on a heavily loaded host the emulated CPU is so slow that the kernel's early
# check of the timer interrupt fails and it panics ("IO-APIC + timer doesn't work!"; seen at a
# load average of 28 on 2 cores).
append="console=ttyS0 panic=-1 no_timer_check root=/dev/nvme0n1 rootfstype=ext4 rootwait ro init=${VM_INIT:-/sbin/tinyinit} $*"
args=(
  -nodefaults -no-user-config -display none -machine pc -accel tcg -cpu max
  -m "${VM_MEMORY:-256}" -smp 1 -no-reboot
  -kernel "$kernel" -append "$append"
  -drive "file=$image,if=none,id=root,format=raw" -device nvme,drive=root,serial=root
  -serial "${VM_CONSOLE:-mon:stdio}"
)
if [ -n "${VM_RESULTS:-}" ]; then args+=(-serial "file:$VM_RESULTS"); fi
if [ -n "${VM_MONITOR:-}" ]; then args+=(-monitor "unix:$VM_MONITOR,server,nowait"); fi
exec qemu-system-x86_64 "${args[@]}"
