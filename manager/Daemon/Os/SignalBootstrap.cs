using System.Runtime.InteropServices;
using System.Text;
using Tinyinit.Daemon.Interop;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Makes sure the signals the manager handles synchronously are blocked in EVERY thread.
/// The runtime starts its finalizer thread before Main with no signals blocked; blocking in
/// Main therefore leaves that thread to take (and lose) a SIGCHLD, or to die of a SIGTERM.
/// The mask survives exec and is inherited by every thread the runtime then creates, so the
/// first cure is to block in Main AND in the finalizer thread (it runs our finalizer), then
/// check every thread's mask in /proc; only when that cannot be confirmed do we block,
/// re-exec ourselves, and only then open the signalfd. Measured on net9.0 NativeAOT:
/// re-exec works every time; blocking in Main alone does not. Re-exec costs a second runtime
/// start-up (about a third of the manager's start-up time), hence the in-process attempt first.
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
    /// Blocks the handled signals in this thread and in the runtime's finalizer thread (the only
    /// other thread before Main creates any; threads created later inherit the mask). True when
    /// /proc confirms that every thread of the process now blocks them.
    /// </summary>
    public static bool BlockInEveryThread()
    {
        BlockHandledInThisThread();
        QueueBlockingFinalizer();
        // A gen0 collection is enough to find the new object dead, and commits less than a full one.
        GC.Collect(0);
        GC.WaitForPendingFinalizers();
        return EveryThreadBlocks();
    }

    private static void BlockHandledInThisThread()
    {
        var set = SigSet.Of(HandledSignals);
        Libc.sigprocmask(Libc.SIG_BLOCK, &set, null);
    }

    // Not inlined, so that no reference to the object survives in the caller's frame.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void QueueBlockingFinalizer() => _ = new FinalizerThreadMask();

    /// <summary>Its finalizer runs on the finalizer thread: that is the way to change that thread's mask.</summary>
    private sealed class FinalizerThreadMask
    {
        ~FinalizerThreadMask() => BlockHandledInThisThread();
    }

    private static bool EveryThreadBlocks()
    {
        try
        {
            foreach (var task in Directory.GetDirectories("/proc/self/task"))
            {
                var line = File.ReadLines(Path.Combine(task, "status")).FirstOrDefault(l => l.StartsWith("SigBlk:", StringComparison.Ordinal));
                if (line == null || !ulong.TryParse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, null, out var blocked)) return false;
                foreach (var s in HandledSignals)
                    if ((blocked & (1UL << (s - 1))) == 0) return false;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // no /proc: cannot confirm, so re-exec
        }
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
