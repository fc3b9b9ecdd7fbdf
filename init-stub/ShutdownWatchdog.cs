using Tinyinit.Native;

namespace Tinyinit.Init;

/// <summary>
/// Keeps a manager that said Hello and then hung from leaving PID 1 deaf to shutdown signals.
/// A shutdown signal forwarded to the manager (SIGTERM halt, SIGINT reboot, SIGQUIT, SIGUSR2 and
/// SIGPWR power-off: what tinyinitd makes of them) starts a clock; the manager acknowledges by sending Shutdown on the link or by exiting
/// (protocol/InitLink/README.md). Without that within the timeout, or on the third SIGINT
/// (ctrl-alt-del pressed three times) since the last acknowledgement, PID 1 performs the
/// shutdown the first unanswered signal asked for itself. A timeout of 0 disables the clock
/// (the third SIGINT still works).
/// </summary>
internal sealed class ShutdownWatchdog(int timeoutMilliseconds)
{
    public const int DefaultTimeoutSeconds = 90;
    private const int InterruptsToForce = 3;

    private int _interrupts;

    /// <summary>When PID 1 takes over (long.MaxValue: no unanswered signal).</summary>
    public long Deadline { get; private set; } = long.MaxValue;

    /// <summary>The shutdown the first unanswered signal asked for (0: none).</summary>
    public ShutdownType Pending { get; private set; }

    /// <summary>Ctrl-alt-del pressed often enough that PID 1 should not wait any longer.</summary>
    public bool Forced => _interrupts >= InterruptsToForce;

    /// <summary>The shutdown a signal asks for (0: none), as tinyinitd reads signals forwarded by PID 1.</summary>
    public static ShutdownType TypeFor(int signo) => signo switch
    {
        Libc.SIGTERM => ShutdownType.Halt,
        Libc.SIGINT => ShutdownType.Reboot,
        Libc.SIGQUIT or Libc.SIGUSR2 or Libc.SIGPWR => ShutdownType.PowerOff,
        _ => 0,
    };

    public void Forwarded(int signo)
    {
        var type = TypeFor(signo);
        if (type == 0) return;
        if (signo == Libc.SIGINT) _interrupts++;
        if (Pending != 0) return;
        Pending = type;
        if (timeoutMilliseconds > 0) Deadline = MonotonicClock.Milliseconds + timeoutMilliseconds;
    }

    public bool Expired => MonotonicClock.Milliseconds >= Deadline;

    public void Acknowledged()
    {
        Pending = 0;
        Deadline = long.MaxValue;
        _interrupts = 0;
    }
}
