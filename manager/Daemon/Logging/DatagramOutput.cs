using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// Whole messages to a Unix datagram socket (the syslog daemon's <c>/dev/log</c>) without ever
/// blocking the event loop. Constraints: nothing reordered, memory bounded, a missing or
/// restarting syslog daemon costs nothing but the messages that do not fit.
/// <para>Messages wait in a bounded queue while the output is off (the main log is not connected
/// before a <c>starts-log</c> service has started), while the socket is busy (EAGAIN: epoll says
/// when to go on) and while nobody listens (connect is tried again at the next message). What does
/// not fit is dropped and counted, and once the queue has drained a message reports the count.</para>
/// </summary>
internal sealed unsafe class DatagramOutput(string path, Func<long, byte[]> dropNotice, int capacity = DatagramOutput.DefaultCapacity) : IEventSource, IDisposable
{
    public const int DefaultCapacity = 64 * 1024;
    private readonly Queue<byte[]> _waiting = new();
    private int _waitingBytes;
    private int _fd = -1;
    private EventLoop? _loop;
    private bool _watching;

    /// <summary>Whether messages are sent (otherwise only kept, up to the capacity).</summary>
    public bool On { get; private set; }
    /// <summary>Messages dropped since the last report.</summary>
    public long Dropped { get; private set; }
    public int Waiting => _waiting.Count;

    public void Attach(EventLoop loop) => _loop = loop;

    /// <summary>Starts sending, oldest kept message first.</summary>
    public void SwitchOn()
    {
        On = true;
        Flush();
    }

    public void Write(byte[] message)
    {
        if (_waitingBytes + message.Length > capacity)
        {
            Dropped++;
            return;
        }
        _waiting.Enqueue(message);
        _waitingBytes += message.Length;
        if (On && !_watching) Flush();
    }

    public void OnReady(uint events) => Flush();

    /// <summary>At exit: one more try for what waits (a datagram send never waits).</summary>
    public void Drain()
    {
        if (On) Flush();
    }

    private enum Sent { Yes, Busy, NobodyListens, TooLarge }

    private void Flush()
    {
        while (true)
        {
            if (_waiting.Count == 0 && Dropped == 0) break;
            var message = _waiting.Count > 0 ? _waiting.Peek() : dropNotice(Dropped);
            var sent = Send(message);
            if (sent == Sent.NobodyListens) sent = Reconnect() ? Send(message) : Sent.NobodyListens;
            if (sent == Sent.Busy) { WatchWritable(); return; }
            if (sent == Sent.NobodyListens) { StopWatching(); return; }
            if (_waiting.Count == 0) { Dropped = 0; continue; }
            _waitingBytes -= _waiting.Dequeue().Length;
            if (sent == Sent.TooLarge) Dropped++;
        }
        StopWatching();
    }

    private Sent Send(byte[] message)
    {
        if (_fd < 0 && !Connect()) return Sent.NobodyListens;
        fixed (byte* p = message)
        {
            while (true)
            {
                if (Libc.send(_fd, p, message.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL) >= 0) return Sent.Yes;
                var errno = Libc.Errno;
                if (errno == Libc.EINTR) continue;
                if (errno is Libc.EAGAIN or Libc.ENOBUFS) return Sent.Busy;
                return errno == Libc.EMSGSIZE ? Sent.TooLarge : Sent.NobodyListens;
            }
        }
    }

    /// <summary>The syslog daemon restarted (its socket is a new one): one fresh connection.</summary>
    private bool Reconnect()
    {
        if (_fd < 0) return false;
        Close();
        return Connect();
    }

    private bool Connect()
    {
        if (!SockAddrUn.TryCreate(path, out var address, out var length)) return false;
        var fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) return false;
        if (Libc.connect(fd, &address, length) < 0)
        {
            Libc.close(fd);
            return false;
        }
        _fd = fd;
        return true;
    }

    private void WatchWritable()
    {
        if (_watching || _loop == null) return;
        _loop.Add(_fd, Libc.EPOLLOUT, this);
        _watching = true;
    }

    private void StopWatching()
    {
        if (!_watching) return;
        _loop!.Remove(_fd);
        _watching = false;
    }

    private void Close()
    {
        StopWatching();
        Libc.close(_fd);
        _fd = -1;
    }

    public void Dispose()
    {
        if (_fd >= 0) Close();
    }
}
