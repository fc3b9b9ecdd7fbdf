using Tinyinit.Loader;

namespace Tinyinit.Engine;

/// <summary>
/// The runtime record of one loaded service (semantics.md §1). Public members are read by the
/// daemon (status replies, spawning); only the engine changes them.
/// Overview: the record also carries the intrusive links of the engine's work queues
/// (propagation stack, transition stack, console queue) so that queueing never allocates and
/// a service appears at most once in each queue.
/// </summary>
public sealed class ServiceRecord
{
    internal ServiceRecord(ServiceDescription description)
    {
        Description = description;
        Name = description.Name;
    }

    public ServiceDescription Description { get; internal set; }
    public string Name { get; }
    public ServiceType Type => Description.Type;
    public bool IsPlaceholder => Description.IsPlaceholder;

    public ServiceState State { get; internal set; } = ServiceState.Stopped;
    public ServiceState TargetState { get; internal set; } = ServiceState.Stopped;
    public StopReason StopReason { get; internal set; } = StopReason.Normal;

    /// <summary>Main process (or bgprocess launcher while it runs); 0 when none.</summary>
    public int Pid { get; internal set; }
    /// <summary>Running stop command; 0 when none.</summary>
    public int StopCommandPid { get; internal set; }
    /// <summary>Raw wait status of the last exit of the main process (or scripted command).</summary>
    public int ExitStatus { get; internal set; }
    /// <summary>Stage text and errno of the last exec failure (reason EXECFAILED).</summary>
    public string ExecFailureStage { get; internal set; } = "";
    public int ExecFailureErrno { get; internal set; }

    public bool IsExplicitlyStarted { get; internal set; }
    public int RequiredBy { get; internal set; }
    public bool PinnedStarted { get; internal set; }
    public bool PinnedStopped { get; internal set; }
    public bool StartFailed { get; internal set; }
    public bool StartSkipped { get; internal set; }
    /// <summary>Triggered services: the trigger (persists across start/stop).</summary>
    public bool Triggered { get; internal set; }
    public bool WaitingForDependencies { get; internal set; }
    public bool WaitingForConsole { get; internal set; }
    public bool HasConsole { get; internal set; }
    /// <summary>A bgprocess whose PID-file process is not our child: signalled, never waited for.</summary>
    public bool IsUntracked { get; internal set; }

    /// <summary>sd_notify services: the last <c>STATUS=</c> text of the current process ("" when none).</summary>
    public string NotifyStatus { get; internal set; } = "";

    /// <summary>Started, and waiting for the process to report readiness (semantics.md §11).</summary>
    public bool AwaitingReadiness => awaitingReadiness;

    /// <summary>Links to this service's dependencies (this is <see cref="ServiceLink.From"/>).</summary>
    public IReadOnlyList<ServiceLink> Dependencies => dependencies;
    /// <summary>Links from services that depend on this one (this is <see cref="ServiceLink.To"/>).</summary>
    public IReadOnlyList<ServiceLink> Dependents => dependents;

    /// <summary>Free for the daemon's own per-service state (descriptors, log buffer).</summary>
    public object? SystemState { get; set; }

    public override string ToString() => Name;

    internal readonly List<ServiceLink> dependencies = [];
    internal readonly List<ServiceLink> dependents = [];

    // Activation bookkeeping (semantics.md §1).
    internal bool forceStop;
    internal bool inAutoRestart;
    internal bool inUserRestart;
    internal bool isActive;
    /// <summary>Outgoing links with <see cref="ServiceLink.WaitingOn"/> set.</summary>
    internal int waitingOnCount;
    /// <summary>Reached STARTED and its stop action has not begun.</summary>
    internal bool broughtUp;

    // Propagation flags and the intrusive LIFO propagation stack.
    internal PropagationFlags pendingPropagation;
    internal bool inPropagationQueue;
    internal ServiceRecord? nextInPropagation;

    // Intrusive LIFO transition stack.
    internal bool inTransitionQueue;
    internal ServiceRecord? nextInTransition;

    // Intrusive FIFO console queue.
    internal ServiceRecord? nextInConsoleQueue;
    internal ServiceRecord? previousInConsoleQueue;

    // Process bookkeeping (process, bgprocess, scripted).
    internal TimerPurpose timer;
    /// <summary>Absolute deadline of <see cref="timer"/>: a snapshot re-arms it as it was.</summary>
    internal TimeSpan timerDueAt;
    internal TimeSpan lastLaunch;
    internal TimeSpan restartIntervalStart;
    internal int restartIntervalCount;
    internal bool launcherRunning;
    internal bool awaitingReadiness;
    internal bool waitingForRestartDelay;
    internal bool interruptingStart;
    internal bool doingSmoothRecovery;
    /// <summary>The process said <c>STOPPING=1</c> (sd_notify): its watchdog no longer runs.</summary>
    internal bool notifiedStopping;

    /// <summary>The description was replaced by a reload (a snapshot tells the successor).</summary>
    internal bool descriptionReloaded;

    // Graph walks: a record is visited at most once per walk.
    internal int visitStamp;
}
