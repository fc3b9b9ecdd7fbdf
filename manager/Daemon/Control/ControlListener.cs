using Tinyinit.Native;
using Tinyinit.Daemon.Os;

namespace Tinyinit.Daemon.Control;

/// <summary>
/// The control socket (semantics.md §17.3). Binding: refuses to replace a live socket, unlinks
/// only a stale socket (never a file, directory or symlink someone put at the path), and the
/// socket exists with its final mode from the start (0600, umask set around bind; 0660 and the
/// query group once the group is given to it).
///
/// Accepting: open connections are capped below the descriptor limit, so the manager always
/// keeps descriptors to spawn and supervise services; at the cap, or when accept fails with
/// EMFILE/ENFILE anyway, the listener stops polling (clients wait in the backlog instead of
/// being dropped), logs once, and polls again when a connection closes or after a short
/// retry delay.
/// </summary>
internal sealed unsafe class ControlListener : IEventSource, IDisposable
{
    /// <summary>Descriptors kept free of control connections for services, pipes, logs and /proc.</summary>
    private const int ReservedDescriptors = 64;
    private const int Backlog = 4096;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly EventLoop _loop;
    private readonly Func<int, bool> _onAccepted;
    private readonly Action<string> _onError;
    private readonly Action<string> _onNotice;
    private readonly TimerQueue<ControlListener> _retry;
    private int _fd = -1;
    private int _open;
    private bool _polling;
    private string? _starvedBy;

    /// <param name="onAccepted">Takes the new descriptor; true when it stays open as a connection
    /// (then <see cref="ConnectionClosed"/> must be called when it closes).</param>
    private ControlListener(EventLoop loop, string path, Func<int, bool> onAccepted, Action<string> onError, Action<string> onNotice)
    {
        _loop = loop;
        Path = path;
        _onAccepted = onAccepted;
        _onError = onError;
        _onNotice = onNotice;
        _retry = new TimerQueue<ControlListener>(loop, _ => StartPolling());
        MaxConnections = Math.Max(16, DescriptorLimit() - ReservedDescriptors);
    }

    public string Path { get; }
    public int Fd => _fd;
    /// <summary>Control connections open at once (the rest wait in the backlog).</summary>
    public int MaxConnections { get; }

