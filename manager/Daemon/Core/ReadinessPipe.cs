using Tinyinit.Native;
using Tinyinit.Daemon.Os;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// The manager's end of a process service's readiness pipe (semantics.md §11): the first byte
/// means "ready", end-of-file before that means the start failed. After readiness, data is
/// read and discarded until end-of-file, which just closes our end.
/// </summary>
internal sealed class ReadinessPipe : IEventSource, IDisposable
{
    private readonly EventLoop _loop;
    private readonly Action _onReady;
    private readonly Action _onClosedBeforeReady;
    private int _fd;
    private bool _reported;

    /// <param name="reported">Readiness was already reported (a pipe adopted from a predecessor manager).</param>
    public ReadinessPipe(EventLoop loop, int fd, Action onReady, Action onClosedBeforeReady, bool reported = false)
    {
        _reported = reported;
        _loop = loop;
        _fd = fd;
        _onReady = onReady;
        _onClosedBeforeReady = onClosedBeforeReady;
        loop.Add(fd, Libc.EPOLLIN | Libc.EPOLLHUP, this);
    }

    public bool IsOpen => _fd >= 0;
    public int Fd => _fd;
    public bool Reported => _reported;

    public void OnReady(uint events)
    {
        var read = FileDescriptors.Drain(_fd);
        if (read > 0 && !_reported)
        {
            _reported = true;
            _onReady();
        }
        if (read == 0)
        {
            Dispose();
            if (!_reported) _onClosedBeforeReady();
        }
    }

    public void Dispose()
    {
        if (_fd < 0) return;
        _loop.Remove(_fd);
        FileDescriptors.Close(ref _fd);
    }
}
