using Tinyinit.Native;
using Tinyinit.Loader;

namespace Tinyinit.Daemon.Output;

/// <summary>
/// Opens a service's <c>logfile</c> the way semantics.md §9.6 orders, in the manager: created
/// mode 0600 (so nobody else can read it, even for a moment), then <c>fchown</c> to
/// logfile-uid/logfile-gid, then <c>fchmod</c> to logfile-permissions. The last path component
/// is never followed if it is a symbolic link (O_NOFOLLOW: a service or anyone who can write
/// the log directory could otherwise make the root manager append to, chown and chmod any file).
/// Ownership and mode are applied to regular files only: a log "file" that is a device or FIFO
/// keeps its own. Opened non-blocking, so a FIFO or terminal can never stall the event loop.
/// </summary>
internal static class LogFileOpener
{
    private const int CreateMode = 0x180; // 0600

    /// <returns>The descriptor, or -1 with <paramref name="errno"/>.</returns>
    public static int Open(ServiceDescription d, out int errno)
    {
        errno = 0;
        var path = PathOf(d);
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NOCTTY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK, CreateMode);
        if (fd < 0)
        {
            errno = Libc.Errno;
            return -1;
        }
        if (Libc.fstatx(fd, out var stat) == 0 && (stat.Mode & Libc.S_IFMT) == Libc.S_IFREG && !ApplyOwnerAndMode(fd, d, out errno))
        {
            Libc.close(fd);
            return -1;
        }
        return fd;
    }

    /// <summary>The path as the child would have opened it: relative to the working directory (service-files.md §4).</summary>
    public static string PathOf(ServiceDescription d)
    {
        var path = d.LogFile ?? "";
        if (Path.IsPathRooted(path)) return path;
        var directory = string.IsNullOrEmpty(d.WorkingDirectory) ? d.ServiceDirectory : d.WorkingDirectory;
        return string.IsNullOrEmpty(directory) ? path : Path.Combine(directory, path);
    }

    private static bool ApplyOwnerAndMode(int fd, ServiceDescription d, out int errno)
    {
        errno = 0;
        var uid = d.LogFileUid is { } user ? (uint)user.Uid : Libc.getuid();
        var gid = d.LogFileGid is { } group ? (uint)group.Gid : Libc.getgid();
        if (Libc.fchown(fd, uid, gid) != 0 && (uid != Libc.getuid() || gid != Libc.getgid()))
        {
            errno = Libc.Errno;
            return false;
        }
        if (Libc.fchmod(fd, d.LogFilePermissions) != 0)
        {
            errno = Libc.Errno;
            return false;
        }
        return true;
    }
}