    /// <summary>Takes over a listening socket a predecessor manager passed across exec (not re-bound: no client is refused meanwhile).</summary>
    public static ControlListener? Adopt(EventLoop loop, int fd, string path, Func<int, bool> onAccepted, Action<string> onError, Action<string> onNotice, out string? error)
    {
        error = null;
        var listener = new ControlListener(loop, path, onAccepted, onError, onNotice) { _fd = fd };
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC); // services must not inherit it
        try
        {
            listener.AddToLoop();
        }
        catch (OsException e)
        {
            error = $"Cannot adopt the control socket: {e.Message}";
            listener.Dispose();
            return null;
        }
        return listener;
    }

    /// <summary>Opens the socket; on failure returns null with the reference's message (or ours for a path that is not a socket).</summary>
    /// <param name="queryGroup">Group given read access to the socket file (--socket-group), or null.</param>
    public static ControlListener? Open(EventLoop loop, string path, uint? queryGroup, Func<int, bool> onAccepted, Action<string> onError, Action<string> onNotice, out string? error)
    {
        var listener = new ControlListener(loop, path, onAccepted, onError, onNotice);
        error = listener.Bind(queryGroup);
        if (error == null) return listener;
        listener.Dispose();
        return null;
    }

    private string? Bind(uint? queryGroup)
    {
        if (!SockAddrUn.TryCreate(Path, out var addr, out var len))
            return "Error binding control socket: path too long";
        if (Libc.lstatx(Path, out var existing) == 0)
        {
            if ((existing.Mode & Libc.S_IFMT) != Libc.S_IFSOCK)
                return $"Error binding control socket: {Path} exists and is not a socket; left alone (remove it, or choose another path with -p)";
            if (Probe(addr, len) is { } busy) return busy;
            Libc.unlink(Path);
        }
        _fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (_fd < 0) return $"Error creating control socket: {Libc.StrError(Libc.Errno)}";
        // bind creates the file with 0777 & ~umask: no moment where anyone else may connect.
        var previousMask = Libc.umask(Convert.ToInt32("177", 8));
        var bound = Libc.bind(_fd, &addr, len);
        var errno = Libc.Errno;
        Libc.umask(previousMask);
        if (bound < 0) return $"Error binding control socket: {Libc.StrError(errno)}";
        if (queryGroup is { } gid) OpenToGroup(gid);
        if (Libc.listen(_fd, Backlog) < 0) return $"Error listening on control socket: {Libc.StrError(Libc.Errno)}";
        AddToLoop();
        return null;
    }

    /// <summary>Group first, then mode: each step only narrows who could connect until the last.</summary>
    private void OpenToGroup(uint gid)
    {
        if (Libc.chown(Path, uint.MaxValue, gid) != 0 || Libc.chmod(Path, Convert.ToInt32("660", 8)) != 0)
            _onError($"Cannot open the control socket to group {gid}: {Libc.StrError(Libc.Errno)}; it serves root only");
    }

    /// <summary>Null when the socket at the path is stale (nobody listens: safe to replace), else why it is left alone.</summary>
    private static string? Probe(SockAddrUn addr, int len)
    {
        var probe = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0);
        if (probe < 0) return $"Error creating control socket: {Libc.StrError(Libc.Errno)}";
        var connected = Libc.connect(probe, &addr, len) == 0;
        var errno = Libc.Errno;
        Libc.close(probe);
        if (connected || errno == Libc.EAGAIN) return "Control socket is already active (another instance already running?)";
        if (errno == Libc.ECONNREFUSED) return null;
        return $"Error binding control socket: cannot tell whether the socket at the path is in use ({Libc.StrError(errno)}); left alone";
    }

    private void AddToLoop()
    {
        _loop.Add(_fd, Libc.EPOLLIN, this);
        _polling = true;
    }

    public void OnReady(uint events)
    {
        for (var i = 0; i < 64; i++)
        {
            if (_open >= MaxConnections)
            {
                Starve($"{_open} control connections are open (the limit, which keeps descriptors for services)");
                return;
            }
            var fd = Libc.accept4(_fd, null, null, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (fd >= 0)
            {
                if (_onAccepted(fd)) _open++;
                continue;
            }
            var errno = Libc.Errno;
            if (errno == Libc.EINTR) continue;
            if (errno == Libc.EAGAIN)
            {
                CaughtUp();
                return;
            }
            if (errno is Libc.EMFILE or Libc.ENFILE)
            {
                Starve(Libc.StrError(errno));
                _retry.Arm(this, MonotonicClock.Now + RetryDelay);
            }
            else _onError($"accept on control socket: {Libc.StrError(errno)}");
            return;
        }
    }

    /// <summary>A connection this listener accepted has closed: room for a waiting client.</summary>
    public void ConnectionClosed()
    {
        if (_open > 0) _open--;
        if (_starvedBy != null && _open < MaxConnections) StartPolling();
    }

    /// <summary>Stops polling (a level-triggered listener would spin) and logs once per episode:
    /// an episode ends only when every waiting client has been accepted.</summary>
    private void Starve(string why)
    {
        if (_polling && _fd >= 0)
        {
            _loop.Modify(_fd, 0);
            _polling = false;
        }
        if (_starvedBy != null) return;
        _starvedBy = why;
        _onNotice($"Not accepting control connections for now: {why}; clients wait until descriptors free up");
    }

    private void CaughtUp()
    {
        if (_starvedBy == null) return;
        _starvedBy = null;
        _onNotice("Accepting control connections again: every waiting client has been accepted");
    }

    private void StartPolling()
    {
        if (_polling || _fd < 0) return;
        _loop.Modify(_fd, Libc.EPOLLIN);
        _polling = true;
    }

    private static int DescriptorLimit()
    {
        RLimit limit;
        if (Libc.getrlimit(Libc.RLIMIT_NOFILE, &limit) != 0) return 1024;
        return (int)Math.Min(limit.Current, int.MaxValue);
    }

    /// <summary>Stops listening and removes the socket file (main loop end, §17.3).</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            _loop.Remove(_fd);
            Libc.close(_fd);
            Libc.unlink(Path);
            _fd = -1;
        }
        _retry.Dispose();
    }
}
