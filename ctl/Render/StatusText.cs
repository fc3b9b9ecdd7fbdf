using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Render;

/// <summary>The reference's texts for states, terminations and failures (ctl.md §3.4, §4.2).</summary>
internal static class StatusText
{
    public static string StateWord(ServiceState state) => state switch
    {
        ServiceState.Stopped => "STOPPED",
        ServiceState.Starting => "STARTING",
        ServiceState.Started => "STARTED",
        ServiceState.Stopping => "STOPPING",
        _ => "UNKNOWN",
    };

    /// <summary><c>exited - status N</c>, <c>signalled - signal N</c> or <c>unknown reason</c>.</summary>
    public static string Termination(in ServiceStatus s) => s.ExitCode switch
    {
        ServiceStatus.ExitCodeExited => $"exited - status {s.ExitStatus}",
        ServiceStatus.ExitCodeKilled => $"signalled - signal {s.ExitStatus}",
        _ => "unknown reason",
    };

    /// <summary>Lines printed after "failed to start." (§3.4), each ending in a newline.</summary>
    /// <param name="managerName">Whose log to check: <c>dinit</c> under the reference's names, else <c>tinyinit</c>.</param>
    public static string FailureDetails(in ServiceStatus s, string managerName) => s.StopReason switch
    {
        StopReason.DependencyFailed => $"Reason: a dependency of the service failed to start. Check {managerName} log.\n",
        StopReason.TimedOut => "Reason: start timed out.\n",
        StopReason.ExecFailed => "Reason: execution of service process failed:\n" + ExecFailure(s),
        StopReason.Failed => $"Reason: service process terminated before ready: {Termination(s)}\n",
        _ => $"Reason unknown/unrecognised. Check {managerName} log.\n",
    };

    private static string ExecFailure(in ServiceStatus s) =>
        $"        Stage: {ExecStage.Describe(s.ExecStage)}\n        Error: {Libc.StrError(s.ExecErrno)}\n";

    /// <summary>The text after <c>State: </c> (§4.2 table), possibly spanning lines for an exec failure.</summary>
    public static string State(in ServiceStatus s)
    {
        switch (s.State)
        {
            case ServiceState.Stopped:
                return StoppedState(s);
            case ServiceState.Starting:
                return s.Target == ServiceState.Stopped ? "STARTING (target state: STOPPED)" : "STARTING";
            case ServiceState.Started:
                return s.StartSkipped ? "STARTED (startup skipped)" : "STARTED";
            default:
                var text = s.Target == ServiceState.Started ? "STOPPING (target state: STARTED)" : "STOPPING";
                // Reference quirk kept: no space before the parenthesis.
                return !s.HasPid && s.ExitStatus != 0 ? text + $"(terminated ;{Termination(s)})" : text;
        }
    }

    private static string StoppedState(in ServiceStatus s) => s.StopReason switch
    {
        StopReason.DependencyRestart => "STOPPED (dependency restarted)",
        StopReason.DependencyFailed => "STOPPED (dependency failed/terminated)",
        StopReason.Failed => s.ExitStatus != 0 ? $"STOPPED (failed to start; {Termination(s)})" : "STOPPED (failed to start)",
        StopReason.ExecFailed => "STOPPED (could not be launched)\n" + ExecFailure(s).TrimEnd('\n'),
        StopReason.Terminated => s.ExitStatus != 0 ? $"STOPPED (terminated; {Termination(s)})" : "STOPPED (terminated)",
        StopReason.TimedOut => "STOPPED (start timed out)",
        _ => "STOPPED",
    };

    public static string StopReasonName(StopReason reason) => reason switch
    {
        StopReason.Normal => "normal",
        StopReason.DependencyRestart => "dependency-restarted",
        StopReason.DependencyFailed => "dependency-failed",
        StopReason.Failed => "failed",
        StopReason.ExecFailed => "exec-failed",
        StopReason.TimedOut => "timed-out",
        StopReason.Terminated => "terminated",
        _ => "unknown",
    };
}
