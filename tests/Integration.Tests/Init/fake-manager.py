#!/usr/bin/env python3
"""A stand-in for tinyinitd in tinyinit's integration tests.

Speaks the init<->manager link (16-byte SEQPACKET messages on $TINYINIT_LINK_FD) and records
what it sees, one line per event, in $FAKE_MANAGER_LOG:
  start pid=N link=FD state=FD kernel=K args=A,B
  nofile=N                          (its soft RLIMIT_NOFILE)
  recv kind=K arg=A status=S        (every message tinyinit sent)
  fds kind=K arg=A count=N          (descriptors attached to the message just received)
  orphan pid=N                      (a grandchild it orphaned on purpose)
Commands arrive as files $FAKE_MANAGER_DIR/cmd.N (one command each, run in N order):
  orphan SECONDS CODE   orphan a grandchild that sleeps, then exits with CODE
  stubborn              orphan a grandchild that ignores SIGTERM and sleeps forever
  send KIND ARG STATUS  send a raw message (e.g. a shutdown: send 4 2 0)
  raw HEX               send raw bytes (malformed input)
  exit CODE             exit with CODE
  shutdown TYPE         send Shutdown(TYPE) and exit 0 at once, as the real manager does
  park KEY PATH         open PATH for writing and park it under KEY (ParkFd), keeping no copy
  parkpipes KEY COUNT   park the write ends of COUNT new pipes under KEY, KEY+1, ... (logs "parkpipes done")
  release KEY           ReleaseFd(KEY); also closes the copy handed back under KEY, if any
  write KEY TEXT        write TEXT into the descriptor handed back under KEY (logs "wrote key=KEY")
  rawfds HEX N PATH     send raw bytes with N descriptors of PATH attached (malformed input)
The Hello is held back while $FAKE_MANAGER_DIR/hold-hello exists; while
$FAKE_MANAGER_DIR/crash-at-start exists the manager exits with status 1 at once; if
$FAKE_MANAGER_DIR/orphans-at-start holds a number N, the manager first orphans N grandchildren
that exit at once (with status i % 200), then logs "orphans-at-start done".
"""
import os, resource, select, socket, struct, sys, time

handed_back = {}

LOG = os.environ["FAKE_MANAGER_LOG"]
DIR = os.environ["FAKE_MANAGER_DIR"]


def log(line):
    with open(LOG, "a") as f:
        f.write(line + "\n")


def message(kind, arg, status):
    return struct.pack("<BBHiiI", kind, 1, 0, arg, status, 0)


def orphan(argv):
    child = os.fork()
    if child == 0:
        grandchild = os.fork()
        if grandchild == 0:
            if argv == "stubborn":
                import signal
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                while True:
                    time.sleep(100)
            time.sleep(float(argv[0]))
            os._exit(int(argv[1]))
        log(f"orphan pid={grandchild}")
        os._exit(0)
    os.waitpid(child, 0)


def run(command, link):
    words = command.split()
    if not words:
        return
    if words[0] == "orphan":
        orphan(words[1:])
    elif words[0] == "stubborn":
        orphan("stubborn")
    elif words[0] == "send":
        link.send(message(int(words[1]), int(words[2]), int(words[3])))
    elif words[0] == "raw":
        link.send(bytes.fromhex(words[1]))
    elif words[0] == "park":
        fd = os.open(words[2], os.O_WRONLY)
        socket.send_fds(link, [message(6, int(words[1]), 0)], [fd])
        os.close(fd)
        log(f"parked key={words[1]}")
    elif words[0] == "parkpipes":
        for i in range(int(words[2])):
            r, w = os.pipe()
            socket.send_fds(link, [message(6, int(words[1]) + i, 0)], [w])
            os.close(r)
            os.close(w)
        log("parkpipes done")
    elif words[0] == "release":
        link.send(message(7, int(words[1]), 0))
        fd = handed_back.pop(int(words[1]), None)
        if fd is not None:
            os.close(fd)
        log(f"released key={words[1]}")
    elif words[0] == "write":
        os.write(handed_back[int(words[1])], " ".join(words[2:]).encode())
        log(f"wrote key={words[1]}")
    elif words[0] == "rawfds":
        fds = [os.open(words[3], os.O_RDONLY) for _ in range(int(words[2]))]
        socket.send_fds(link, [bytes.fromhex(words[1])], fds)
        for fd in fds:
            os.close(fd)
        log("rawfds sent")
    elif words[0] == "shutdown":
        link.send(message(4, int(words[1]), 0))
        os._exit(0)
    elif words[0] == "exit":
        log(f"exit {words[1]}")
        os._exit(int(words[1]))


def pending_commands():
    names = [n for n in os.listdir(DIR) if n.startswith("cmd.")]
    return sorted(names, key=lambda n: int(n.split(".")[1]))


def main():
    fd = int(os.environ["TINYINIT_LINK_FD"])
    link = socket.socket(fileno=fd)
    log(f"start pid={os.getpid()} link={fd} state={os.environ.get('TINYINIT_STATE_FD', '-')} "
        f"kernel={os.environ.get('TINYINIT_KERNEL_ARGS', '-')} args={','.join(sys.argv[1:])}")
    log(f"nofile={resource.getrlimit(resource.RLIMIT_NOFILE)[0]}")
    if os.path.exists(os.path.join(DIR, "crash-at-start")):
        os._exit(1)
    orphans_file = os.path.join(DIR, "orphans-at-start")
    if os.path.exists(orphans_file):
        with open(orphans_file) as f:
            count = int(f.read())
        os.unlink(orphans_file)
        for i in range(count):
            child = os.fork()
            if child == 0:
                if os.fork() == 0:
                    os._exit(i % 200)
                os._exit(0)
            os.waitpid(child, 0)
        log("orphans-at-start done")
    while os.path.exists(os.path.join(DIR, "hold-hello")):
        time.sleep(0.05)
    link.send(message(1, 0, 0))
    log("hello sent")
    while True:
        readable, _, _ = select.select([link], [], [], 0.05)
        if readable:
            data, fds, _, _ = socket.recv_fds(link, 64, 16)
            if not data:
                log("link closed")
                os._exit(3)
            kind, version, _, arg, status, _ = struct.unpack("<BBHiiI", data)
            log(f"recv kind={kind} arg={arg} status={status}")
            if fds:
                log(f"fds kind={kind} arg={arg} count={len(fds)}")
                if kind == 8 and len(fds) == 1:
                    handed_back[arg] = fds[0]
                else:
                    for fd in fds:
                        os.close(fd)
        for name in pending_commands():
            path = os.path.join(DIR, name)
            with open(path) as f:
                command = f.read()
            os.unlink(path)
            run(command, link)


main()
