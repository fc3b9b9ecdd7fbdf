using Tinyinit.Native;
using Tinyinit.Daemon.Os;
using Tinyinit.Protocol;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Daemon.Link;

/// <summary>
/// The manager's end of the init↔manager link (protocol/InitLink): says Hello once the manager
/// can take events, receives the exit statuses of orphans tinyinit reaped and the shutdown
/// signals PID 1 received, and finally tells tinyinit which shutdown to perform. Malformed
/// messages are logged and skipped; a closed link leaves the manager running on its own.
/// Right after Hello it takes back the descriptors parked with tinyinit
/// (<see cref="ParkedDescriptors"/>) before anything else happens, so that whoever rebuilds the
/// state at start-up finds them.
/// </summary>
internal sealed unsafe class InitLinkClient : IEventSource, IDisposable
{
    private readonly EventLoop _loop;
    private readonly Action<int, int> _onChildExited;
    private readonly Action<int> _onSignal;
    private readonly Action<string> _onProblem;
    private readonly ParkedDescriptors? _parked;
    private int _fd;

    /// <summary>EventsLost arrived (its count): some exits of processes tinyinit reaped are gone.</summary>
    public Action<int>? EventsLost { get; set; }
    /// <summary>Everything tinyinit queued before our Hello has been received.</summary>
    public Action? CaughtUp { get; set; }

    /// <summary>How long start-up waits for tinyinit to hand back the parked descriptors (it answers at once).</summary>
    public const int HandBackTimeoutMilliseconds = 2000;

    private InitLinkClient(EventLoop loop, int fd, Action<int, int> onChildExited, Action<int> onSignal, Action<string> onProblem, ParkedDescriptors? parked)
    {
        _loop = loop;
        _fd = fd;
        _parked = parked;
        _onChildExited = onChildExited;
        _onSignal = onSignal;
        _onProblem = onProblem;
    }

    /// <summary>The descriptor tinyinit passed, or -1 when the manager runs on its own.</summary>
    public static int InheritedFd() =>
        Environment.GetEnvironmentVariable(InitLinkEnvironment.LinkFdVariable) is { } text && int.TryParse(text, out var fd) && fd >= 0 ? fd : -1;

