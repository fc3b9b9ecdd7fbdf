using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: DisableRuntimeMarshalling]

namespace Tinyinit.Ctl.Interop;

/// <summary>
/// The few libc calls tinyctl needs. Raw syscalls instead of System.Net.Sockets keep the AOT
/// binary small and start-up in the low milliseconds (measured: see CtlBench), and give the
/// exact errno texts the reference prints.
/// </summary>
internal static unsafe partial class Libc
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int EINTR = 4;
    public const int ENOENT = 2;
    public const int F_GETFD = 1;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int connect(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nint count, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int command);

    [LibraryImport("libc")]
    public static partial uint getuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    public static partial void sync();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int reboot(int command);

    [LibraryImport("libc")]
    public static partial int getpid();

    [LibraryImport("libc")]
    public static partial int getppid();

    [LibraryImport("libc")]
    private static partial int sigfillset(byte* set);

    [LibraryImport("libc")]
    private static partial int sigprocmask(int how, byte* set, byte* oldSet);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int open(byte* path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    public static void BlockAllSignals()
    {
        var set = stackalloc byte[128]; // sizeof(sigset_t) in glibc and musl
        sigfillset(set);
        sigprocmask(0 /* SIG_BLOCK */, set, null);
    }

    public static void RedirectStdout(string path)
    {
        var p = NulTerminated(path);
        int fd;
        fixed (byte* pp = p) fd = open(pp, 1 /* O_WRONLY */ | 0x100 /* O_NOCTTY */);
        if (fd < 0) return;
        dup2(fd, 1);
        if (fd != 1) close(fd);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int symlink(byte* target, byte* linkPath);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlink(byte* path);

    /// <summary>symlink(2); returns 0 or the errno.</summary>
    public static int Symlink(string target, string linkPath)
    {
        var t = NulTerminated(target);
        var l = NulTerminated(linkPath);
        fixed (byte* tp = t)
        fixed (byte* lp = l)
            return symlink(tp, lp) == 0 ? 0 : Errno;
    }

    /// <summary>unlink(2); returns 0 or the errno.</summary>
    public static int Unlink(string path)
    {
        var p = NulTerminated(path);
        fixed (byte* pp = p) return unlink(pp) == 0 ? 0 : Errno;
    }

    private static byte[] NulTerminated(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    [LibraryImport("libc")]
    private static partial byte* strerror(int errnum);

    public const int MSG_NOSIGNAL = 0x4000;

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string StrError(int errno) => Marshal.PtrToStringUTF8((nint)strerror(errno)) ?? $"error {errno}";
}
