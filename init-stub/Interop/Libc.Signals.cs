using System.Runtime.InteropServices;

namespace Tinyinit.Init.Interop;

internal static unsafe partial class Libc
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
        SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGPWR = 30;

    public const int SIG_BLOCK = 0, SIG_SETMASK = 2;
    public const int SFD_NONBLOCK = 0x800, SFD_CLOEXEC = 0x80000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sigprocmask(int how, SigSet* set, SigSet* oldSet);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int signalfd(int fd, SigSet* mask, int flags);
}

/// <summary>glibc's sigset_t: 1024 bits.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SigSet
{
    private fixed ulong _bits[16];

    public void Add(int signal) => _bits[(signal - 1) / 64] |= 1UL << ((signal - 1) % 64);

    public readonly bool Contains(int signal) => (_bits[(signal - 1) / 64] & (1UL << ((signal - 1) % 64))) != 0;

    /// <summary>Every signal the kernel knows (1..64): for "reset all dispositions".</summary>
    public static SigSet All()
    {
        var set = new SigSet();
        set._bits[0] = ulong.MaxValue;
        return set;
    }
}

/// <summary>struct signalfd_siginfo (128 bytes); only the field init reads.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct SignalFdInfo
{
    [FieldOffset(0)] public uint Signo;
}
