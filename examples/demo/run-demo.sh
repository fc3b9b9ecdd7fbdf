#!/usr/bin/env bash
# `make demo`: boots the demo service set under tinyinit as PID 1 of a fresh PID namespace and
# walks through what an administrator does with it. Leaves no process behind.
set -euo pipefail
bin=${1:?usage: run-demo.sh BIN_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tinyinit-demo.XXXXXX)
sock=$work/tinyinit.socket
ctl() { "$bin/tinyctl" -p "$sock" "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# How to get a PID namespace here: root can make one; others need unprivileged user namespaces.
if unshare --pid --fork --mount-proc true 2>/dev/null; then
  ns=(unshare --pid --fork --mount-proc)
elif unshare --user --map-root-user --pid --fork --mount-proc true 2>/dev/null; then
  ns=(unshare --user --map-root-user --pid --fork --mount-proc)
else
  echo "demo: cannot create a PID namespace here (not root, and unprivileged user namespaces are disabled)"
  exit 1
fi

cleanup() {
  if [ -n "${init_pid:-}" ] && kill -0 "$init_pid" 2>/dev/null; then kill -KILL "$init_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say "Booting: tinyinit as PID 1 of a new PID namespace, services from examples/demo/services"
# A background job starts with SIGINT/SIGQUIT ignored; PID 1 needs default dispositions.
env --default-signal "${ns[@]}" "$bin/tinyinit" -d "$here/services" -p "$sock" boot &
init_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "demo: the manager did not open its control socket"; exit 1; }
sleep 1

say "tinyctl list — every loaded service and its state"
ctl list

say "tinyctl status web"
ctl status web

say "tinyctl stop --force database — web depends on it, so web stops first"
ctl stop --force database || true
ctl list

say "tinyctl start web — starting web starts database again"
ctl start web
ctl list

say "tinyctl signal KILL web — web's process dies; the manager restarts it with a new pid"
ctl status web | grep 'Process ID' || true
ctl signal KILL web
sleep 1
ctl status web | grep 'Process ID' || true

say "flaky crashes every two seconds; the manager restarts it within its limits"
ctl status flaky || true

say "tinyctl shutdown — every service stops in reverse dependency order, then PID 1 ends the namespace"
ctl shutdown || true
for _ in $(seq 100); do kill -0 "$init_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$init_pid" 2>/dev/null; then echo "demo: the namespace did not end"; exit 1; fi
wait "$init_pid" 2>/dev/null || true
init_pid=
say "Done: the namespace has ended and no process is left."
