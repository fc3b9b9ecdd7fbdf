using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: DisableRuntimeMarshalling]

namespace Tinyinit.Native;

/// <summary>
/// The project's only door to the kernel, grouped by concern in partial files (Libc.Files.cs,
/// Libc.Signals.cs, ...). Every call reports failure as -1 (posix_spawn: an errno return value)
/// with errno in <see cref="Errno"/>; nothing here throws. Layouts hold for x86_64 and aarch64
/// glibc; where the two differ (epoll_event) both are declared and the one for the running
/// architecture is used (see <see cref="Architectures"/>).
/// </summary>
public static unsafe partial class Libc
{
    internal const string Lib = "libc";

    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, ECHILD = 10, EAGAIN = 11, EACCES = 13,
        EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, EFBIG = 27, EPIPE = 32,
        ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40, EMSGSIZE = 90, ECONNREFUSED = 111;

    public static int Errno => Marshal.GetLastPInvokeError();

    [LibraryImport(Lib)]
    private static partial byte* strerror(int errnum);

    /// <summary>The C library's text for an errno value ("No such file or directory").</summary>
    public static string StrError(int errno)
    {
        var text = strerror(errno);
        return text == null ? $"error {errno}" : Marshal.PtrToStringUTF8((nint)text) ?? $"error {errno}";
    }
}
