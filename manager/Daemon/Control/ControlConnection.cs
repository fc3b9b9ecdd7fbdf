using Tinyinit.Native;
using Tinyinit.Daemon.Os;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Daemon.Control;

/// <summary>
/// One accepted control socket: moves bytes between the non-blocking socket and its
/// <see cref="ControlSession"/> (which holds all protocol logic). Reading pauses while the
/// client does not read its replies; the session itself decides when a connection must close.
/// </summary>
internal sealed unsafe class ControlConnection : IEventSource
{
    private const int ReadChunk = 4096;
    private readonly EventLoop _loop;
    private readonly ControlSession _session;
    private readonly Action<ControlConnection> _onClosed;
    private readonly Action<Exception> _onFault;
    private int _fd;
    private uint _interest;

    public ControlConnection(EventLoop loop, int fd, ControlSession session, Action<ControlConnection> onClosed, Action<Exception> onFault)
    {
        _loop = loop;
        _fd = fd;
        _session = session;
        _onClosed = onClosed;
        _onFault = onFault;
        _interest = Libc.EPOLLIN;
        loop.Add(fd, _interest, this);
    }

    public bool IsOpen => _fd >= 0;

    public void OnReady(uint events)
    {
        if ((events & Libc.EPOLLIN) != 0) ReadAvailable();
        Flush();
    }

    private void ReadAvailable()
    {
        byte* buffer = stackalloc byte[ReadChunk];
        while (_fd >= 0 && _session.WantsInput)
        {
            var n = Libc.recv(_fd, buffer, ReadChunk, Libc.MSG_DONTWAIT);
            if (n < 0 && Libc.Errno == Libc.EINTR) continue;
            if (n < 0 && Libc.Errno == Libc.EAGAIN) return;
            if (n <= 0)
            {
                Close();
                return;
            }
            _session.Receive(new ReadOnlySpan<byte>(buffer, (int)n));
            if (_session.Fault is { } fault) _onFault(fault);
        }
    }

    /// <summary>Writes what the session has queued (replies and events); called after every loop turn.</summary>
    public void Flush()
    {
        while (_fd >= 0 && _session.PendingOutput.Length > 0)
        {
            nint n;
            fixed (byte* p = _session.PendingOutput)
                n = Libc.send(_fd, p, _session.PendingOutput.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
            if (n > 0)
            {
                _session.ConsumeOutput((int)n);
                continue;
            }
            if (n < 0 && Libc.Errno == Libc.EINTR) continue;
            if (n < 0 && Libc.Errno == Libc.EAGAIN) break;
            Close(); // the client went away
            return;
        }
        if (_fd < 0) return;
        if (_session.WantsClose && _session.PendingOutput.Length == 0)
        {
            Close();
            return;
        }
        var wanted = (_session.WantsInput ? Libc.EPOLLIN : 0) | (_session.PendingOutput.Length > 0 ? Libc.EPOLLOUT : 0);
        if (wanted != _interest)
        {
            _interest = wanted;
            _loop.Modify(_fd, wanted);
        }
    }

    public void Close()
    {
        if (_fd < 0) return;
        _loop.Remove(_fd);
        FileDescriptors.Close(ref _fd);
        _session.Close();
        _onClosed(this);
    }
}
