using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Delivers the blocked signals through a signalfd. SIGCHLDs coalesce, so a SIGCHLD only
/// means "reap until waitpid says there is nothing more".
/// </summary>
internal sealed unsafe class SignalSource : IEventSource, IDisposable
{
    private readonly int _fd;
    private readonly Action _onChildExited;
    private readonly Action<int> _onSignal;

    public SignalSource(EventLoop loop, Action onChildExited, Action<int> onSignal)
    {
        _onChildExited = onChildExited;
        _onSignal = onSignal;
        var set = SigSet.Of(ManagerSignals.Handled);
        Libc.sigprocmask(Libc.SIG_BLOCK, &set, null);
        _fd = Libc.signalfd(-1, &set, Libc.SFD_NONBLOCK | Libc.SFD_CLOEXEC);
        if (_fd < 0) throw new OsException("signalfd", Libc.Errno);
        loop.Add(_fd, Libc.EPOLLIN, this);
    }

    public void OnReady(uint events)
    {
        SignalFdInfo info;
        var sawChild = false;
        while (Libc.read(_fd, (byte*)&info, sizeof(SignalFdInfo)) == sizeof(SignalFdInfo))
        {
            if (info.Signo == Libc.SIGCHLD) sawChild = true;
            else _onSignal((int)info.Signo);
        }
        if (sawChild) _onChildExited();
    }

    public void Dispose() => Libc.close(_fd);
}
