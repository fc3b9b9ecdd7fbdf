using Tinyinit.Daemon.Link;
using Tinyinit.Loader;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// A service's listening sockets (semantics.md §12, <c>socket-listen</c>): opened when the
/// service first starts, passed to every launch as descriptors 3, 4, … and kept open while it
/// restarts, so a client that connects while the service is down waits in the backlog for the
/// next instance. Closed when the service becomes inactive; the socket files stay.
///
/// Each descriptor is also parked with tinyinit (when there is a link), so a manager killed
/// with -9 does not close it: the next manager takes it back by its key.
/// </summary>
internal sealed unsafe class ActivationSockets : IDisposable
{
    /// <summary>The reference's backlog ("seems reasonable").</summary>
    private const int Backlog = 128;

    private readonly ParkedDescriptors? _parking;

    private ActivationSockets(IReadOnlyList<string> paths, int[] fds, int[] parkKeys, ParkedDescriptors? parking)
    {
        Paths = paths;
        Fds = fds;
        ParkKeys = parkKeys;
        _parking = parking;
    }

    /// <summary>The <c>socket-listen</c> values, in descriptor order.</summary>
    public IReadOnlyList<string> Paths { get; }
    /// <summary>The manager's descriptors (close-on-exec), one per path; -1 once closed.</summary>
    public int[] Fds { get; }
    /// <summary>The key each descriptor is parked under with tinyinit, or -1.</summary>
    public int[] ParkKeys { get; }

    public bool IsOpen => Fds.Length > 0 && Fds[0] >= 0;

    /// <summary>True when these are the sockets <paramref name="paths"/> asks for.</summary>
    public bool Matches(IReadOnlyList<string> paths) => Paths.SequenceEqual(paths, StringComparer.Ordinal);

    /// <summary>LISTEN_FDNAMES: each socket's file name (an abstract socket's name), colon-separated.</summary>
    public string FdNames => string.Join(':', Paths.Select(NameOf));

    private static string NameOf(string path)
    {
        var name = IsAbstract(path) ? path[1..] : Path.GetFileName(path.TrimEnd('/'));
        return name.Replace(':', '_');
    }

    private static bool IsAbstract(string path) => path.StartsWith('@');

    /// <summary>
    /// Opens every socket of <paramref name="d"/>; null after an error (the reference's
    /// messages, prefixed with the service name), with whatever was opened closed again.
    /// </summary>
    public static ActivationSockets? Open(string service, ServiceDescription d, ParkedDescriptors? parking, out string error)
    {
        var paths = d.SocketListenPaths;
        var fds = new int[paths.Count];
        Array.Fill(fds, -1);
        for (var i = 0; i < paths.Count; i++)
        {
            fds[i] = OpenOne(service, paths[i], d, out error);
            if (fds[i] >= 0) continue;
            foreach (var fd in fds)
                if (fd >= 0) Libc.close(fd);
            return null;
        }
        error = "";
        var keys = new int[paths.Count];
        for (var i = 0; i < paths.Count; i++) keys[i] = parking?.Park(fds[i]) ?? -1;
        return new ActivationSockets(paths, fds, keys, parking);
    }

    /// <summary>Sockets a predecessor manager held (descriptors by number or taken back from tinyinit).</summary>
    public static ActivationSockets Adopt(IReadOnlyList<string> paths, int[] fds, int[] parkKeys, ParkedDescriptors? parking)
    {
        foreach (var fd in fds)
            if (fd >= 0) Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC); // services get them only through the launch
        return new ActivationSockets(paths, fds, parkKeys, parking);
    }

    private static int OpenOne(string service, string path, ServiceDescription d, out string error)
    {
        error = "";
        var abstractName = IsAbstract(path);
        SockAddrUn addr;
        int length;
        if (!(abstractName ? SockAddrUn.TryCreateAbstract(path[1..], out addr, out length) : SockAddrUn.TryCreate(path, out addr, out length)))
        {
            error = $"{service}: activation socket path too long (or empty): {path}";
            return -1;
        }
        if (!abstractName && !RemoveStaleSocket(service, path, out error)) return -1;

        var fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            error = $"{service}: error creating activation socket: {Libc.StrError(Libc.Errno)}";
            return -1;
        }
        // bind creates the file with 0777 & ~umask: owner-only until its owner and mode are set,
        // so nobody the settings exclude can connect in between.
        var previousMask = Libc.umask(Convert.ToInt32("177", 8));
        var bound = Libc.bind(fd, &addr, length);
        var errno = Libc.Errno;
        Libc.umask(previousMask);
        if (bound < 0)
            return Fail(fd, $"{service}: error binding activation socket: {Libc.StrError(errno)}", out error);
        if (!abstractName)
        {
            var uid = d.SocketUid is { } u ? (uint)u.Uid : uint.MaxValue;
            var gid = d.SocketGid is { } g ? (uint)g.Gid : uint.MaxValue;
            if ((uid != uint.MaxValue || gid != uint.MaxValue) && Libc.chown(path, uid, gid) != 0)
                return Fail(fd, $"{service}: error setting activation socket owner/group: {Libc.StrError(Libc.Errno)}", out error);
            if (Libc.chmod(path, d.SocketPermissions) != 0)
                return Fail(fd, $"{service}: error setting activation socket permissions: {Libc.StrError(Libc.Errno)}", out error);
        }
        if (Libc.listen(fd, Backlog) < 0)
            return Fail(fd, $"{service}: error listening on activation socket: {Libc.StrError(Libc.Errno)}", out error);
        return fd;
    }

    /// <summary>A socket file left at the path is replaced; anything else there is left alone and the start fails.</summary>
    private static bool RemoveStaleSocket(string service, string path, out string error)
    {
        error = "";
        if (Libc.lstatx(path, out var existing) != 0)
        {
            if (Libc.Errno == Libc.ENOENT) return true;
            error = $"{service}: error checking activation socket: {Libc.StrError(Libc.Errno)}";
            return false;
        }
        if ((existing.Mode & Libc.S_IFMT) != Libc.S_IFSOCK)
        {
            error = $"{service}: activation socket file exists (and is not a socket)";
            return false;
        }
        Libc.unlink(path);
        return true;
    }

    private static int Fail(int fd, string message, out string error)
    {
        Libc.close(fd);
        error = message;
        return -1;
    }

    /// <summary>Closes the sockets (and tinyinit's copies); the socket files stay, as the reference leaves them.</summary>
    public void Dispose()
    {
        for (var i = 0; i < Fds.Length; i++)
        {
            if (Fds[i] >= 0) Libc.close(Fds[i]);
            Fds[i] = -1;
            if (ParkKeys[i] > 0) _parking?.Release(ParkKeys[i]);
            ParkKeys[i] = -1;
        }
    }
}
