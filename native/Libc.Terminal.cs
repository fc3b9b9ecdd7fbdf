using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Terminals: the foreground process group of the console, pseudo-terminals (tests).</summary>
public static unsafe partial class Libc
{
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcgetpgrp(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcsetpgrp(int fd, int pgrp);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    /// <summary>The path of a pseudo-terminal master's slave side, or null.</summary>
    public static string? PseudoTerminalName(int master)
    {
        const int Size = 128;
        var buffer = stackalloc byte[Size];
        return ptsname_r(master, buffer, Size) == 0 ? Marshal.PtrToStringUTF8((nint)buffer) : null;
    }
}
