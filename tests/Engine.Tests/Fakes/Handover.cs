using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests.Fakes;

/// <summary>
/// Plays a manager hand-over in the fake world: the engine state goes through a snapshot, the
/// outside world (clock, live processes, pid numbering, scripted spawn failures) carries over
/// as the kernel would keep it across a re-exec.
/// </summary>
internal static class Handover
{
    /// <summary>A new world restored from <paramref name="from"/>'s snapshot; descriptions are
    /// the old world's own unless <paramref name="describe"/> says otherwise. The restored
    /// world's timeline holds only what the restore itself did.</summary>
    public static World Restore(World from, out RestoreResult result, Func<SnapshotService, ServiceDescription?>? describe = null)
    {
        var bytes = from.Set.Serialize();
        return Restore(from, bytes, out result, describe);
    }

    public static World Restore(World from, byte[] bytes, out RestoreResult result, Func<SnapshotService, ServiceDescription?>? describe = null)
    {
        var to = new World();
        CarryOverOutside(from.System, to.System);
        describe ??= s => from.Set.Find(s.Name)?.Description;
        result = to.Set.Restore(bytes, describe);
        foreach (var (pid, (service, kind)) in from.System.Processes)
            to.System.Processes[pid] = (to.Set.FindIncludingPlaceholders(service.Name)!, kind);
        return to;
    }

    private static void CarryOverOutside(FakeSystem from, FakeSystem to)
    {
        to.Now = from.Now;
        to.NextPid = from.NextPid;
        to.AutoPidFiles = from.AutoPidFiles;
        to.MayKillAll = from.MayKillAll;
        to.LogTimers = from.LogTimers;
        to.Loader = from.Loader;
        foreach (var (name, errno) in from.FailSpawn) to.FailSpawn[name] = errno;
        foreach (var (name, pid) in from.PidFiles) to.PidFiles[name] = pid;
        foreach (var (pid, state) in from.PidStates) to.PidStates[pid] = state;
    }
}
