using System.Text;
using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Notify;

/// <summary>
/// The manager's sd_notify socket: one datagram socket (SO_PASSCRED, so the kernel attaches
/// every sender's pid, uid and gid) whose address services get as <c>NOTIFY_SOCKET</c>. It is a
/// file next to the control socket (<c>PATH.notify</c>), or an abstract address when that path
/// does not fit a socket address. Datagrams are read in the event loop, a bounded number per
/// turn so a flood cannot starve the loop; one longer than <see cref="MaxDatagram"/> is dropped.
/// The same socket (and what is queued in it) outlives the manager image: by number across a
/// planned hand-over, parked with tinyinit across a crash.
/// </summary>
internal sealed unsafe class NotifySocket : IEventSource, IDisposable
{
    /// <summary>Largest datagram read; sd_notify messages are a few short lines.</summary>
    public const int MaxDatagram = 4096;
    private const int DatagramsPerTurn = 64;

    private readonly EventLoop _loop;
    private readonly Action<UCred, ReadOnlySpan<byte>> _onMessage;
    private readonly Action<string> _onDropped;
    private int _fd;

    private NotifySocket(EventLoop loop, int fd, string address, Action<UCred, ReadOnlySpan<byte>> onMessage, Action<string> onDropped)
    {
        _loop = loop;
        _fd = fd;
        Address = address;
        _onMessage = onMessage;
        _onDropped = onDropped;
    }

    public int Fd => _fd;
    /// <summary>The value of NOTIFY_SOCKET: a path, or '@' and the abstract name.</summary>
    public string Address { get; }
    /// <summary>The key of the duplicate parked with tinyinit, or -1.</summary>
    public int ParkKey { get; set; } = -1;

    /// <summary>The address for a manager whose control socket is <paramref name="controlSocketPath"/>.</summary>
    public static string AddressFor(string controlSocketPath)
    {
        var path = controlSocketPath + ".notify";
        return Encoding.UTF8.GetByteCount(path) < SockAddrUn.PathCapacity ? path : $"@tinyinit-notify/{Libc.getpid()}";
    }

    /// <summary>Binds a new socket at <paramref name="address"/>; null with the reason when it cannot.</summary>
    public static NotifySocket? Open(EventLoop loop, string address, Action<UCred, ReadOnlySpan<byte>> onMessage, Action<string> onDropped, out string? error)
    {
        error = null;
        if (!TryAddress(address, out var addr, out var length))
        {
            error = $"notification socket address {address} is too long";
            return null;
        }
        var isPath = !address.StartsWith('@');
        if (isPath && (error = ClearStalePath(address, addr, length)) != null) return null;
        var fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            error = $"cannot create the notification socket: {Libc.StrError(Libc.Errno)}";
            return null;
        }
        var socket = new NotifySocket(loop, fd, address, onMessage, onDropped);
        if (Libc.bind(fd, &addr, length) != 0)
        {
            error = $"cannot bind the notification socket {address}: {Libc.StrError(Libc.Errno)}";
            socket.Dispose();
            return null;
        }
        // Any service, whatever user it runs as, must be able to send; the credentials say who it is.
        if (isPath) Libc.chmod(address, Convert.ToInt32("666", 8));
        error = socket.Start();
        if (error == null) return socket;
        socket.Dispose();
        return null;
    }

    /// <summary>Takes over a socket a predecessor left (by number across exec, or handed back by tinyinit).</summary>
    public static NotifySocket? Adopt(EventLoop loop, int fd, string address, Action<UCred, ReadOnlySpan<byte>> onMessage, Action<string> onDropped, out string? error)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);   // services must not inherit it
        var socket = new NotifySocket(loop, fd, address, onMessage, onDropped);
        error = socket.Start();
        if (error == null) return socket;
        socket.Dispose();
        return null;
    }

    private string? Start()
    {
        int on = 1;
        if (Libc.setsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_PASSCRED, &on, sizeof(int)) != 0)
            return $"cannot ask for senders' credentials on the notification socket: {Libc.StrError(Libc.Errno)}";
        try
        {
            _loop.Add(_fd, Libc.EPOLLIN, this);
        }
        catch (OsException e)
        {
            return $"cannot watch the notification socket: {e.Message}";
        }
        return null;
    }

    public void OnReady(uint events)
    {
        var buffer = stackalloc byte[MaxDatagram];
        for (var i = 0; i < DatagramsPerTurn; i++)
        {
            var n = Libc.ReceiveWithCredentials(_fd, buffer, MaxDatagram, out var credentials, out var hasCredentials, out var truncated, Libc.MSG_DONTWAIT);
            if (n < 0) return;   // EAGAIN: drained (the rest of a flood waits for the next turn)
            if (truncated)
                _onDropped($"notification datagram from pid {credentials.Pid} dropped: longer than {MaxDatagram} bytes");
            else if (!hasCredentials)
                _onDropped("notification datagram without sender credentials dropped");
            else
                _onMessage(credentials, new ReadOnlySpan<byte>(buffer, (int)n));
        }
    }

    /// <summary>A socket file left at the path by a manager that is gone is replaced; a live one or anything else is left alone.</summary>
    private static string? ClearStalePath(string path, SockAddrUn addr, int length)
    {
        if (Libc.lstatx(path, out var existing) != 0) return null;
        if ((existing.Mode & Libc.S_IFMT) != Libc.S_IFSOCK)
            return $"{path} exists and is not a socket; left alone";
        var probe = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (probe < 0) return $"cannot create the notification socket: {Libc.StrError(Libc.Errno)}";
        var connected = Libc.connect(probe, &addr, length) == 0;
        var errno = Libc.Errno;
        Libc.close(probe);
        if (connected) return $"notification socket {path} is in use (another manager?)";
        if (errno != Libc.ECONNREFUSED) return $"cannot tell whether {path} is in use ({Libc.StrError(errno)}); left alone";
        Libc.unlink(path);
        return null;
    }

    private static bool TryAddress(string address, out SockAddrUn addr, out int length)
    {
        if (!address.StartsWith('@')) return SockAddrUn.TryCreate(address, out addr, out length);
        addr = default;
        addr.Family = Libc.AF_UNIX;
        length = 0;
        var name = Encoding.UTF8.GetBytes(address[1..]);
        if (name.Length == 0 || name.Length >= SockAddrUn.PathCapacity) return false;
        fixed (byte* p = addr.Path) name.CopyTo(new Span<byte>(p + 1, name.Length));   // Path[0] = 0: abstract
        length = 2 + 1 + name.Length;
        return true;
    }

    /// <summary>The manager ends for good: the socket and its file go.</summary>
    public void Remove()
    {
        Dispose();
        if (!Address.StartsWith('@')) Libc.unlink(Address);
    }

    public void Dispose()
    {
        if (_fd < 0) return;
        _loop.Remove(_fd);
        FileDescriptors.Close(ref _fd);
    }
}
