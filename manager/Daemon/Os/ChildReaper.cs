using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// Reaps every exited child (the manager is a child sub-reaper, so daemons that double-fork
/// re-parent to it). Nothing else in the manager may call wait*: System.Diagnostics.Process is
/// never used, so no runtime reaper competes for exit statuses.
/// </summary>
internal static unsafe class ChildReaper
{
    /// <summary>Calls <paramref name="onExit"/>(pid, raw wait status) for each child reaped.</summary>
    public static void ReapAll(Action<int, int> onExit)
    {
        while (true)
        {
            int status;
            var pid = Libc.waitpid(-1, &status, Libc.WNOHANG);
            if (pid <= 0) return; // 0: children remain but none exited; -1/ECHILD: none at all
            onExit(pid, status);
        }
    }

    public static void BecomeSubreaper() => Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}
