using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// The signals PID 1 takes through its signalfd: SIGCHLD plus every signal forwarded to the
/// manager. Blocked in every thread by <see cref="Native.SignalBootstrap"/> (block, re-exec).
/// </summary>
internal static class InitSignals
{
    public static ReadOnlySpan<int> Handled =>
    [
        Libc.SIGCHLD, Libc.SIGTERM, Libc.SIGINT, Libc.SIGQUIT, Libc.SIGHUP,
        Libc.SIGUSR1, Libc.SIGUSR2, Libc.SIGPWR,
    ];

    /// <summary>
    /// Blocks the handled signals in every thread (re-executing; returns only if that failed).
    /// False, after logging, when that cannot be made sure: a signal may then be taken by another
    /// thread, or (under qemu-user, which catches host signals itself) never reach the signalfd.
    /// </summary>
    public static bool BlockEverywhere(string[] args)
    {
        if (SignalBootstrap.AlreadyBlocked(Handled)) return true;
        var self = SelfPath.Find();
        if (string.IsNullOrEmpty(self))
        {
            InitLog.Write("cannot re-execute: own path unknown; signals may be lost"u8);
            return false;
        }
        var errno = SignalBootstrap.BlockAndReexec(Handled, self, [self, .. args]);
        InitLog.Write("cannot re-execute ("u8, errno, "); signals may be lost, reaping every second"u8);
        return false;
    }

    public static int OpenSignalFd() => SignalBootstrap.OpenSignalFd(Handled);
}
