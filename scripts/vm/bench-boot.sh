#!/usr/bin/env bash
# Boot time under QEMU from QEMU's start to `loginready` STARTED (the guest's "VMTEST
# LOGINREADY" line on ttyS1), median of N boots, for tinyinit with examples/linux beside
# busybox's own init running the same steps from /etc/init.d/rcS (scripts/vm/guest). Boots
# alternate between the two so that a change in the machine's load affects both alike.
#   usage: bench-boot.sh BIN_DIR [RUNS]   (default 5)
set -euo pipefail
bin=$(realpath "${1:?usage: bench-boot.sh BIN_DIR [RUNS]}")
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$here/../../out/vm/bench
mkdir -p "$work"
kernel=$("$here/fetch-kernel.sh" "$here/../../out/vm")
image=$("$here/build-image.sh" "$bin" "$work/root.img" --test)

# One boot; prints the seconds from QEMU's start to the marker.
boot_once() { # INIT
  cp "$image" "$work/run.img"
  rm -f "$work/result.txt"
  : > "$work/result.txt"
  local start end
  start=$(date +%s.%N)
  VM_KERNEL=$kernel VM_INIT=$1 VM_CONSOLE="file:$work/console.log" VM_RESULTS="$work/result.txt" \
    timeout 180 "$here/boot.sh" "$work/run.img" tinyinit.test=bench &
  local qemu=$!
  until grep -q 'VMTEST LOGINREADY' "$work/result.txt" 2>/dev/null; do
    if ! kill -0 "$qemu" 2>/dev/null; then echo "bench-boot: $1 never reached loginready (see $work/console.log)" >&2; return 1; fi
    sleep 0.02
  done
  end=$(date +%s.%N)
  wait "$qemu" || true
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

tinyinit_times=()
busybox_times=()
for i in $(seq "$runs"); do
  tinyinit_times+=("$(boot_once /sbin/tinyinit)")
  busybox_times+=("$(boot_once /sbin/init)")
  echo "  boot $i: tinyinit ${tinyinit_times[-1]} s, busybox init ${busybox_times[-1]} s" >&2
done
tinyinit=$(printf '%s\n' "${tinyinit_times[@]}" | median)
busybox=$(printf '%s\n' "${busybox_times[@]}" | median)
printf '%-52s %8.2f s\n' "boot to loginready, tinyinit (median of $runs)" "$tinyinit"
printf '%-52s %8.2f s\n' "boot to the same point, busybox init (median of $runs)" "$busybox"
printf '%-52s %8.2f x\n' "ratio tinyinit / busybox init" "$(awk -v t="$tinyinit" -v b="$busybox" 'BEGIN { print t / b }')"
