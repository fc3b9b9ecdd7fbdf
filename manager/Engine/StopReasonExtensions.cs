namespace Tinyinit.Engine;

public static class StopReasonExtensions
{
    /// <summary>What <c>ctl is-failed</c> reports as failed (semantics.md §2.3).</summary>
    public static bool CountsAsFailure(this StopReason reason) =>
        reason is StopReason.DependencyFailed or StopReason.Failed or StopReason.ExecFailed or StopReason.TimedOut;
}
