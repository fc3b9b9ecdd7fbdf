namespace Tinyinit.Native;

/// <summary>
/// Makes sure the signals a program handles through a signalfd are blocked in EVERY thread
/// before any can arrive. The runtime starts its own threads before Main with nothing blocked:
/// blocking in Main leaves those threads to take (and lose) a SIGCHLD, or to die of a SIGTERM.
/// The mask survives execve and is inherited by every thread the runtime creates, so: block,
/// re-execute this program, and only in the re-executed image open the signalfd. That image
/// recognises itself by its mask (<see cref="AlreadyBlocked"/>). Measured: blocking in Main
/// alone loses signals; this never does.
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

    /// <summary>A nonblocking, close-on-exec signalfd for <paramref name="signals"/>, or -1.</summary>
    public static int OpenSignalFd(ReadOnlySpan<int> signals)
    {
        var set = SigSet.Of(signals);
        return Libc.signalfd(-1, &set, Libc.SFD_NONBLOCK | Libc.SFD_CLOEXEC);
    }
}
