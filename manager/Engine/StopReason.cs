namespace Tinyinit.Engine;

/// <summary>Why a service last stopped (semantics.md §2.3); wire values match control-protocol.md §2.3.</summary>
public enum StopReason : byte
{
    Normal = 0,
    DependencyRestart = 1,
    DependencyFailed = 2,
    Failed = 3,
    ExecFailed = 4,
    TimedOut = 5,
    Terminated = 6,
}

public static class StopReasonExtensions
{
    /// <summary>What <c>ctl is-failed</c> reports as failed (semantics.md §2.3).</summary>
    public static bool CountsAsFailure(this StopReason reason) =>
        reason is StopReason.DependencyFailed or StopReason.Failed or StopReason.ExecFailed or StopReason.TimedOut;
}
