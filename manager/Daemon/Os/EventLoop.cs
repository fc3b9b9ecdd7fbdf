using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>Something that owns a file descriptor registered with the <see cref="EventLoop"/>.</summary>
internal interface IEventSource
{
    /// <summary>Called on the loop thread with the epoll event bits. Must not throw.</summary>
    void OnReady(uint events);
}

/// <summary>
/// The manager's single thread of control: one epoll set over signalfd, timerfd, pidless
/// pipes and sockets. Handlers run to completion one at a time, so the service engine never
/// sees concurrency. A handler that throws is reported and the loop goes on: the manager must
/// never terminate on an error.
/// </summary>
internal sealed class EventLoop : IDisposable
{
    private const int MaxEventsPerWait = 64;
    private readonly int _epollFd;
    private readonly Dictionary<int, IEventSource> _sources = new();
    private readonly EpollEventBuffer _events = new(MaxEventsPerWait);
    private readonly Action<Exception> _onHandlerFault;

    public EventLoop(Action<Exception> onHandlerFault)
    {
        _onHandlerFault = onHandlerFault;
        _epollFd = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
        if (_epollFd < 0) throw new OsException("epoll_create1", Libc.Errno);
    }

    public void Add(int fd, uint events, IEventSource source)
    {
        if (Libc.epoll_ctl(_epollFd, Libc.EPOLL_CTL_ADD, fd, events, (ulong)fd) < 0) throw new OsException("epoll_ctl(ADD)", Libc.Errno);
        _sources[fd] = source;
    }

    public void Modify(int fd, uint events)
    {
        if (Libc.epoll_ctl(_epollFd, Libc.EPOLL_CTL_MOD, fd, events, (ulong)fd) < 0) throw new OsException("epoll_ctl(MOD)", Libc.Errno);
    }

    /// <summary>Forgets <paramref name="fd"/>; the caller still owns (and closes) it.</summary>
    public void Remove(int fd)
    {
        if (!_sources.Remove(fd)) return;
        Libc.epoll_ctl(_epollFd, Libc.EPOLL_CTL_DEL, fd, 0, 0);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever) and dispatches what is ready.</summary>
    /// <returns>The number of ready descriptors: 0 when the wait timed out (or was interrupted).</returns>
    public int RunOnce(int timeoutMs)
    {
        var count = Libc.epoll_wait(_epollFd, _events, timeoutMs);
        if (count < 0)
        {
            var errno = Libc.Errno;
            if (errno != Libc.EINTR) _onHandlerFault(new OsException("epoll_wait", errno));
            return 0;
        }
        for (var i = 0; i < count; i++)
        {
            // A handler earlier in this batch may have removed a later fd.
            _events.Get(i, out var events, out var data);
            if (!_sources.TryGetValue((int)data, out var source)) continue;
            try
            {
                source.OnReady(events);
            }
            catch (Exception e)
            {
                _onHandlerFault(e);
            }
        }
        return count;
    }

    public void Dispose()
    {
        Libc.close(_epollFd);
        _events.Dispose();
    }
}
