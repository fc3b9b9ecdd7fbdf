using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Where PID 1 ends when nothing else is left to try (reboot(2) failed, start-up broke before
/// the loop): it must never exit — the kernel would panic — so it logs why and reaps orphans
/// forever, once a second or on SIGCHLD, with an emergency shell on the console when there is one
/// (start-up failure of a kernel-booted init). The machine then needs a hard reset (or, in a PID
/// namespace, a kill from outside).
/// </summary>
internal static unsafe class HaltLoop
{
    /// <param name="shell">Offered on the console (and started again when it exits), if any.</param>
    public static void Forever(int signalFd, EmergencyShell? shell = null)
    {
        InitLog.Write("system halted: nothing left to do but reap processes"u8);
        var info = new SignalFdInfo();
        while (true)
        {
            int status, pid;
            while ((pid = Libc.waitpid(-1, &status, Libc.WNOHANG)) > 0) shell?.Exited(pid);
            shell?.StartIfIdle();
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
