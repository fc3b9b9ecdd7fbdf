using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Render;

/// <summary>
/// One line of <c>list</c> (ctl.md §5): eight indicator characters, each computed by one small
/// function of the status (the table below, in position order), then name and annotations.
/// </summary>
internal static class ListLine
{
    private static readonly Func<ServiceStatus, char>[] Indicators =
    [
        s => s.ExplicitlyActivated ? '[' : s.Target == ServiceState.Started ? '{' : ' ',
        s => s.State != ServiceState.Started ? ' ' : s.StartSkipped ? 's' : '+',
        s => s.ExplicitlyActivated ? ']' : s.Target == ServiceState.Started ? '}' : ' ',
        s => s.State == ServiceState.Starting ? '<' : s.State == ServiceState.Stopping ? '>' : ' ',
        s => s.State == ServiceState.Starting ? '<' : s.State == ServiceState.Stopping ? '>' : ' ',
        s => s.Target == ServiceState.Stopped ? '{' : ' ',
        s => s.State != ServiceState.Stopped ? ' ' : s.IsFailedForList ? 'X' : '-',
        s => s.Target == ServiceState.Stopped ? '}' : ' ',
    ];

    public static string Format(in ServiceListEntry entry)
    {
        var s = entry.Status;
        var line = new System.Text.StringBuilder("[", 64);
        foreach (var indicator in Indicators) line.Append(indicator(s));
        line.Append("] ").Append(entry.Name);
        if (s.State != ServiceState.Stopped && s.HasPid) line.Append($" (pid: {s.Pid})");
        if (s.State == ServiceState.Stopped && s.StopReason == StopReason.Terminated)
        {
            if (s.ExitCode == ServiceStatus.ExitCodeExited) line.Append($" (exit status: {s.ExitStatus})");
            else if (s.ExitCode == ServiceStatus.ExitCodeKilled) line.Append($" (signal: {s.ExitStatus})");
        }
        if (s.HoldsConsole) line.Append(" (has console)");
        else if (s.WaitingForConsole) line.Append(" (waiting for console)");
        return line.ToString();
    }
}
