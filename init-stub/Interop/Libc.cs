using System.Runtime.InteropServices;

[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]

namespace Tinyinit.Init.Interop;

/// <summary>
/// tinyinit's only door to the kernel (copied, not shared, from the manager: PID 1 must not
/// depend on the manager's code). Calls report failure as -1 (or an errno return value for
/// posix_spawn) with errno in <see cref="Errno"/>; nothing here throws or allocates.
/// Layouts are x86_64/aarch64 glibc (LP64).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int EINTR = 4, EAGAIN = 11, ECHILD = 10, ENOENT = 2, EPERM = 1, EINVAL = 22;
    public const int O_RDONLY = 0, O_RDWR = 2, O_NOCTTY = 0x100, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    public const int F_GETFD = 1, F_DUPFD_CLOEXEC = 1030;
    public const int X_OK = 1;
    public const int WNOHANG = 1;
    public const int PR_SET_CHILD_SUBREAPER = 36;
    public const int CLOCK_MONOTONIC = 1;

    public static int Errno => Marshal.GetLastPInvokeError();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, void* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, void* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int open(byte* path, int flags, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int access(byte* path, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint readlink(byte* path, byte* buf, nint size);

    [LibraryImport(Lib)]
    public static partial int getpid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int clock_gettime(int clockId, Timespec* tp);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int execv(byte* path, byte** argv);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int memfd_create(byte* name, uint flags);
    public const uint MFD_CLOEXEC = 1;

    [LibraryImport(Lib)]
    public static partial void sync();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setenv(byte* name, byte* value, int overwrite);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unsetenv(byte* name);

    /// <summary>dlsym(RTLD_DEFAULT = 0, name): glibc 2.34+ has it in libc itself.</summary>
    [LibraryImport(Lib)]
    public static partial nint dlsym(nint handle, byte* name);

    [LibraryImport(Lib)]
    public static partial void _exit(int status);
}

[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}
