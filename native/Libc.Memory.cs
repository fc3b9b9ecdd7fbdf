using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Anonymous memory mappings: reserved at start-up, backed by pages only where written.</summary>
public static unsafe partial class Libc
{
    public const int PROT_READ = 0x1, PROT_WRITE = 0x2, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20;
    /// <summary>mmap's failure value, (void*)-1.</summary>
    public const nint MAP_FAILED = -1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);
}
