using System.Runtime.InteropServices;

namespace Tinyinit.Native;

/// <summary>Descriptors, files and paths.</summary>
public static unsafe partial class Libc
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    // These two differ: x86_64 has its own values, aarch64 (and most others) the generic ones.
    // On aarch64 x86_64's O_DIRECTORY is O_DIRECT, so a wrong value opens a file as a directory.
    public static int O_DIRECTORY => Architectures.IsX64 ? 0x10000 : 0x4000;
    public static int O_NOFOLLOW => Architectures.IsX64 ? 0x20000 : 0x8000;
    public const int F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, FD_CLOEXEC = 1, F_DUPFD_CLOEXEC = 1030;
    public const int X_OK = 1;
    public const uint MFD_CLOEXEC = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, void* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, void* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint pread(int fd, void* buf, nint count, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint pwrite(int fd, void* buf, nint count, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int open(byte* path, int flags, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    /// <summary>Reads directory entries (struct linux_dirent64: u64 ino, i64 off, u16 reclen, u8 type, name).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint getdents64(int fd, void* buffer, nuint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int dup(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int dup2(int oldFd, int newFd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int memfd_create(byte* name, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unlink(byte* path);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int symlink(byte* target, byte* linkPath);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int chmod(byte* path, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int access(byte* path, int mode);

    [LibraryImport(Lib)]
    public static partial int umask(int mask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int chown(byte* path, uint owner, uint group);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fchown(int fd, uint owner, uint group);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fchmod(int fd, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint readlink(byte* path, byte* buf, nint size);

    [LibraryImport(Lib)]
    public static partial void sync();

    // Path-taking calls for managed callers: the path as a NUL-terminated UTF-8 copy. A path with
    // an embedded NUL would name a different file, so it fails with ENOENT without a call.

    public static int open(string path, int flags, int mode)
    {
        using var p = new Utf8Path(path);
        return p.IsValid ? open(p.Pointer, flags, mode) : p.Fail();
    }

    public static int unlink(string path)
    {
        using var p = new Utf8Path(path);
        return p.IsValid ? unlink(p.Pointer) : p.Fail();
    }

    public static int symlink(string target, string linkPath)
    {
        using var t = new Utf8Path(target);
        using var l = new Utf8Path(linkPath);
        return t.IsValid && l.IsValid ? symlink(t.Pointer, l.Pointer) : t.Fail();
    }

    public static int chmod(string path, int mode)
    {
        using var p = new Utf8Path(path);
        return p.IsValid ? chmod(p.Pointer, mode) : p.Fail();
    }

    /// <summary>chown(2); <c>uint.MaxValue</c> leaves that id unchanged.</summary>
    public static int chown(string path, uint owner, uint group)
    {
        using var p = new Utf8Path(path);
        return p.IsValid ? chown(p.Pointer, owner, group) : p.Fail();
    }

    public static int access(string path, int mode)
    {
        using var p = new Utf8Path(path);
        return p.IsValid ? access(p.Pointer, mode) : p.Fail();
    }
}
