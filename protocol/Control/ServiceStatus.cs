namespace Tinyinit.Protocol.Control;

/// <summary>
/// Everything a status buffer (control-protocol.md §5) says about one service. The backend fills
/// it from its engine; <see cref="StatusBuffer"/> encodes it in the v1, v5 or v6 layout.
/// </summary>
/// <param name="Pid">The process ID when <see cref="StatusFlags.HasPid"/> is set, else 0.</param>
/// <param name="ExecErrno">errno of a failed launch (reason ExecFailed).</param>
/// <param name="ExitCode">si_code of the last exit: 1 exited, 2 killed, 3 dumped, 0 never exited.</param>
/// <param name="ExitStatus">si_status of the last exit: exit code or signal number.</param>
/// <param name="DescriptionSeconds">Modification time of the description file at load (0 if unknown).</param>
public readonly record struct ServiceStatus(
    ServiceState State,
    ServiceState Target,
    StatusFlags Flags = StatusFlags.None,
    StopReason StopReason = StopReason.Normal,
    ushort ExecStage = 0,
    int Pid = 0,
    int ExecErrno = 0,
    int ExitCode = 0,
    int ExitStatus = 0,
    long DescriptionSeconds = 0,
    long DescriptionNanoseconds = 0)
{
    public const int ExitCodeExited = 1;
    public const int ExitCodeKilled = 2;
    public const int ExitCodeDumped = 3;

    public bool HasPid => (Flags & StatusFlags.HasPid) != 0;
    public bool ExplicitlyActivated => (Flags & StatusFlags.ExplicitlyActivated) != 0;
    public bool StartSkipped => (Flags & StatusFlags.StartSkipped) != 0;
    public bool HoldsConsole => (Flags & StatusFlags.HoldsConsole) != 0;
    public bool WaitingForConsole => (Flags & StatusFlags.WaitingForConsole) != 0;

    /// <summary>"Failed" as <c>list</c> and <c>is-failed</c> judge it (ctl.md §4.1, §5).</summary>
    public bool IsFailedForList => State == ServiceState.Stopped && StopReason switch
    {
        StopReason.Normal => false,
        StopReason.Terminated => ExitCode != ExitCodeExited || ExitStatus != 0,
        _ => true,
    };

    /// <summary>The reasons that make <c>is-failed</c> succeed (ctl.md §4.1).</summary>
    public bool IsFailedStart => State == ServiceState.Stopped && StopReason is
        StopReason.DependencyFailed or StopReason.Failed or StopReason.ExecFailed or StopReason.TimedOut;
}
