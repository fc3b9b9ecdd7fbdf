namespace Tinyinit.Engine;

/// <summary>
/// Everything outside the engine: processes, clock, timers, console, logging. The daemon
/// implements it with real system calls; tests implement it with a fake world and a fake
/// clock. The engine calls these methods while it processes an event; implementations must
/// not call back into <see cref="ServiceSet"/> synchronously (report results later through the
/// set's input methods), except where a member says otherwise.
/// </summary>
public interface ISystem
{
    /// <summary>Monotonic time.</summary>
    TimeSpan Now { get; }

    /// <summary>Arms the service's single timer (replacing any armed one) for the absolute
    /// monotonic time <paramref name="dueAt"/>; on expiry call <see cref="ServiceSet.TimerExpired"/>.</summary>
    void ArmTimer(ServiceRecord service, TimeSpan dueAt);
    void CancelTimer(ServiceRecord service);

    /// <summary>
    /// Launches the service's start or stop command (semantics.md §9.6), with readiness, log,
    /// console and activation-socket details taken from <c>service.Description</c> and
    /// <see cref="ServiceRecord.HasConsole"/> (stop commands never run on the console).
    /// Returns the pid (&gt; 0) once exec succeeded, or <c>-errno</c> with
    /// <paramref name="failedStage"/> set to the stage description (control-protocol.md §2.6,
    /// e.g. "executing command"). The result may be known at once (posix_spawn), but the engine
    /// acts on it only in <see cref="ServiceSet.CompleteLaunches"/>, on a later loop turn.
    /// </summary>
    int Spawn(ServiceRecord service, CommandKind kind, out string failedStage);

    /// <summary>kill(2): to the process group of <paramref name="pid"/> (falling back to the pid)
    /// when <paramref name="processGroup"/>, else to the process only.</summary>
    void Signal(ServiceRecord service, int pid, int signal, bool processGroup);

    /// <summary>bgprocess: reads the PID file (at most 20 bytes, base auto-detected). Null with
    /// <paramref name="error"/> = strerror text when it cannot be opened; 0 or a negative
    /// number when its contents are not a valid pid.</summary>
    int? ReadPidFile(ServiceRecord service, out string error);

    /// <summary>bgprocess: classifies a pid read from the PID file. For
    /// <see cref="PidState.ExitedChild"/> the raw wait status is returned (the system keeps the
    /// statuses of exited children nobody owned yet) and the system will not report that exit
    /// through <see cref="ServiceSet.ProcessExited"/>.</summary>
    PidState QueryPid(int pid, out int rawWaitStatus);

    /// <summary>bgprocess: null when <paramref name="pid"/> (read from the PID file, &gt; 0) can be
    /// shown to be the service's own process, otherwise the reason it cannot (init, the manager,
    /// its parent, a process the service's launcher did not start). The start then fails: a
    /// stop would signal that pid.</summary>
    string? WhyNotServiceProcess(ServiceRecord service, int pid);

    /// <summary>strerror text for an errno value (used in log lines).</summary>
    string DescribeError(int errno);

    /// <summary>A line for the main log and console log, exact spec text without the
    /// "tinyinit: " prefix.</summary>
    void Log(LogLevel level, string message);

    /// <summary>The status lines of semantics.md §2.4 (console line and main-log line).</summary>
    void ServiceStatusLine(ServiceRecord service, ServiceStatus status);

    /// <summary>The console (semantics.md §14) now belongs to <paramref name="owner"/>, or to the
    /// manager again when null: stop/resume console log output, set the terminal's foreground
    /// process group accordingly.</summary>
    void ConsoleOwnerChanged(ServiceRecord? owner);

    /// <summary>Opens the service's activation socket if configured and not open (§12). False
    /// after logging the error, which makes the start fail.</summary>
    bool OpenActivationSocket(ServiceRecord service);
    /// <summary>Closes the activation socket if open (service became inactive).</summary>
    void CloseActivationSocket(ServiceRecord service);

    /// <summary>kill-all-on-stop (§9.7), first half: logs and sends SIGTERM to every process —
    /// only where the manager is allowed to (tinyinit as PID 1 of its namespace). False (after
    /// logging a warning) when it did not signal: then there is no second half.</summary>
    bool BeginKillAll();
    /// <summary>kill-all-on-stop, second half, once the engine's 1 s grace timer expired: SIGKILL
    /// to every process.</summary>
    void FinishKillAll();

    /// <summary>Loads the named service (and its dependencies) and installs it into the set
    /// (may call <see cref="ServiceSet.Install"/>). Used for chain-to. Null with an error
    /// message when it cannot be loaded.</summary>
    ServiceRecord? LoadService(string name, out string error);

    /// <summary>A service with <c>starts-rwfs</c> reached STARTED (§17.3): reopen the control
    /// socket / log file, write boot-time records.</summary>
    void RootFilesystemWritable();
    /// <summary>A service with <c>starts-log</c> reached STARTED: connect the main log.</summary>
    void MainLogAvailable();

    /// <summary>Manager hand-over (<see cref="ServiceSet.Restore"/>): the engine supervises
    /// <paramref name="pid"/> again — the service's main process or bgprocess launcher
    /// (<see cref="CommandKind.Start"/>) or its stop command (<see cref="CommandKind.Stop"/>).
    /// Its exit must be reported through <see cref="ServiceSet.ProcessExited"/> as for a
    /// process the engine launched; the engine sends it nothing here. The only call Restore makes
    /// besides <see cref="ArmTimer"/>; the default ignores it.</summary>
    void ProcessAdopted(ServiceRecord service, int pid, CommandKind kind) { }
}
