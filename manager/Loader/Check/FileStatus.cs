using System.Runtime.InteropServices;

namespace Tinyinit.Loader.Check;

/// <summary>stat(2) for the checker's lint: file type, owner-execute bit, errno.</summary>
internal static unsafe partial class FileStatus
{
    private const uint S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IXUSR = 0x40;

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, byte* buffer);

    /// <summary>st_mode's offset in struct stat (x86-64: 24; aarch64 and others using the generic layout: 16).</summary>
    private static int ModeOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;

    /// <returns>The mode, or null with <paramref name="errno"/> set.</returns>
    public static uint? Mode(string path, out int errno)
    {
        errno = 0;
        if (path.Contains('\0')) { errno = FileReader.ENOENT; return null; }
        var buffer = stackalloc byte[512];
        if (Stat(path, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        return *(uint*)(buffer + ModeOffset);
    }

    public static bool IsRegular(uint mode) => (mode & S_IFMT) == S_IFREG;
    public static bool IsDirectory(uint mode) => (mode & S_IFMT) == S_IFDIR;
    public static bool IsOwnerExecutable(uint mode) => (mode & S_IXUSR) != 0;
}
