using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Processes: identity, signals to others, waiting, exec, environment.</summary>
public static unsafe partial class Libc
{
    public const int WNOHANG = 1;
    public const int PR_SET_CHILD_SUBREAPER = 36;

    [LibraryImport(Lib)]
    public static partial int getpid();

    [LibraryImport(Lib)]
    public static partial int getppid();

    [LibraryImport(Lib)]
    public static partial uint getuid();

    [LibraryImport(Lib)]
    public static partial uint geteuid();

    [LibraryImport(Lib)]
    public static partial uint getgid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getpgid(int pid);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getsid(int pid);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int execv(byte* path, byte** argv);

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
