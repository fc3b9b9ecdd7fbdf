namespace Tinyinit.Native;

/// <summary>
/// Makes sure the signals a program handles through a signalfd are blocked in EVERY thread
/// before any can arrive. The runtime starts its own threads before Main with nothing blocked:
/// blocking in Main leaves those threads to take (and lose) a SIGCHLD, or to die of a SIGTERM.
/// The mask survives execve and is inherited by every thread the runtime creates, so: block,
/// re-execute this program, and only in the re-executed image open the signalfd. That image
/// recognises itself by its mask (<see cref="AlreadyBlocked"/>). Measured: blocking in Main
/// alone loses signals; this never does.
/// <para>Re-executing costs a second runtime start-up, so a program may first try
/// <see cref="BlockInEveryThread"/>: block in Main and in the runtime's finalizer thread (the
/// only other thread before Main creates any), then confirm every thread's mask in /proc;
/// only when that cannot be confirmed is re-executing needed.</para>
/// </summary>
public static unsafe class SignalBootstrap
{
    /// <summary>True when every signal in <paramref name="signals"/> is blocked (we are the re-executed image).</summary>
    public static bool AlreadyBlocked(ReadOnlySpan<int> signals)
    {
        SigSet current;
        Libc.sigprocmask(Libc.SIG_BLOCK, null, &current);
        foreach (var s in signals)
            if (!current.Contains(s)) return false;
        return true;
    }

    /// <summary>
    /// Blocks <paramref name="signals"/> and replaces this process image with
    /// <paramref name="path"/> run with <paramref name="argv"/> (argv[0] included).
    /// Returns only if exec failed: the errno.
    /// </summary>
    public static int BlockAndReexec(ReadOnlySpan<int> signals, string path, IReadOnlyList<string> argv)
    {
        var set = SigSet.Of(signals);
        Libc.sigprocmask(Libc.SIG_BLOCK, &set, null);
        // Permanent strings: exec either replaces the image or fails once at start-up.
        Libc.execv(NativeStrings.Permanent(path), NativeStrings.PermanentVector(argv));
        return Libc.Errno;
    }

    /// <summary>
    /// Blocks <paramref name="signals"/> in this thread and in the finalizer thread; true when
    /// /proc confirms that every thread of the process now blocks them.
    /// </summary>
    public static bool BlockInEveryThread(ReadOnlySpan<int> signals)
    {
        var set = SigSet.Of(signals);
        Libc.sigprocmask(Libc.SIG_BLOCK, &set, null);
        FinalizerThreadMask.Queue(set);
        // A gen0 collection is enough to find the new object dead, and commits less than a full one.
        GC.Collect(0);
        GC.WaitForPendingFinalizers();
        return EveryThreadBlocks(set);
    }

    /// <summary>Its finalizer runs on the finalizer thread: the only way to change that thread's mask.</summary>
    private sealed class FinalizerThreadMask(SigSet set)
    {
        // Not inlined, so that no reference to the object survives in the caller's frame.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static void Queue(SigSet set) => _ = new FinalizerThreadMask(set);

        ~FinalizerThreadMask()
        {
            var mask = set;
            Libc.sigprocmask(Libc.SIG_BLOCK, &mask, null);
        }
    }

    private static bool EveryThreadBlocks(SigSet wanted)
    {
        try
        {
            foreach (var task in Directory.GetDirectories("/proc/self/task"))
            {
                var line = File.ReadLines(Path.Combine(task, "status")).FirstOrDefault(l => l.StartsWith("SigBlk:", StringComparison.Ordinal));
                if (line == null || !ulong.TryParse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, null, out var blocked)) return false;
                for (var signal = 1; signal <= 64; signal++)
                    if (wanted.Contains(signal) && (blocked & (1UL << (signal - 1))) == 0) return false;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // no /proc: cannot confirm, so the caller re-executes
        }
    }

    /// <summary>A nonblocking, close-on-exec signalfd for <paramref name="signals"/>, or -1.</summary>
    public static int OpenSignalFd(ReadOnlySpan<int> signals)
    {
        var set = SigSet.Of(signals);
        return Libc.signalfd(-1, &set, Libc.SFD_NONBLOCK | Libc.SFD_CLOEXEC);
    }
}
