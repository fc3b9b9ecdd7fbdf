using Tinyinit.Native;

namespace Tinyinit.Loader.Check;

/// <summary>statx(2) for the checker's lint: file type, owner-execute bit, errno.</summary>
internal static class FileStatus
{
    /// <returns>The mode, or null with <paramref name="errno"/> set.</returns>
    public static uint? Mode(string path, out int errno)
    {
        errno = 0;
        if (Libc.statx(path, out var stat) == 0) return stat.Mode;
        errno = Libc.Errno;
        return null;
    }

    public static bool IsRegular(uint mode) => (mode & Libc.S_IFMT) == Libc.S_IFREG;
    public static bool IsDirectory(uint mode) => (mode & Libc.S_IFMT) == Libc.S_IFDIR;
    public static bool IsOwnerExecutable(uint mode) => (mode & Libc.S_IXUSR) != 0;
}
