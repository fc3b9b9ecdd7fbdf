using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Resource limits.</summary>
public static unsafe partial class Libc
{
    /// <summary>The same numbers on x86_64 and aarch64 (the generic ones).</summary>
    public const int RLIMIT_DATA = 2, RLIMIT_CORE = 4, RLIMIT_NOFILE = 7, RLIMIT_AS = 9;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getrlimit(int resource, RLimit* limit);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setrlimit(int resource, RLimit* limit);
}

/// <summary>struct rlimit (LP64: both fields 64-bit on x86_64 and aarch64).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RLimit
{
    public ulong Current;
    public ulong Maximum;
}
