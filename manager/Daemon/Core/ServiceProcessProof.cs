using Tinyinit.Native;
using Tinyinit.Daemon.Os;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// Decides whether a pid read from a bgprocess PID file can be shown to be the service's own
/// process: never init, the manager or the manager's parent; otherwise a process in the
/// manager's subtree (it is a sub-reaper, so every descendant of the launcher stays there)
/// that started no earlier than the service's launcher. A PID file can name any pid; signalling
/// a pid the manager cannot vouch for could halt the machine or kill another user's process.
/// </summary>
internal static class ServiceProcessProof
{
    /// <summary>Longest parent chain followed (pid_max is at most 4M; real trees are shallow).</summary>
    private const int MaxAncestry = 4096;

    /// <summary>Null when the pid may be supervised as the service's; otherwise why not.</summary>
    /// <param name="launcherStart">Start time of the launcher (0 when unknown).</param>
    /// <param name="underInit">The manager runs under tinyinit (its parent is the init process).</param>
    public static string? WhyNotTheService(int pid, ulong launcherStart, bool underInit)
    {
        if (pid <= 1) return pid == 1 ? "pid 1 is the init process" : "not a process id";
        var self = Libc.getpid();
        if (pid == self) return "it is the service manager's own pid";
        if (pid == Libc.getppid()) return underInit ? "it is tinyinit's pid (the init process)" : "it is the service manager's parent";
        if (ProcStat.Read(pid) is not { } stat) return null; // gone: the exit status (or its absence) decides
        if (launcherStart != 0 && stat.StartTime < launcherStart)
            return "the process started before the service's launcher, so the launcher did not start it";
        return IsDescendantOf(stat, self) ? null : "the process is not a descendant of the service manager";
    }

    private static bool IsDescendantOf(ProcStat stat, int ancestor)
    {
        for (var step = 0; step < MaxAncestry; step++)
        {
            if (stat.ParentPid == ancestor) return true;
            if (stat.ParentPid <= 1) return false;
            if (ProcStat.Read(stat.ParentPid) is not { } parent) return false;
            stat = parent;
        }
        return false;
    }

    /// <summary>Start time of <paramref name="pid"/> (0 when it cannot be read).</summary>
    public static ulong StartTimeOf(int pid) => ProcStat.Read(pid)?.StartTime ?? 0;
}
