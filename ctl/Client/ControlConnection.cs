using System.Text;
using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Client;

/// <summary>
/// A client connection to the control socket: sends requests, reads whole packets using the
/// shared framing, and sets service events aside so commands can inspect those that arrived
/// before a reply (control-protocol.md §1.1: info packets may precede any reply). Blocking
/// I/O; every wait ends on a packet, EOF or an error.
/// </summary>
internal sealed unsafe class ControlConnection : IDisposable
{
    private const int MaxClientVersion = ProtocolVersion.Current;
    private int _fd;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    private ControlConnection(int fd) => _fd = fd;

    /// <summary>The daemon's protocol version, known after <see cref="Negotiate"/>.</summary>
    public int ServerVersion { get; private set; }

    /// <summary>Events seen while waiting for replies, oldest first.</summary>
    public List<ServiceEventInfo> Events { get; } = [];

    /// <summary>Environment events seen while waiting for replies.</summary>
    public List<EnvironmentEventInfo> EnvironmentEvents { get; } = [];

    /// <summary>Connects to a Unix stream socket; on failure returns null and the errno.</summary>
    public static ControlConnection? Connect(string path, out int errno)
    {
        errno = 0;
        var fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) { errno = Libc.Errno; return null; }
        if (!SockAddrUn.TryCreate(path, out var address, out var length))
        {
            Libc.close(fd);
            errno = path.Length == 0 ? Libc.ENOENT : Libc.ENAMETOOLONG;
            return null;
        }
        int result;
        do result = Libc.connect(fd, &address, length);
        while (result < 0 && Libc.Errno == Libc.EINTR);
        if (result == 0) return new ControlConnection(fd);
        errno = Libc.Errno;
        Libc.close(fd);
        return null;
    }

    /// <summary>Wraps an inherited, already connected descriptor (DINIT_CS_FD); null if it is not open.</summary>
    public static ControlConnection? FromDescriptor(int fd) =>
        fd >= 0 && Libc.fcntl(fd, Libc.F_GETFD, 0) >= 0 ? new ControlConnection(fd) : null;

    /// <summary>QUERYVERSION and the range check of ctl.md §1.3. <paramref name="serverWord"/> is "daemon" (ctl) or "server" (monitor, shutdown).</summary>
    public void Negotiate(string serverWord = "daemon")
    {
        Send(ControlRequests.QueryVersion());
        var reply = ReadReply();
        if (reply[0] != (byte)ReplyCode.CpVersion) throw new CtlException("protocol error");
        var (minimum, current) = ControlReplies.CpVersion(reply);
        if (minimum > MaxClientVersion) throw new CtlException($"too old ({serverWord} reports newer protocol version)");
        if (current < 1) throw new CtlException($"{serverWord} too old or protocol error");
        ServerVersion = Math.Min((int)current, MaxClientVersion);
    }

    public void Send(byte[] packet)
    {
        fixed (byte* p = packet)
        {
            var sent = 0;
            while (sent < packet.Length)
            {
                var n = Libc.send(_fd, p + sent, packet.Length - sent, Libc.MSG_NOSIGNAL);
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                if (n < 0)
                {
                    // ENOTSOCK: an inherited descriptor that is a pipe or file.
                    n = Libc.write(_fd, p + sent, packet.Length - sent);
                    if (n < 0) throw RefusalOr(new CtlException($"control socket write error: {Libc.StrError(Libc.Errno)}"));
                }
                sent += (int)n;
            }
        }
    }

    /// <summary>
    /// The daemon may refuse a peer and close before the peer's first request arrives: the
    /// write then fails, but the daemon's reason is already waiting to be read (it closed, so
    /// the read cannot block).
    /// </summary>
    private CtlException RefusalOr(CtlException writeError)
    {
        try
        {
            while (ReadPacket() is { } packet)
                if (packet[0] == (byte)ReplyCode.NotPermitted) return new CtlException(ControlReplies.NotPermitted(packet));
        }
        catch (CtlException)
        {
            // Nothing readable either: the write error is the news.
        }
        return writeError;
    }

    /// <summary>The next reply, setting info packets aside; EOF or garbage → "control socket read failure or protocol error".</summary>
    public byte[] ReadReply(int statusSize = 0) =>
        ReadReplyOrNull(statusSize) ?? throw new CtlException("control socket read failure or protocol error");

    /// <summary>The next reply, or null at end of input.</summary>
    public byte[]? ReadReplyOrNull(int statusSize = 0)
    {
        while (true)
        {
            var packet = ReadPacket(statusSize);
            if (packet is null) return null;
            // The daemon refused this peer or this request (its reason says which and why).
            if (packet[0] == (byte)ReplyCode.NotPermitted) throw new CtlException(ControlReplies.NotPermitted(packet));
            if (!ReplyFraming.IsInfo(packet[0])) return packet;
            Remember(packet);
        }
    }

    /// <summary>The next packet of any kind, or null at end of input. Info packets are returned, not remembered.</summary>
    public byte[]? ReadPacket(int statusSize = 0)
    {
        while (true)
        {
            var length = ReplyFraming.Length(_buffer.AsSpan(_start, _end - _start), statusSize);
            if (length == ReplyFraming.Invalid) throw new CtlException("control socket read failure or protocol error");
            if (length != ReplyFraming.NeedMoreBytes && _end - _start >= length)
            {
                var packet = _buffer.AsSpan(_start, length).ToArray();
                _start += length;
                return packet;
            }
            if (!Fill(Math.Max(length, 1))) return null;
        }
    }

    /// <summary>Reads until end of input, discarding everything (shutdown waits for the daemon to close).</summary>
    public void DrainUntilClosed()
    {
        _start = _end = 0;
        while (Fill(1)) _start = _end = 0;
    }

    /// <summary>Events for the handle seen so far (only the packet kind matching the server version, so each event counts once).</summary>
    public IEnumerable<ServiceEventInfo> EventsFor(uint handle) => Events.Where(e => e.Handle == handle);

    /// <summary>Decodes an info packet if it is a service event of the kind we use, else null.</summary>
    public ServiceEventInfo? AsServiceEvent(byte[] packet)
    {
        var wanted = ServerVersion >= 5 ? InfoCode.ServiceEvent5 : InfoCode.ServiceEvent;
        return packet[0] == (byte)wanted ? ControlReplies.ServiceEvent(packet) : null;
    }

    private void Remember(byte[] packet)
    {
        if (AsServiceEvent(packet) is { } serviceEvent) Events.Add(serviceEvent);
        else if (packet[0] == (byte)InfoCode.EnvironmentEvent) EnvironmentEvents.Add(ControlReplies.EnvironmentEvent(packet));
    }

    private bool Fill(int wanted)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < Math.Max(wanted - _end, 1024))
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, wanted + 1024));
        while (true)
        {
            nint n;
            fixed (byte* p = _buffer) n = Libc.read(_fd, p + _end, _buffer.Length - _end);
            if (n > 0) { _end += (int)n; return true; }
            if (n == 0) return false;
            var errno = Libc.Errno;
            if (errno == Libc.EINTR) continue;
            throw new CtlException("control socket read failure or protocol error", errno);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.close(_fd);
        _fd = -1;
    }
}
