using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>
/// Mounts, device nodes and swap: PID 1's boot duties (/proc, /sys, /dev, /run) and its final
/// shutdown (swapoff, unmount, read-only remount of the root).
/// </summary>
public static unsafe partial class Libc
{
    public const nuint MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32;
    public const int MNT_FORCE = 1, MNT_DETACH = 2;
    public const uint S_IFCHR = 0x2000;
    public const int EBUSY = 16;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mount(byte* source, byte* target, byte* fileSystemType, nuint flags, void* data);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int umount2(byte* target, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mknod(byte* path, uint mode, ulong device);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mkdir(byte* path, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int swapoff(byte* path);

    /// <summary>glibc's makedev(3) for the small numbers of the fixed device nodes.</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
}
