using Tinyinit.Native;
using Tinyinit.Daemon.Os;

namespace Tinyinit.Daemon.Control;

/// <summary>
/// The control socket (semantics.md §17.3): refuses to replace a live socket, unlinks a stale
/// one, binds mode 0600, and accepts connections. When descriptors run out (EMFILE) a spare
/// descriptor held for the purpose is released to accept and close the pending connection,
/// so a level-triggered listener cannot spin and the client sees a clean close.
/// </summary>
internal sealed unsafe class ControlListener : IEventSource, IDisposable
{
    private readonly EventLoop _loop;
    private readonly Action<int> _onAccepted;
    private readonly Action<string> _onError;
    private int _fd = -1;
    private int _spareFd;

    private ControlListener(EventLoop loop, string path, Action<int> onAccepted, Action<string> onError)
    {
        _loop = loop;
        Path = path;
        _onAccepted = onAccepted;
        _onError = onError;
        _spareFd = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
    }

    public string Path { get; }
    public int Fd => _fd;

    /// <summary>Takes over a listening socket a predecessor manager passed across exec (not re-bound: no client is refused meanwhile).</summary>
    public static ControlListener? Adopt(EventLoop loop, int fd, string path, Action<int> onAccepted, Action<string> onError, out string? error)
    {
        error = null;
        var listener = new ControlListener(loop, path, onAccepted, onError) { _fd = fd };
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC); // services must not inherit it
        try
        {
            loop.Add(fd, Libc.EPOLLIN, listener);
        }
        catch (OsException e)
        {
            error = $"Cannot adopt the control socket: {e.Message}";
            listener.Dispose();
            return null;
        }
        return listener;
    }

    /// <summary>Opens the socket; on failure returns null with the reference's message.</summary>
    public static ControlListener? Open(EventLoop loop, string path, Action<int> onAccepted, Action<string> onError, out string? error)
    {
        var listener = new ControlListener(loop, path, onAccepted, onError);
        error = listener.Bind();
        if (error == null) return listener;
        listener.Dispose();
        return null;
    }

    private string? Bind()
    {
        if (!SockAddrUn.TryCreate(Path, out var addr, out var len))
            return "Error binding control socket: path too long";
        if (IsLive(addr, len)) return "Control socket is already active (another instance already running?)";
        Libc.unlink(Path);
        _fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (_fd < 0) return $"Error creating control socket: {Libc.StrError(Libc.Errno)}";
        if (Libc.bind(_fd, &addr, len) < 0) return $"Error binding control socket: {Libc.StrError(Libc.Errno)}";
        Libc.chmod(Path, Convert.ToInt32("600", 8));
        if (Libc.listen(_fd, 10) < 0) return $"Error listening on control socket: {Libc.StrError(Libc.Errno)}";
        _loop.Add(_fd, Libc.EPOLLIN, this);
        return null;
    }

    private static bool IsLive(SockAddrUn addr, int len)
    {
        var probe = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (probe < 0) return false;
        var live = Libc.connect(probe, &addr, len) == 0;
        Libc.close(probe);
        return live;
    }

    public void OnReady(uint events)
    {
        for (var i = 0; i < 64; i++)
        {
            var fd = Libc.accept4(_fd, null, null, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (fd >= 0)
            {
                _onAccepted(fd);
                continue;
            }
            var errno = Libc.Errno;
            if (errno == Libc.EAGAIN || errno == Libc.EINTR) return;
            if (errno is Libc.EMFILE or Libc.ENFILE) ShedOneConnection(errno);
            else _onError($"accept on control socket: {Libc.StrError(errno)}");
            return;
        }
    }

    private void ShedOneConnection(int errno)
    {
        _onError($"Cannot accept control connection: {Libc.StrError(errno)}");
        if (_spareFd < 0) return;
        Libc.close(_spareFd);
        var fd = Libc.accept4(_fd, null, null, Libc.SOCK_CLOEXEC);
        if (fd >= 0) Libc.close(fd);
        _spareFd = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
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
        FileDescriptors.Close(ref _spareFd);
    }
}
