namespace Tinyinit.Engine;

/// <summary>
/// The vocabulary of the engine snapshot format (Snapshot.md): header, record tags, field tags
/// and flag bits. Numbers here are the format: never renumber or reuse one; a new field gets a
/// new tag and a meaning for "absent" that matches what older managers did.
/// </summary>
internal static class SnapshotFormat
{
    public static ReadOnlySpan<byte> Magic => "TIES"u8;

    /// <summary>The version this manager writes.</summary>
    public const int Version = 1;
    /// <summary>Written into the header: readers older than this cannot restore the record
    /// (bumped only for a change that skipping fields cannot absorb).</summary>
    public const int OldestReader = 1;

    // Top-level records.
    public const int GlobalsTag = 1, ServiceTag = 2, LinkTag = 3, LaunchTag = 4, PidTag = 5;

    public static class Globals
    {
        public const int ShuttingDown = 1, ShutdownType = 2, ActiveCount = 3, AllStoppedPending = 4,
            LaunchTurn = 5, PinnedStartedCount = 6, ConsoleHolder = 7, ConsoleQueueEntry = 8, ServiceCount = 9;
    }

    public static class Service
    {
        public const int Name = 1, SourcePath = 2, Placeholder = 3, Type = 4, Flags = 5, State = 6,
            TargetState = 7, StopReason = 8, Pid = 9, StopCommandPid = 10, ExitStatus = 11,
            ExecFailureStage = 12, ExecFailureErrno = 13, RequiredBy = 14, Timer = 15, TimerDueAt = 16,
            LastLaunch = 17, RestartIntervalStart = 18, RestartIntervalCount = 19, DescriptionStamp = 20,
            Options = 21, TermSignal = 22, StopTimeout = 23, StartTimeout = 24, PidFile = 25;
        /// <summary>sd_notify (tags 33–36 are this feature's): the last STATUS= text; the watchdog's
        /// deadline, written instead of <see cref="Timer"/>/<see cref="TimerDueAt"/> so that a reader
        /// that knows no watchdog sees no timer rather than an unknown one; the description's
        /// watchdog-timeout (for a stand-in).</summary>
        public const int NotifyStatus = 33, WatchdogDueAt = 34, WatchdogTimeout = 35;
    }

    public static class Link
    {
        public const int From = 1, To = 2, Type = 3, DeclaredBy = 4, Flags = 5, DependentPosition = 6;
        public const ulong Holding = 1, WaitingOn = 2;
    }

    public static class Launch
    {
        public const int Service = 1, Kind = 2, Pid = 3, Stage = 4, Errno = 5, Turn = 6;
    }

    public static class Pid
    {
        public const int Value = 1, Service = 2;
    }

    /// <summary>Bits of <see cref="Service.Flags"/>.</summary>
    [Flags]
    public enum ServiceFlags : ulong
    {
        None = 0,
        ExplicitlyStarted = 1 << 0,
        PinnedStarted = 1 << 1,
        PinnedStopped = 1 << 2,
        StartFailed = 1 << 3,
        StartSkipped = 1 << 4,
        Triggered = 1 << 5,
        WaitingForDependencies = 1 << 6,
        WaitingForConsole = 1 << 7,
        HasConsole = 1 << 8,
        Untracked = 1 << 9,
        ForceStop = 1 << 10,
        InAutoRestart = 1 << 11,
        InUserRestart = 1 << 12,
        Active = 1 << 13,
        BroughtUp = 1 << 14,
        LauncherRunning = 1 << 15,
        AwaitingReadiness = 1 << 16,
        WaitingForRestartDelay = 1 << 17,
        InterruptingStart = 1 << 18,
        DoingSmoothRecovery = 1 << 19,
        DescriptionReloaded = 1 << 20,
        // Bits 25–27: sd_notify.
        NotifiedStopping = 1 << 25,
    }
}
