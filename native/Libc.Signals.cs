using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Signal masks, signalfd and dispositions.</summary>
public static unsafe partial class Libc
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
        SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19,
        SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGPWR = 30;

    public const int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    public const int SFD_NONBLOCK = 0x800, SFD_CLOEXEC = 0x80000;
    public const nint SIG_DFL = 0, SIG_IGN = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sigprocmask(int how, SigSet* set, SigSet* oldSet);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int signalfd(int fd, SigSet* mask, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint signal(int sig, nint handler);
}

/// <summary>glibc's sigset_t: 1024 bits (the kernel reads the first 64).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct SigSet
{
    private fixed ulong _bits[16];

    public void Add(int signal) => _bits[(signal - 1) / 64] |= 1UL << ((signal - 1) % 64);

    public readonly bool Contains(int signal) => (_bits[(signal - 1) / 64] & (1UL << ((signal - 1) % 64))) != 0;

    public static SigSet Of(ReadOnlySpan<int> signals)
    {
        var set = new SigSet();
        foreach (var s in signals) set.Add(s);
        return set;
    }

    /// <summary>Every signal the kernel knows (1..64): for "reset all dispositions" and "block all".</summary>
    public static SigSet All()
    {
        var set = new SigSet();
        set._bits[0] = ulong.MaxValue;
        return set;
    }
}

/// <summary>struct signalfd_siginfo (128 bytes, the same on x86_64 and aarch64); the fields we read.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct SignalFdInfo
{
    [FieldOffset(0)] public uint Signo;
    [FieldOffset(12)] public uint Pid;
}
