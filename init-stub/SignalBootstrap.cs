using Tinyinit.Init.Interop;

namespace Tinyinit.Init;

/// <summary>
/// Makes sure the signals init handles are blocked in EVERY thread before any can arrive.
/// The runtime starts its finalizer thread before Main with nothing blocked: blocking in Main
/// would leave that thread to take (and lose) a SIGCHLD, or to die of a SIGTERM — fatal in
/// PID 1. The mask survives execve and is inherited by every thread the runtime creates, so:
/// block, re-exec Environment.ProcessPath (/proc may not be mounted at boot), and only in the
/// re-executed image open the signalfd. The re-executed image recognises itself by its mask.
/// </summary>
internal static unsafe class SignalBootstrap
{
    /// <summary>SIGCHLD plus every signal forwarded to the manager.</summary>
    public static ReadOnlySpan<int> HandledSignals =>
    [
        Libc.SIGCHLD, Libc.SIGTERM, Libc.SIGINT, Libc.SIGQUIT, Libc.SIGHUP,
        Libc.SIGUSR1, Libc.SIGUSR2, Libc.SIGPWR,
    ];

    public static SigSet HandledSet()
    {
        var set = new SigSet();
        foreach (var s in HandledSignals) set.Add(s);
        return set;
    }

    /// <summary>True when every handled signal is already blocked (we are the re-executed image).</summary>
    public static bool AlreadyBlocked()
    {
        SigSet current;
        Libc.sigprocmask(Libc.SIG_BLOCK, null, &current);
        foreach (var s in HandledSignals)
            if (!current.Contains(s)) return false;
        return true;
    }

    /// <summary>Blocks the handled signals and re-executes this program. Returns only if exec failed.</summary>
    public static void BlockAndReexec(string[] args)
    {
        var set = HandledSet();
        Libc.sigprocmask(Libc.SIG_BLOCK, &set, null);
        var self = SelfPath.Find();
        if (string.IsNullOrEmpty(self))
        {
            InitLog.Write("cannot re-execute: own path unknown; signals may be lost"u8);
            return;
        }
        var path = NativeStrings.Permanent(self);
        Libc.execv(path, NativeStrings.PermanentVector([self, .. args]));
        InitLog.Write("cannot re-execute ("u8, Libc.Errno, "); signals may be lost"u8);
    }

    /// <summary>Nonblocking, close-on-exec signalfd for the handled signals, or -1.</summary>
    public static int OpenSignalFd()
    {
        var set = HandledSet();
        return Libc.signalfd(-1, &set, Libc.SFD_NONBLOCK | Libc.SFD_CLOEXEC);
    }
}
