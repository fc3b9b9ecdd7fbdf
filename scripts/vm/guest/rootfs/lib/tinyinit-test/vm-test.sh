#!/bin/sh
# The guest half of make check-vm (tests/Vm.Tests): acts on tinyinit.test=SCENARIO from the
# kernel command line and writes result lines "VMTEST ..." to the second serial port, ttyS1.
out=/dev/ttyS1
say() { echo "VMTEST $*" > $out; }

scenario=none
for word in $(cat /proc/cmdline); do
  case $word in tinyinit.test=*) scenario=${word#tinyinit.test=} ;; esac
done

if [ "$1" = start ]; then
  # Once per boot (a manager restarted after a crash may start this service again), and
  # detached from the service (new session, reparented), so stopping or killing the service's
  # process cannot end the scenario.
  [ "$scenario" = none ] || [ -e /run/vm-test.started ] && exit 0
  : > /run/vm-test.started
  setsid /lib/tinyinit-test/vm-test.sh run </dev/null >/dev/null 2>&1 &
  exit 0
fi

wait_until() { # DESCRIPTION COMMAND...: polls for up to 100 s
  what=$1; shift
  i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 500 ]; then say "TIMEOUT $what"; return 1; fi
    sleep 0.2
  done
}
pid_of() { tinyctl status "$1" 2>/dev/null | sed -n 's/^ *Process ID: *//p'; }
pid_changed() { [ -n "$(pid_of "$1")" ] && [ "$(pid_of "$1")" != "$2" ] && tinyctl is-started "$1"; }
# The manager is tinyinit's child: a service being launched is also "tinyinitd" until its exec.
manager_pid() {
  for p in $(pidof tinyinitd); do
    [ "$(cut -d' ' -f4 "/proc/$p/stat" 2>/dev/null)" = 1 ] && { echo "$p"; return; }
  done
}
manager_replaced() { [ -n "$(manager_pid)" ] && [ "$(manager_pid)" != "$1" ] && tinyctl is-started boot; }
report_list() {
  tinyctl list > /tmp/list 2>&1
  say "LIST-STATUS $?"
  while IFS= read -r line; do say "LIST $line"; done < /tmp/list
}
report_pids() { # LABEL
  say "$1 syslogd=$(pid_of syslogd) getty-console=$(pid_of getty-console) manager=$(manager_pid)"
}

if [ "$1" = busybox-init ]; then
  [ "$scenario" = bench ] && poweroff
  exit 0
fi

wait_until "boot STARTED" tinyctl is-started boot || { tinyctl poweroff; exit 1; }
say "BOOTED scenario=$scenario pid1=$(cat /proc/1/comm)"
case $scenario in
  boot|single)
    report_list
    ;;
  restart)
    old=$(pid_of syslogd)
    kill -9 "$old"
    wait_until "syslogd restarted" pid_changed syslogd "$old" && say "RESTARTED syslogd $old $(pid_of syslogd)"
    ;;
  manager-kill)
    report_pids BEFORE
    old=$(manager_pid)
    kill -9 "$old"
    sleep 1
    wait_until "a new manager" manager_replaced "$old"
    report_pids AFTER
    ;;
  restart-manager)
    report_pids BEFORE
    tinyctl restart-manager
    say "RESTART-MANAGER-STATUS $?"
    wait_until "boot STARTED after restart-manager" tinyctl is-started boot
    report_pids AFTER
    ;;
  reexec-init)
    report_pids BEFORE
    tinyctl reexec-init
    say "REEXEC-INIT-STATUS $?"
    sleep 1
    wait_until "boot STARTED after reexec-init" tinyctl is-started boot
    report_pids AFTER
    say "PID1-AFTER $(cat /proc/1/comm)"
    ;;
  poweroff|reboot)
    say "READY"
    tinyctl "$scenario"
    say "SHUTDOWN-STATUS $?"
    exit 0
    ;;
  ctrl-alt-del)
    say "READY"
    exit 0
    ;;
esac
say "DONE"
tinyctl poweroff
