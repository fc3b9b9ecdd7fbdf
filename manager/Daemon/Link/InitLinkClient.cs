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
/// </summary>
internal sealed unsafe class InitLinkClient : IEventSource, IDisposable
{
    private readonly EventLoop _loop;
    private readonly Action<int, int> _onChildExited;
    private readonly Action<int> _onSignal;
    private readonly Action<string> _onProblem;
    private int _fd;

    private InitLinkClient(EventLoop loop, int fd, Action<int, int> onChildExited, Action<int> onSignal, Action<string> onProblem)
    {
        _loop = loop;
        _fd = fd;
        _onChildExited = onChildExited;
        _onSignal = onSignal;
        _onProblem = onProblem;
    }

    /// <summary>The descriptor tinyinit passed, or -1 when the manager runs on its own.</summary>
    public static int InheritedFd() =>
        Environment.GetEnvironmentVariable(InitLinkEnvironment.LinkFdVariable) is { } text && int.TryParse(text, out var fd) && fd >= 0 ? fd : -1;

    public static InitLinkClient Connect(EventLoop loop, int fd, Action<int, int> onChildExited, Action<int> onSignal, Action<string> onProblem)
    {
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC); // services must not inherit PID 1's link
        FileDescriptors.SetNonBlocking(fd);
        var client = new InitLinkClient(loop, fd, onChildExited, onSignal, onProblem);
        loop.Add(fd, Libc.EPOLLIN, client);
        client.Send(LinkMessage.Hello());
        return client;
    }

    public bool IsOpen => _fd >= 0;
    public int Fd => _fd;

    public void OnReady(uint events)
    {
        byte* buffer = stackalloc byte[LinkMessage.Size * 2];
        for (var i = 0; i < 256 && _fd >= 0; i++)
        {
            var n = Libc.read(_fd, buffer, LinkMessage.Size * 2);
            if (n < 0 && Libc.Errno is Libc.EAGAIN or Libc.EINTR) return;
            if (n <= 0)
            {
                _onProblem(n == 0 ? "link to tinyinit closed" : $"reading the link to tinyinit: {Libc.StrError(Libc.Errno)}");
                Dispose();
                return;
            }
            if (!LinkMessage.TryRead(new ReadOnlySpan<byte>(buffer, (int)n), out var message))
            {
                _onProblem($"malformed message of {n} bytes from tinyinit ignored");
                continue;
            }
            Dispatch(message);
        }
    }

    private void Dispatch(LinkMessage message)
    {
        switch (message.Kind)
        {
            case LinkMessageKind.ChildExited: _onChildExited(message.Pid, message.Status); break;
            case LinkMessageKind.Signal: _onSignal(message.SignalNumber); break;
            case LinkMessageKind.EventsLost: _onProblem($"tinyinit lost {message.LostCount} child exit event(s) while no manager was running"); break;
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
        if (_fd < 0) return false;
        byte* buffer = stackalloc byte[LinkMessage.Size];
        message.Write(new Span<byte>(buffer, LinkMessage.Size));
        while (true)
        {
            var n = Libc.send(_fd, buffer, LinkMessage.Size, Libc.MSG_NOSIGNAL);
            if (n == LinkMessage.Size) return true;
            if (n < 0 && Libc.Errno == Libc.EINTR) continue;
            _onProblem($"writing to tinyinit: {Libc.StrError(Libc.Errno)}");
            return false;
        }
    }

    public void Dispose()
    {
        if (_fd < 0) return;
        _loop.Remove(_fd);
        FileDescriptors.Close(ref _fd);
    }
}
