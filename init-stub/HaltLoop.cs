using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Where PID 1 ends when nothing else is left to try (reboot(2) failed, start-up broke before
/// the loop): it must never exit — the kernel would panic — so it logs why and reaps orphans
/// forever, once a second or on SIGCHLD. The machine then needs a hard reset (or, in a PID
/// namespace, a kill from outside).
/// </summary>
internal static unsafe class HaltLoop
{
    public static void Forever(int signalFd)
    {
        InitLog.Write("system halted: nothing left to do but reap processes"u8);
        var info = new SignalFdInfo();
        while (true)
        {
            int status;
            while (Libc.waitpid(-1, &status, Libc.WNOHANG) > 0) { }
            if (signalFd >= 0)
            {
                var fd = new PollFd { Fd = signalFd, Events = Libc.POLLIN };
                Libc.poll(&fd, 1, 1000);
                while (Libc.read(signalFd, &info, sizeof(SignalFdInfo)) > 0) { }
            }
            else Libc.poll(null, 0, 1000);
        }
    }
}
