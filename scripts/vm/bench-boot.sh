#!/usr/bin/env bash
# Boot time under QEMU from QEMU's start to `loginready` STARTED (the guest's "VMTEST
# LOGINREADY" line on ttyS1), median of N boots, for tinyinit with examples/linux beside
# busybox's own init running the same steps from /etc/init.d/rcS (scripts/vm/guest). Also the
# init system's own part: from the kernel's "Run /sbin/... as init process" to loginready, both
# read on the guest's clock (kernel log timestamp, /proc/uptime), so the kernel's boot and the
# host's load weigh less. Boots alternate between the two so that a change in the machine's
# load affects both alike.
#   usage: bench-boot.sh BIN_DIR [RUNS]   (default 5)
set -euo pipefail
bin=$(realpath "${1:?usage: bench-boot.sh BIN_DIR [RUNS]}")
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$here/../../out/vm/bench
mkdir -p "$work"
kernel=$("$here/fetch-kernel.sh" "$here/../../out/vm")
image=$("$here/build-image.sh" "$bin" "$work/root.img" --test)

# One boot; prints the seconds from QEMU's start to the marker, and the init system's part.
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
  local ready init_start
  ready=$(tr -d '\r' < "$work/result.txt" | awk '/^VMTEST LOGINREADY/ { print $3; exit }')
  init_start=$(tr -d '\r' < "$work/console.log" | sed -n 's/^\[ *\([0-9.]*\)\] Run .* as init process$/\1/p' | head -1)
  awk -v s="$start" -v e="$end" -v r="$ready" -v i="$init_start" 'BEGIN { printf "%.2f %.2f\n", e - s, r - i }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

tinyinit_runs=()
busybox_runs=()
for i in $(seq "$runs"); do
  tinyinit_runs+=("$(boot_once /sbin/tinyinit)")
  busybox_runs+=("$(boot_once /sbin/init)")
  echo "  boot $i (total, init part): tinyinit ${tinyinit_runs[-1]} s, busybox init ${busybox_runs[-1]} s" >&2
done
column_median() { # COLUMN RUN...
  local column=$1; shift
  printf '%s\n' "$@" | awk -v c="$column" '{ print $c }' | median
}
row() { # LABEL TINYINIT BUSYBOX
  printf '%-44s %8.2f s %8.2f s %8.2f x\n' "$1" "$2" "$3" "$(awk -v t="$2" -v b="$3" 'BEGIN { print t / b }')"
}
printf '%-44s %10s %10s %10s\n' "boot time, median of $runs" tinyinit "busybox" "ratio"
row "QEMU start to loginready" "$(column_median 1 "${tinyinit_runs[@]}")" "$(column_median 1 "${busybox_runs[@]}")"
row "init started to loginready (guest clock)" "$(column_median 2 "${tinyinit_runs[@]}")" "$(column_median 2 "${busybox_runs[@]}")"