    public static InitLinkClient Connect(EventLoop loop, int fd, Action<int, int> onChildExited, Action<int> onSignal, Action<string> onProblem,
        ParkedDescriptors? parked = null)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC); // services must not inherit PID 1's link
        FileDescriptors.SetNonBlocking(fd);
        var client = new InitLinkClient(loop, fd, onChildExited, onSignal, onProblem, parked);
        loop.Add(fd, Libc.EPOLLIN, client);
        parked?.Attach(client);
        if (client.Send(LinkMessage.Hello()) && parked != null) client.ReceiveHandBack();
        return client;
    }

    /// <summary>
    /// Start-up only, before the loop runs: reads until tinyinit's end-of-hand-back marker, so the
    /// parked descriptors are all here before any state is rebuilt. Other messages met on the way
    /// are handled as usual; what follows the marker is left for the loop.
    /// </summary>
    private void ReceiveHandBack()
    {
        var deadline = MonotonicClock.Milliseconds + HandBackTimeoutMilliseconds;
        while (_fd >= 0 && !_parked!.HandBackComplete)
        {
            var left = deadline - MonotonicClock.Milliseconds;
            if (left <= 0)
            {
                _onProblem("tinyinit did not hand back the parked descriptors in time; carrying on without them");
                return;
            }
            var poll = new PollFd { Fd = _fd, Events = Libc.POLLIN };
            if (Libc.poll(&poll, 1, (int)left) <= 0) continue;
            ReceiveOne();
        }
    }

    public bool IsOpen => _fd >= 0;
    public int Fd => _fd;

    public void OnReady(uint events)
    {
        for (var i = 0; i < 256 && _fd >= 0; i++)
            if (!ReceiveOne()) return;
    }

    /// <summary>Receives and handles one datagram; false when there is nothing more to read now.</summary>
    private bool ReceiveOne()
    {
        byte* buffer = stackalloc byte[LinkMessage.Size * 2];
        int* fds = stackalloc int[Libc.MaxPassedFds];
        var n = Libc.ReceiveWithFds(_fd, buffer, LinkMessage.Size * 2, fds, out var fdCount, out var truncated, out _, Libc.MSG_DONTWAIT);
        if (n < 0 && Libc.Errno is Libc.EAGAIN or Libc.EINTR) return false;
        if (n <= 0)
        {
            for (var i = 0; i < fdCount; i++) Libc.close(fds[i]);
            _onProblem(n == 0 ? "link to tinyinit closed" : $"reading the link to tinyinit: {Libc.StrError(Libc.Errno)}");
            Dispose();
            return false;
        }
        var wellFormed = LinkMessage.TryRead(new ReadOnlySpan<byte>(buffer, (int)n), out var message);
        var expected = wellFormed && message.Kind == LinkMessageKind.ParkedFd && message.CarriesFd ? 1 : 0;
        if (!wellFormed || fdCount != expected || truncated)
        {
            for (var i = 0; i < fdCount; i++) Libc.close(fds[i]);
            _onProblem($"malformed message of {n} bytes ({fdCount} descriptors) from tinyinit ignored");
            return true;
        }
        Dispatch(message, expected == 1 ? fds[0] : -1);
        return true;
    }

    private void Dispatch(LinkMessage message, int fd)
    {
        switch (message.Kind)
        {
            case LinkMessageKind.ParkedFd when _parked == null:
                if (fd >= 0) Libc.close(fd);
                break;
            case LinkMessageKind.ParkedFd when message.Key == 0: _parked.HandBackEnded(); break;
            case LinkMessageKind.ParkedFd: _parked.HandedBack(message.Key, fd); break;
            case LinkMessageKind.ReleaseFd: _parked?.Refused(message.Key); break;
            case LinkMessageKind.ChildExited: _onChildExited(message.Pid, message.Status); break;
            case LinkMessageKind.Signal: _onSignal(message.SignalNumber); break;
            case LinkMessageKind.EventsLost:
                _onProblem($"tinyinit lost {message.LostCount} child exit event(s) while no manager was running");
                EventsLost?.Invoke(message.LostCount);
                break;
            case LinkMessageKind.CaughtUp: CaughtUp?.Invoke(); break;
            default: _onProblem($"unexpected {message.Kind} message from tinyinit ignored"); break;
        }
    }

    /// <summary>Tells tinyinit to finish with this shutdown once the manager has exited.</summary>
    public bool SendShutdown(ShutdownType type) => Send(LinkMessage.Shutdown(type));

    /// <summary>Asks PID 1 to re-execute <paramref name="path"/> (null: its own executable) in place.</summary>
    public bool SendReexecInit(string? path)
    {
        var pathBytes = System.Text.Encoding.UTF8.GetBytes(path ?? "");
        if (_fd < 0 || pathBytes.Length > LinkMessage.MaxPathLength) return false;
        var datagram = new byte[LinkMessage.Size + pathBytes.Length];
        LinkMessage.ReexecInit(pathBytes.Length).Write(datagram);
        pathBytes.CopyTo(datagram, LinkMessage.Size);
        fixed (byte* p = datagram)
        {
            while (true)
            {
                var n = Libc.send(_fd, p, datagram.Length, Libc.MSG_NOSIGNAL);
                if (n == datagram.Length) return true;
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                _onProblem($"writing to tinyinit: {Libc.StrError(Libc.Errno)}");
                return false;
            }
        }
    }

    private bool Send(LinkMessage message)
    {
        if (TrySend(message, -1, out var errno)) return true;
        if (_fd >= 0) _onProblem($"writing to tinyinit: {Libc.StrError(errno)}");
        return false;
    }

    /// <summary>
    /// Sends one message, with <paramref name="attachedFd"/> (SCM_RIGHTS) unless it is negative.
    /// When tinyinit is behind and the socket is full, waits for room (at most
    /// <see cref="SendWaitMilliseconds"/>): tinyinit always reads promptly.
    /// </summary>
    internal bool TrySend(LinkMessage message, int attachedFd, out int errno)
    {
        errno = Libc.EPIPE;
        if (_fd < 0) return false;
        byte* buffer = stackalloc byte[LinkMessage.Size];
        message.Write(new Span<byte>(buffer, LinkMessage.Size));
        var deadline = MonotonicClock.Milliseconds + SendWaitMilliseconds;
        while (true)
        {
            var n = Libc.SendWithFd(_fd, buffer, LinkMessage.Size, attachedFd, Libc.MSG_NOSIGNAL);
            if (n == LinkMessage.Size) return true;
            errno = n < 0 ? Libc.Errno : Libc.EMSGSIZE;
            if (n < 0 && errno == Libc.EINTR) continue;
            if (n < 0 && errno == Libc.EAGAIN && MonotonicClock.Milliseconds < deadline)
            {
                var poll = new PollFd { Fd = _fd, Events = Libc.POLLOUT };
                Libc.poll(&poll, 1, 100);
                continue;
            }
            return false;
        }
    }

    private const int SendWaitMilliseconds = 1000;

    public void Dispose()
    {
        if (_fd < 0) return;
        _parked?.Detach();
        _loop.Remove(_fd);
        FileDescriptors.Close(ref _fd);
    }
}
