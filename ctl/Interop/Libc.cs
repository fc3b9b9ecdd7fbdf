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

    [LibraryImport("libc")]
    private static partial byte* strerror(int errnum);

    public const int MSG_NOSIGNAL = 0x4000;

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string StrError(int errno) => Marshal.PtrToStringUTF8((nint)strerror(errno)) ?? $"error {errno}";
}
