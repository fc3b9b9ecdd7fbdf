using System.Runtime.InteropServices;
using System.Text;
using Tinyinit.Daemon.Interop;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Makes sure the signals the manager handles synchronously are blocked in EVERY thread.
/// The runtime starts its finalizer thread before Main with no signals blocked; blocking in
/// Main therefore leaves that thread to take (and lose) a SIGCHLD, or to die of a SIGTERM.
/// The mask survives exec and is inherited by every thread the runtime then creates, so the
/// cure is: block, re-exec ourselves, and only then open the signalfd. Measured on net9.0
/// NativeAOT: this works every time; blocking in Main alone does not.
/// </summary>
internal static unsafe class SignalBootstrap
{
    public static readonly int[] HandledSignals =
    [
        Libc.SIGCHLD, Libc.SIGTERM, Libc.SIGINT, Libc.SIGQUIT, Libc.SIGHUP,
        Libc.SIGUSR1, Libc.SIGUSR2, Libc.SIGPWR,
    ];

    /// <summary>True when every handled signal is already blocked (we are the re-exec'd image).</summary>
    public static bool AlreadyBlocked()
    {
        SigSet current;
        Libc.sigprocmask(Libc.SIG_BLOCK, null, &current);
        foreach (var s in HandledSignals)
            if (!current.Contains(s)) return false;
        return true;
    }

    /// <summary>
    /// Blocks the handled signals and replaces this process image with a fresh copy of itself.
    /// Returns only if exec failed; the caller then runs with a best-effort mask.
    /// </summary>
    public static string BlockAndReexec(string[] argv)
    {
        var set = SigSet.Of(HandledSignals);
        Libc.sigprocmask(Libc.SIG_BLOCK, &set, null);
        var path = Environment.ProcessPath;
        if (string.IsNullOrEmpty(path)) return "cannot re-exec: unknown executable path";
        var pathBytes = NullTerminated(path);
        var args = new nint[argv.Length + 2];
        var handles = new List<GCHandle>();
        try
        {
            var argv0 = NullTerminated(path);
            handles.Add(GCHandle.Alloc(argv0, GCHandleType.Pinned));
            args[0] = handles[^1].AddrOfPinnedObject();
            for (var i = 0; i < argv.Length; i++)
            {
                handles.Add(GCHandle.Alloc(NullTerminated(argv[i]), GCHandleType.Pinned));
                args[i + 1] = handles[^1].AddrOfPinnedObject();
            }
            fixed (byte* p = pathBytes)
            fixed (nint* a = args)
                Libc.execv(p, (byte**)a);
            return $"cannot re-exec {path}: {Libc.StrError(Libc.Errno)}";
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    private static byte[] NullTerminated(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
