using Tinyinit.Daemon.Os;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Notify;

/// <summary>
/// A main process named by MAINPID= that is not the manager's child (its parent, e.g. a
/// wrapper shell, is still alive and will reap it): a pidfd in the event loop becomes readable
/// when it ends, which the manager could not learn from SIGCHLD. Once it fires the watch is gone.
/// </summary>
internal sealed class MainPidWatch : IEventSource, IDisposable
{
    private readonly EventLoop _loop;
    private readonly Action<int> _onEnded;
    private int _pidfd;

    private MainPidWatch(EventLoop loop, int pid, int pidfd, Action<int> onEnded)
    {
        _loop = loop;
        Pid = pid;
        _pidfd = pidfd;
        _onEnded = onEnded;
    }

    public int Pid { get; }

    /// <summary>Null when the process is already gone or the loop cannot take the pidfd (then only SIGCHLD tells).</summary>
    public static MainPidWatch? Start(EventLoop loop, int pid, Action<int> onEnded)
    {
        var pidfd = Libc.pidfd_open(pid);
        if (pidfd < 0) return null;
        var watch = new MainPidWatch(loop, pid, pidfd, onEnded);
        try
        {
            loop.Add(pidfd, Libc.EPOLLIN, watch);
        }
        catch (OsException)
        {
            Libc.close(pidfd);
            return null;
        }
        return watch;
    }

    public void OnReady(uint events)
    {
        Dispose();
        _onEnded(Pid);
    }

    public void Dispose()
    {
        if (_pidfd < 0) return;
        _loop.Remove(_pidfd);
        FileDescriptors.Close(ref _pidfd);
    }
}
