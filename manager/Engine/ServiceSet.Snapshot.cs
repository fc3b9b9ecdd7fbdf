using System.Buffers;
using Tinyinit.Loader;
using F = Tinyinit.Engine.SnapshotFormat;

namespace Tinyinit.Engine;

// Manager hand-over, writing half: the engine's whole run-time truth as a versioned record
// (format in Snapshot.md). Descriptions are named, not copied: the successor loads them again.
public sealed partial class ServiceSet
{
    /// <summary>Event handlers running (see Emit).</summary>
    private int emitting;

    /// <summary>
    /// Writes a snapshot of the set that <see cref="Restore"/> turns back into a set that
    /// behaves exactly like this one. Call it between inputs (never from an event handler);
    /// nothing in the set changes. <paramref name="descriptionStamp"/> may attach bytes per
    /// service that identify the description as loaded (handed back in
    /// <see cref="SnapshotService.DescriptionStamp"/>).
    /// </summary>
    public void Serialize(IBufferWriter<byte> output, Func<ServiceRecord, ReadOnlySpan<byte>>? descriptionStamp = null)
    {
        if (processingDepth > 0 || emitting > 0 || HasPendingWork)
            throw new InvalidOperationException("a snapshot is taken between inputs, not while the engine processes one");
        var writer = new SnapshotWriter(output);
        writer.Raw(F.Magic);
        writer.Varint(F.Version);
        writer.Varint(F.OldestReader);

        var indexOf = new Dictionary<ServiceRecord, int>(inOrder.Count);
        foreach (var record in inOrder) indexOf.Add(record, indexOf.Count);

        // Every record goes through one scratch buffer: a length prefix needs the length first.
        var scratch = new ArrayBufferWriter<byte>();
        var inner = new SnapshotWriter(scratch);
        void Flush(int tag)
        {
            writer.Field(tag, scratch.WrittenSpan);
            scratch.ResetWrittenCount();
        }

        WriteGlobals(inner, indexOf);
        Flush(F.GlobalsTag);
        foreach (var record in inOrder)
        {
            WriteService(inner, record, descriptionStamp);
            Flush(F.ServiceTag);
        }
        // Links in each dependent's order; each carries its place among its target's
        // dependents, because both orders decide the order of later events.
        var positions = new Dictionary<ServiceLink, int>();
        foreach (var record in inOrder)
            for (int i = 0; i < record.dependents.Count; i++) positions.Add(record.dependents[i], i);
        foreach (var record in inOrder)
        {
            foreach (var link in record.dependencies)
            {
                WriteLink(inner, link, indexOf, positions[link]);
                Flush(F.LinkTag);
            }
        }
        foreach (var outcome in launchOutcomes)
        {
            inner.Always(F.Launch.Service, (ulong)indexOf[outcome.Service]);
            inner.Field(F.Launch.Kind, (ulong)outcome.Kind);
            inner.Field(F.Launch.Pid, outcome.Pid);
            inner.Field(F.Launch.Stage, outcome.Stage);
            inner.Field(F.Launch.Errno, outcome.Errno);
            inner.Field(F.Launch.Turn, outcome.Turn);
            Flush(F.LaunchTag);
        }
        // Sorted, so equal sets give equal bytes.
        var pids = byPid.Keys.ToArray();
        Array.Sort(pids);
        foreach (var pid in pids)
        {
            inner.Field(F.Pid.Value, pid);
            inner.Always(F.Pid.Service, (ulong)indexOf[byPid[pid]]);
            Flush(F.PidTag);
        }
    }

