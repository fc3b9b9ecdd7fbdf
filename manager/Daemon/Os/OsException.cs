using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>A failed system call, with the C library's error text.</summary>
internal sealed class OsException(string call, int errno) : Exception($"{call}: {Libc.StrError(errno)}")
{
    public int Errno { get; } = errno;
}
