using System.Runtime.InteropServices;

[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]

namespace Tinyinit.Daemon.Interop;

/// <summary>
/// The daemon's only door to the kernel. Every call reports failure as -1 with errno available
/// through <see cref="Marshal.GetLastPInvokeError"/>; callers decide what a failure means, and
/// nothing here throws. Layouts are x86_64/aarch64 glibc (LP64).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int EINTR = 4, EAGAIN = 11, ECHILD = 10, ENOENT = 2, EEXIST = 17, EMFILE = 24, ENFILE = 23, EPERM = 1, ESRCH = 3, ENOSYS = 38;

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_NOCTTY = 0x100,
        O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int dup(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);
    public const int F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1, F_DUPFD_CLOEXEC = 1030;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chmod(string path, int mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);
    public const int X_OK = 1;

    [LibraryImport(Lib)]
    public static partial int getpid();

    [LibraryImport(Lib)]
    public static partial int getppid();

    [LibraryImport(Lib)]
    public static partial int getuid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getpgid(int pid);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);
    public const int WNOHANG = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    public const int PR_SET_CHILD_SUBREAPER = 36;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int clock_gettime(int clockId, Timespec* tp);
    public const int CLOCK_MONOTONIC = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int execv(byte* path, byte** argv);

    [LibraryImport(Lib)]
    public static partial byte* strerror(int errnum);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint pwrite(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint pread(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    /// <summary>stat(2) into a raw <c>struct stat</c> (x86_64 layout: 144 bytes, st_mtim at 88).</summary>
    [LibraryImport(Lib, EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int stat(string path, byte* buffer);
    public const int StatSize = 144, StatMtimeOffset = 88;

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>The C library's text for an errno value ("No such file or directory").</summary>
    public static string StrError(int errno)
    {
        var text = strerror(errno);
        return text == null ? $"error {errno}" : Marshal.PtrToStringUTF8((nint)text) ?? $"error {errno}";
    }
}

[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}
