using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// statx(2): one layout on every architecture (struct stat differs between x86_64 and aarch64).
/// </summary>
public static unsafe partial class Libc
{
    public const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const uint S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFSOCK = 0xC000, S_IXUSR = 0x40;

    [LibraryImport(Lib, SetLastError = true, EntryPoint = "statx")]
    private static partial int statx_raw(int dirFd, byte* path, int flags, uint mask, StatX* buffer);

    /// <summary>statx of <paramref name="path"/> (following symlinks); -1 with errno on failure.</summary>
    public static int statx(string path, out StatX result)
    {
        result = default;
        using var p = new Utf8Path(path);
        if (!p.IsValid) return p.Fail();
        fixed (StatX* r = &result) return statx_raw(AT_FDCWD, p.Pointer, 0, STATX_BASIC_STATS, r);
    }

    /// <summary>statx of <paramref name="path"/> itself (a symlink is described, not followed); -1 with errno on failure.</summary>
    public static int lstatx(string path, out StatX result)
    {
        result = default;
        using var p = new Utf8Path(path);
        if (!p.IsValid) return p.Fail();
        fixed (StatX* r = &result) return statx_raw(AT_FDCWD, p.Pointer, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, r);
    }

    /// <summary>statx of an open descriptor; -1 with errno on failure.</summary>
    public static int fstatx(int fd, out StatX result)
    {
        result = default;
        byte empty = 0;
        fixed (StatX* r = &result) return statx_raw(fd, &empty, AT_EMPTY_PATH, STATX_BASIC_STATS, r);
    }
}

/// <summary>struct statx (256 bytes); the fields we read.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public struct StatX
{
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(112)] public long MtimeSeconds;
    [FieldOffset(120)] public uint MtimeNanoseconds;
    [FieldOffset(136)] public uint DeviceMajor;
    [FieldOffset(140)] public uint DeviceMinor;
}
