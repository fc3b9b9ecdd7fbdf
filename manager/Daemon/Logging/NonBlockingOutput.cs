using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Logging;

/// <summary>
/// One destination of the manager's own log that never blocks the event loop (a console nobody
/// reads, a full pipe, a stopped terminal). Constraints: the loop must never wait on it; nothing
/// is reordered; memory is bounded. So: what the descriptor takes now is written at once; the
/// rest waits in a fixed ring and is written when epoll reports the descriptor writable; a line
/// that does not fit is dropped whole and counted, and once the ring has drained a line reports
/// how many were lost (as the reference's log buffer does).
/// <para>O_NONBLOCK is set on a private open file description (reopened through /proc/self/fd)
/// so the shell or tinyinit that shares our stdout is not switched to non-blocking. Regular
/// files never make a writer wait for a reader, so they are written in place.</para>
/// </summary>
internal sealed unsafe class NonBlockingOutput : IEventSource, IDisposable
{
    public const int DefaultCapacity = 16 * 1024;
    private readonly int _fd;
    private readonly bool _ownsFd;
    private readonly int _capacity;
    private readonly string _dropNoticePrefix;
    private byte[]? _ring;          // allocated on first back-pressure: most consoles never need it
    private int _head, _length;     // bytes waiting: ring[_head .. _head + _length) modulo capacity
    private EventLoop? _loop;
    private bool _watching;

    /// <summary>Log lines dropped because the ring was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>Bytes waiting for the descriptor to become writable.</summary>
    public int Pending => _length;

    /// <summary>
    /// While true (a service owns the console, semantics.md §14) lines are kept in the ring,
    /// not written; setting it back to false writes them in order. What does not fit is dropped
    /// and counted as always.
    /// </summary>
    public bool Held
    {
        get => _held;
        set
        {
            if (_held == value) return;
            _held = value;
            if (!value) Flush();
        }
    }
    private bool _held;

    /// <param name="ownsFd">Whether <paramref name="fd"/> is ours to close (a log file) or borrowed (stdout).</param>
    public NonBlockingOutput(int fd, string dropNoticePrefix, bool ownsFd = false, int capacity = DefaultCapacity)
    {
        _capacity = capacity;
        _dropNoticePrefix = dropNoticePrefix;
        (_fd, var reopened) = PrivateNonBlocking(fd);
        if (reopened && ownsFd) Libc.close(fd);
        _ownsFd = reopened || ownsFd;
    }

    /// <summary>Lets the output wait for writability on <paramref name="loop"/>; before this, it only buffers.</summary>
    public void Attach(EventLoop loop)
    {
        _loop = loop;
        if (_length > 0) Flush();
    }

    /// <summary>Writes or queues one whole line; drops it (counted) when it cannot be kept.</summary>
    public void Write(ReadOnlySpan<byte> line)
    {
        if (_length == 0 && Dropped == 0 && !_held)
        {
            var written = WriteNow(line);
            if (written < 0) { Dropped++; return; }
            line = line[written..];
            if (line.IsEmpty) return;
            if (line.Length > _capacity) line = line[.._capacity];
        }
        else if (_capacity - _length < line.Length)
        {
            Dropped++;
            return;
        }
        Enqueue(line);
        // Unless epoll will say when to go on (it cannot for a regular file, e.g. on a disk that
        // was full), try now: what was queued and the dropped-count notice must not wait forever.
        if (!_watching && !_held) Flush();
    }

    public void OnReady(uint events) => Flush();

    /// <summary>
    /// At exit only: waits up to <paramref name="timeoutMs"/> in total for the descriptor to take
    /// what is buffered (a reader that never reads cannot hold the manager's exit for longer).
    /// </summary>
    public void Drain(int timeoutMs)
    {
        if (_held) return;
        var deadline = MonotonicClock.Milliseconds + timeoutMs;
        Flush();
        while (_length > 0)
        {
            var left = deadline - MonotonicClock.Milliseconds;
            if (left <= 0) return;
            var poll = new PollFd { Fd = _fd, Events = Libc.POLLOUT };
            if (Libc.poll(&poll, 1, (int)left) < 0 && Libc.Errno != Libc.EINTR) return;
            Flush();
        }
    }

    private void Flush()
    {
        if (_held) { StopWatching(); return; }
        while (_length > 0)
        {
            var chunk = new ReadOnlySpan<byte>(_ring, _head, Math.Min(_length, _capacity - _head));
            var written = WriteNow(chunk);
            if (written < 0) { Discard(); break; }      // the descriptor is gone: nothing will drain
            _head = (_head + written) % _capacity;
            _length -= written;
            if (written < chunk.Length) { WatchWritable(); return; }
        }
        if (Dropped > 0) ReportDropped();
        if (_length == 0) StopWatching();
    }

    private void ReportDropped()
    {
        var notice = System.Text.Encoding.UTF8.GetBytes($"{_dropNoticePrefix}*** {Dropped} log message(s) discarded due to full buffer ***\n");
        if (_capacity - _length < notice.Length) return;
        Dropped = 0;
        if (_length == 0)
        {
            var written = WriteNow(notice);
            if (written == notice.Length || written < 0) return;
            Enqueue(notice.AsSpan(written));
        }
        else Enqueue(notice);
        WatchWritable();
    }

    /// <summary>Bytes taken by the descriptor (0 when it would block), or -1 when it failed for good.</summary>
    private int WriteNow(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                var n = Libc.write(_fd, p, data.Length);
                if (n >= 0) return (int)n;
                var errno = Libc.Errno;
                if (errno == Libc.EINTR) continue;
                return errno == Libc.EAGAIN ? 0 : -1;
            }
        }
    }

    private void Enqueue(ReadOnlySpan<byte> data)
    {
        _ring ??= new byte[_capacity];
        var tail = (_head + _length) % _capacity;
        var first = Math.Min(data.Length, _capacity - tail);
        data[..first].CopyTo(_ring.AsSpan(tail));
        data[first..].CopyTo(_ring);
        _length += data.Length;
    }

    private void Discard()
    {
        Dropped += 1;
        _head = _length = 0;
    }

    private void WatchWritable()
    {
        if (_watching || _loop == null) return;
        try
        {
            _loop.Add(_fd, Libc.EPOLLOUT, this);
            _watching = true;
        }
        catch (OsException)
        {
            // A regular file or /dev/null cannot be polled: it never makes us wait anyway.
        }
    }

    private void StopWatching()
    {
        if (!_watching) return;
        _loop!.Remove(_fd);
        _watching = false;
    }

    private static (int Fd, bool Owned) PrivateNonBlocking(int fd)
    {
        if (Libc.fstatx(fd, out var stat) == 0 && (stat.Mode & Libc.S_IFMT) == Libc.S_IFREG) return (fd, false);
        var reopened = Libc.open($"/proc/self/fd/{fd}", Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        return reopened >= 0 ? (reopened, true) : (fd, false);
    }

    public void Dispose()
    {
        StopWatching();
        if (_ownsFd) Libc.close(_fd);
    }
}
