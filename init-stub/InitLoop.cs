using Tinyinit.Native;
using Tinyinit.Protocol.InitLink;

namespace Tinyinit.Init;

/// <summary>
/// PID 1's whole life after start-up. Constraints: it never allocates, never blocks except in
/// poll(2), and never throws (every call below reports failure as a value). It reaps every
/// child; exit statuses of children other than the manager go to the manager (queued while none
/// listens); shutdown signals go to a manager that has said Hello, and are acted on directly
/// when there is none (a shutdown must not wait on a manager that may never come up); a manager
/// that exits without asking for a shutdown is restarted at most once per second; a shutdown
/// (asked by the manager or taken from a signal) ends in <see cref="FinalShutdown"/>. When the
/// signals could not be blocked in every thread, a SIGCHLD may never reach the signalfd: then
/// it also reaps once a second, so no exit goes unseen for longer.
/// </summary>
internal sealed unsafe class InitLoop(ManagerLauncher launcher, int signalFd, SelfImage self, bool signalsReliable)
{
    private const int UnreliableSignalsReapMilliseconds = 1000;

    public const int RespawnIntervalMilliseconds = 1000;
    /// <summary>How long a manager that sent Shutdown may take to exit before init goes on without it.</summary>
    public const int ManagerExitMilliseconds = 10_000;
    /// <summary>A manager exiting with 240 + T (T a shutdown type) asks for shutdown T without a message.</summary>
    public const int ShutdownExitBase = 240;

    private readonly ManagerLink _link = new();
    private int _managerPid;
    private long _nextSpawnAt;
    private ShutdownType _shutdown;
    private long _shutdownDeadline = long.MaxValue;
    private int _lastSpawnError;

    /// <summary>tinyinit -u, not PID 1: the end stops our own descendants and exits (<see cref="Init.UserMode"/>).</summary>
    public bool UserMode { get; init; }

    public int Run()
    {
        var fds = stackalloc PollFd[2];
        while (true)
        {
            if (_shutdown != 0 && (_managerPid == 0 || MonotonicClock.Milliseconds >= _shutdownDeadline))
            {
                _link.Parked.CloseAll();
                return UserMode ? Init.UserMode.End(_shutdown, signalFd, self) : FinalShutdown.Run(_shutdown, signalFd, self);
            }
            if (_shutdown == 0 && _managerPid == 0 && MonotonicClock.Milliseconds >= _nextSpawnAt) StartManager();
            fds[0] = new PollFd { Fd = signalFd, Events = Libc.POLLIN };
            fds[1] = new PollFd { Fd = _link.Fd, Events = Libc.POLLIN };
            if (_link.Ready && _link.HasBacklog) fds[1].Events |= Libc.POLLOUT;    // the socket was full
            Libc.poll(fds, _link.Fd >= 0 ? 2u : 1u, PollTimeout());
            if (fds[0].Revents != 0) HandleSignals();
            else if (!signalsReliable) ReapChildren();
            if (_link.Fd >= 0 && fds[1].Revents != 0) HandleLink();
        }
    }

    private void StartManager()
    {
        _nextSpawnAt = MonotonicClock.Milliseconds + RespawnIntervalMilliseconds;
        FdLimit.LowerForChild();
        var error = launcher.Spawn(out _managerPid, out var linkFd);
        FdLimit.RestoreAfterChild();
        if (error != 0 && error != _lastSpawnError) InitLog.Write("cannot start the manager (errno "u8, error, "); retrying every second"u8);
        if (error == 0) _link.Attach(linkFd);
        _lastSpawnError = error;
    }

    private void HandleSignals()
    {
        SignalFdInfo info;
        while (Libc.read(signalFd, &info, sizeof(SignalFdInfo)) == sizeof(SignalFdInfo))
        {
            if (info.Signo == Libc.SIGCHLD) ReapChildren();
            else if (_link.Ready) _link.Deliver(LinkMessage.Signal((int)info.Signo));
            else ActWithoutManager((int)info.Signo);
        }
    }

    private void ReapChildren()
    {
        int status, pid;
        while ((pid = Libc.waitpid(-1, &status, Libc.WNOHANG)) > 0)
        {
            if (pid == _managerPid) ManagerExited(status);
            else _link.Deliver(LinkMessage.ChildExited(pid, status));
        }
    }

    private void ManagerExited(int status)
    {
        _managerPid = 0;
        if (_link.Fd >= 0) HandleLink();     // a Shutdown sent just before exiting is still in the socket
        _link.Close();
        var exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1;
        if (_shutdown == 0 && LinkMessage.IsShutdownType(exitCode - ShutdownExitBase)) _shutdown = (ShutdownType)(exitCode - ShutdownExitBase);
        if (_shutdown == 0) InitLog.Write("manager ended (wait status "u8, status, "); restarting it"u8);
    }

    private void HandleLink()
    {
        int got;
        while ((got = _link.Receive(out var message, out var malformed, out var fd)) > 0)
        {
            if (malformed) InitLog.Write("ignoring a malformed message from the manager"u8);
            else if (message.Kind is LinkMessageKind.ParkFd or LinkMessageKind.ReleaseFd) _link.HandleParking(message, fd);
            else if (message.Kind == LinkMessageKind.Hello) _link.MarkReady();
            else if (message.Kind == LinkMessageKind.Shutdown) RequestShutdown(message.ShutdownType, ManagerExitMilliseconds);
            else InitLog.Write("ignoring a message meant for the manager, kind "u8, (int)message.Kind);
        }
        if (got < 0) _link.Close();     // the manager closed its end; its exit is seen through SIGCHLD
        else _link.Flush();
    }

    /// <summary>No ready manager to decide: TERM halts, INT (ctrl-alt-del) reboots, QUIT powers off; others are ignored.</summary>
    private void ActWithoutManager(int signo)
    {
        ShutdownType type = signo switch
        {
            Libc.SIGTERM => ShutdownType.Halt,
            Libc.SIGINT => ShutdownType.Reboot,
            Libc.SIGQUIT => ShutdownType.PowerOff,
            _ => 0,
        };
        if (type == 0) InitLog.Write("no manager ready: ignoring signal "u8, signo);
        else RequestShutdown(type, 0);
    }

    private void RequestShutdown(ShutdownType type, int managerGraceMilliseconds)
    {
        if (_shutdown == 0) _shutdownDeadline = MonotonicClock.Milliseconds + managerGraceMilliseconds;
        _shutdown = type;
    }

    private int PollTimeout()
    {
        var until = _shutdown != 0 ? _shutdownDeadline : _managerPid == 0 ? _nextSpawnAt : long.MaxValue;
        var limit = signalsReliable ? int.MaxValue : UnreliableSignalsReapMilliseconds;
        if (until == long.MaxValue) return signalsReliable ? -1 : limit;
        return (int)Math.Clamp(until - MonotonicClock.Milliseconds, 0, limit);
    }
}
