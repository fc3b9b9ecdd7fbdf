using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Resource limits.</summary>
public static unsafe partial class Libc
{
    public const int RLIMIT_NOFILE = 7;

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