    /// <summary><see cref="Serialize(IBufferWriter{byte}, Func{ServiceRecord, ReadOnlySpan{byte}})"/> into a new array.</summary>
    public byte[] Serialize(Func<ServiceRecord, ReadOnlySpan<byte>>? descriptionStamp = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Serialize(buffer, descriptionStamp);
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteGlobals(SnapshotWriter w, Dictionary<ServiceRecord, int> indexOf)
    {
        w.Field(F.Globals.ServiceCount, (ulong)inOrder.Count);
        w.Field(F.Globals.ShuttingDown, IsShuttingDown);
        w.Field(F.Globals.ShutdownType, (ulong)ShutdownType);
        w.Field(F.Globals.ActiveCount, activeCount);
        w.Field(F.Globals.AllStoppedPending, allStoppedPending);
        w.Field(F.Globals.LaunchTurn, launchTurn);
        w.Field(F.Globals.PinnedStartedCount, pinnedStartedCount);
        // Index + 1, so that absent (0) means the manager holds the console.
        if (consoleHolder != null) w.Field(F.Globals.ConsoleHolder, (ulong)indexOf[consoleHolder] + 1);
        for (var waiting = consoleQueueHead; waiting != null; waiting = waiting.nextInConsoleQueue)
            w.Always(F.Globals.ConsoleQueueEntry, (ulong)indexOf[waiting]);
    }

    private static void WriteService(SnapshotWriter w, ServiceRecord s, Func<ServiceRecord, ReadOnlySpan<byte>>? descriptionStamp)
    {
        var d = s.Description;
        w.Field(F.Service.Name, s.Name);
        w.Field(F.Service.SourcePath, d.SourcePath);
        w.Field(F.Service.Placeholder, s.IsPlaceholder);
        w.Field(F.Service.Type, (ulong)d.Type);
        w.Field(F.Service.Flags, (ulong)FlagsOf(s));
        w.Field(F.Service.State, (ulong)s.State);
        w.Field(F.Service.TargetState, (ulong)s.TargetState);
        w.Field(F.Service.StopReason, (ulong)s.StopReason);
        w.Field(F.Service.Pid, s.Pid);
        w.Field(F.Service.StopCommandPid, s.StopCommandPid);
        w.Field(F.Service.ExitStatus, s.ExitStatus);
        w.Field(F.Service.ExecFailureStage, s.ExecFailureStage);
        w.Field(F.Service.ExecFailureErrno, s.ExecFailureErrno);
        w.Field(F.Service.RequiredBy, s.RequiredBy);
        if (s.timer == TimerPurpose.Watchdog)
        {
            w.Field(F.Service.WatchdogDueAt, s.timerDueAt);
        }
        else
        {
            w.Field(F.Service.Timer, (ulong)s.timer);
            if (s.timer != TimerPurpose.None) w.Field(F.Service.TimerDueAt, s.timerDueAt);
        }
        w.Field(F.Service.NotifyStatus, s.NotifyStatus);
        w.Field(F.Service.LastLaunch, s.lastLaunch);
        w.Field(F.Service.RestartIntervalStart, s.restartIntervalStart);
        w.Field(F.Service.RestartIntervalCount, s.restartIntervalCount);
        if (descriptionStamp != null && !s.IsPlaceholder)
        {
            var stamp = descriptionStamp(s);
            if (!stamp.IsEmpty) w.Field(F.Service.DescriptionStamp, stamp);
        }
        if (s.IsPlaceholder) return;
        // Enough of the description to keep supervising the service if its file is gone.
        w.Field(F.Service.Options, (ulong)d.Options);
        w.Field(F.Service.TermSignal, d.TermSignal);
        w.Field(F.Service.StopTimeout, d.StopTimeout);
        w.Field(F.Service.StartTimeout, d.StartTimeout);
        w.Field(F.Service.PidFile, d.PidFile);
        w.Field(F.Service.WatchdogTimeout, d.WatchdogTimeout);
    }

    private static F.ServiceFlags FlagsOf(ServiceRecord s)
    {
        var flags = F.ServiceFlags.None;
        void Set(bool value, F.ServiceFlags flag)
        {
            if (value) flags |= flag;
        }
        Set(s.IsExplicitlyStarted, F.ServiceFlags.ExplicitlyStarted);
        Set(s.PinnedStarted, F.ServiceFlags.PinnedStarted);
        Set(s.PinnedStopped, F.ServiceFlags.PinnedStopped);
        Set(s.StartFailed, F.ServiceFlags.StartFailed);
        Set(s.StartSkipped, F.ServiceFlags.StartSkipped);
        Set(s.Triggered, F.ServiceFlags.Triggered);
        Set(s.WaitingForDependencies, F.ServiceFlags.WaitingForDependencies);
        Set(s.WaitingForConsole, F.ServiceFlags.WaitingForConsole);
        Set(s.HasConsole, F.ServiceFlags.HasConsole);
        Set(s.IsUntracked, F.ServiceFlags.Untracked);
        Set(s.forceStop, F.ServiceFlags.ForceStop);
        Set(s.inAutoRestart, F.ServiceFlags.InAutoRestart);
        Set(s.inUserRestart, F.ServiceFlags.InUserRestart);
        Set(s.isActive, F.ServiceFlags.Active);
        Set(s.broughtUp, F.ServiceFlags.BroughtUp);
        Set(s.launcherRunning, F.ServiceFlags.LauncherRunning);
        Set(s.awaitingReadiness, F.ServiceFlags.AwaitingReadiness);
        Set(s.waitingForRestartDelay, F.ServiceFlags.WaitingForRestartDelay);
        Set(s.interruptingStart, F.ServiceFlags.InterruptingStart);
        Set(s.doingSmoothRecovery, F.ServiceFlags.DoingSmoothRecovery);
        Set(s.descriptionReloaded, F.ServiceFlags.DescriptionReloaded);
        Set(s.notifiedStopping, F.ServiceFlags.NotifiedStopping);
        return flags;
    }

    private static void WriteLink(SnapshotWriter w, ServiceLink link, Dictionary<ServiceRecord, int> indexOf, int dependentPosition)
    {
        w.Always(F.Link.From, (ulong)indexOf[link.From]);
        w.Always(F.Link.To, (ulong)indexOf[link.To]);
        w.Field(F.Link.Type, (ulong)link.Type);
        w.Always(F.Link.DeclaredBy, (ulong)indexOf[link.DeclaredBy]);
        w.Field(F.Link.Flags, (link.Holding ? F.Link.Holding : 0) | (link.WaitingOn ? F.Link.WaitingOn : 0));
        w.Always(F.Link.DependentPosition, (ulong)dependentPosition);
    }
}
