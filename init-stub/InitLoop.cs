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
/// (asked by the manager, taken from a signal, or taken over by the <see cref="ShutdownWatchdog"/>
/// when the manager leaves a shutdown signal unanswered) ends in <see cref="FinalShutdown"/>. When the
/// signals could not be blocked in every thread, a SIGCHLD may never reach the signalfd: then
/// it also reaps once a second, so no exit goes unseen for longer.
/// </summary>
internal sealed unsafe class InitLoop(ManagerLauncher launcher, int signalFd, SelfImage self, bool signalsReliable, ShutdownWatchdog watchdog,
    InitReexec reexec, EmergencyShell? shell)
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
    private int _failedStarts;

    /// <summary>Failed manager starts in a row before a kernel-booted init offers an emergency shell.</summary>
    public const int ShellAfterFailedStarts = 3;

    public int Run()
    {
        var fds = stackalloc PollFd[2];
        while (true)
        {
            if (_shutdown != 0 && (_managerPid == 0 || MonotonicClock.Milliseconds >= _shutdownDeadline))
                return FinalShutdown.Run(_shutdown, signalFd, self);
            if (_shutdown == 0 && watchdog.Pending != 0 && (watchdog.Expired || watchdog.Forced)) TakeOverShutdown();
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
        var error = launcher.Spawn(out _managerPid, out var linkFd);
        if (error != 0 && error != _lastSpawnError) InitLog.Write("cannot start the manager (errno "u8, error, "); retrying every second"u8);
        if (error == 0) _link.Attach(linkFd);
        _lastSpawnError = error;
        _failedStarts = error == 0 ? 0 : Math.Min(_failedStarts + 1, ShellAfterFailedStarts);
        if (_failedStarts >= ShellAfterFailedStarts) shell?.StartIfIdle();
    }

    private void HandleSignals()
    {
        SignalFdInfo info;
        while (Libc.read(signalFd, &info, sizeof(SignalFdInfo)) == sizeof(SignalFdInfo))
        {
            if (info.Signo == Libc.SIGCHLD) ReapChildren();
            else if (_link.Ready) Forward((int)info.Signo);
            else ActWithoutManager((int)info.Signo);
        }
    }

    private void Reexec()
    {
        if (_shutdown != 0) InitLog.Write("reexec-init ignored: shutting down"u8);
        else reexec.Execute(_link.ReexecPath, _link, _managerPid, launcher.StateFd);
    }

    /// <summary>Continues where a previous image of init left off (reexec-init): no new manager is started.</summary>
    public void Resume(ResumeState state)
    {
        _managerPid = state.ManagerPid;
        if (state.LinkFd >= 0) _link.Resume(state.LinkFd, state.LinkReady);
        _link.Queue.AddLost(state.Lost);
        foreach (var message in state.Events) _link.Deliver(message);
        InitLog.Write("resumed after reexec-init: manager pid "u8, state.ManagerPid, state.LinkReady ? ", link ready"u8 : ", link not ready"u8);
        ReapChildren();     // exits that happened during the exec: their SIGCHLD is pending too, but reaping costs nothing
    }

    private void Forward(int signo)
    {
        _link.Deliver(LinkMessage.Signal(signo));
        watchdog.Forwarded(signo);
    }

    /// <summary>The manager left a shutdown signal unanswered too long (or ctrl-alt-del came thrice): shut down without it.</summary>
    private void TakeOverShutdown()
    {
        if (watchdog.Forced) InitLog.Write("ctrl-alt-del pressed 3 times: shutting down without the manager"u8);
        else InitLog.Write("the manager did not act on the shutdown signal in time: shutting down without it"u8);
        RequestShutdown(watchdog.Pending, 0);
    }

    private void ReapChildren()
    {
        int status, pid;
        while ((pid = Libc.waitpid(-1, &status, Libc.WNOHANG)) > 0)
        {
            if (pid == _managerPid) ManagerExited(status);
            else if (shell != null && shell.Exited(pid)) { }
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
        while ((got = _link.Receive(out var message, out var malformed)) > 0)
        {
            if (malformed) InitLog.Write("ignoring a malformed message from the manager"u8);
            else if (message.Kind == LinkMessageKind.Hello) _link.MarkReady();
            else if (message.Kind == LinkMessageKind.Shutdown) RequestShutdown(message.ShutdownType, ManagerExitMilliseconds);
            else if (message.Kind == LinkMessageKind.ReexecInit) Reexec();
            else InitLog.Write("ignoring a message meant for the manager, kind "u8, (int)message.Kind);
        }
        if (got < 0) _link.Close();     // the manager closed its end; its exit is seen through SIGCHLD
        else _link.Flush();
    }

    /// <summary>No ready manager to decide: TERM halts, INT (ctrl-alt-del) reboots, QUIT, USR2 and PWR power off; others are ignored.</summary>
    private void ActWithoutManager(int signo)
    {
        var type = ShutdownWatchdog.TypeFor(signo);
        if (type == 0) InitLog.Write("no manager ready: ignoring signal "u8, signo);
        else RequestShutdown(type, 0);
    }

    private void RequestShutdown(ShutdownType type, int managerGraceMilliseconds)
    {
        if (_shutdown == 0) _shutdownDeadline = MonotonicClock.Milliseconds + managerGraceMilliseconds;
        _shutdown = type;
        watchdog.Acknowledged();
    }

    private int PollTimeout()
    {
        var until = _shutdown != 0 ? _shutdownDeadline : Math.Min(watchdog.Deadline, _managerPid == 0 ? _nextSpawnAt : long.MaxValue);
        var limit = signalsReliable ? int.MaxValue : UnreliableSignalsReapMilliseconds;
        if (until == long.MaxValue) return signalsReliable ? -1 : limit;
        return (int)Math.Clamp(until - MonotonicClock.Milliseconds, 0, limit);
    }
}
