using Tinyinit.Loader;
using F = Tinyinit.Engine.SnapshotFormat;

namespace Tinyinit.Engine;

// Manager hand-over, reading half (Snapshot.md). Transitions that already happened are not
// replayed: restoring only re-arms timers at their recorded deadlines and re-registers pids.
public sealed partial class ServiceSet
{
    /// <summary>
    /// Fills this new, empty set from a <see cref="Serialize(IBufferWriter{byte}, Func{ServiceRecord, ReadOnlySpan{byte}})"/>
    /// record so that it behaves exactly as the set that wrote it. <paramref name="describe"/>
    /// supplies the description of each loaded service (not of placeholders); returning null, or
    /// a description of another type for a service that is not STOPPED, restores the service
    /// with a stand-in description (listed in the result) rather than lose its processes.
    /// Calls into the system: <see cref="ISystem.ProcessAdopted"/> per supervised pid, then
    /// <see cref="ISystem.ArmTimer"/> per pending timer (deadlines may lie in the past: they
    /// expire at once). No events, no launches, no signals, no console changes.
    /// Throws <see cref="SnapshotFormatException"/> for a record it cannot read, and
    /// <see cref="InvalidOperationException"/> when the set is not new; either way, and when
    /// <paramref name="describe"/> throws, the set stays empty.
    /// </summary>
    public RestoreResult Restore(ReadOnlySpan<byte> snapshot, Func<SnapshotService, ServiceDescription?> describe)
    {
        if (inOrder.Count > 0 || byPid.Count > 0 || launchOutcomes.Count > 0 || IsShuttingDown || consoleHolder != null)
            throw new InvalidOperationException("a snapshot is restored into a new, empty service set");
        var image = SnapshotImage.Parse(snapshot);
        var standIns = new List<int>();
        var descriptions = DescribeAll(image, describe, standIns);

        var records = new ServiceRecord[image.Services.Count];
        for (int i = 0; i < records.Length; i++)
        {
            var record = RestoreRecord(image.Services[i], descriptions[i]);
            records[i] = record;
            byName.Add(record.Name, record);
            inOrder.Add(record);
        }
        RestoreLinks(image, records);
        RestoreGlobals(image, records);

        foreach (var (pid, index) in image.Pids.OrderBy(p => p.Pid))
        {
            var service = records[index];
            byPid[pid] = service;
            system.ProcessAdopted(service, pid, pid == service.StopCommandPid ? CommandKind.Stop : CommandKind.Start);
        }
        foreach (var record in records)
            if (record.timer != TimerPurpose.None) system.ArmTimer(record, record.timerDueAt);
        return new RestoreResult(image.Version, standIns.Select(i => records[i]).ToArray(), image.Pids.Count);
    }

    private static ServiceDescription[] DescribeAll(SnapshotImage image, Func<SnapshotService, ServiceDescription?> describe, List<int> standIns)
    {
        var descriptions = new ServiceDescription[image.Services.Count];
        for (int i = 0; i < descriptions.Length; i++)
        {
            var s = image.Services[i];
            if (s.Placeholder)
            {
                descriptions[i] = new ServiceDescription { Name = s.Name, IsPlaceholder = true };
                continue;
            }
            var info = new SnapshotService(s.Name, s.SourcePath, s.Type, s.State, s.Has(F.ServiceFlags.DescriptionReloaded), s.DescriptionStamp);
            var description = describe(info);
            // A running service's bookkeeping (launcher, readiness, scripted commands) belongs
            // to its type: a description of another type cannot take it over.
            if (description == null || description.Name != s.Name || description.IsPlaceholder
                || (description.Type != s.Type && s.State != ServiceState.Stopped))
            {
                description = StandIn(s);
                standIns.Add(i);
            }
            descriptions[i] = description;
        }
        return descriptions;
    }

    /// <summary>Keeps supervising with what the record carries: stops as before (signal,
    /// timeout), never restarts by itself, has no command of its own.</summary>
    private static ServiceDescription StandIn(SnapshotImage.ServiceImage s) => new()
    {
        Name = s.Name,
        SourcePath = s.SourcePath,
        Type = s.Type,
        Options = s.Options,
        TermSignal = s.TermSignal,
        StopTimeout = s.StopTimeout,
        StartTimeout = s.StartTimeout,
        PidFile = s.PidFile,
        WatchdogTimeout = s.WatchdogTimeout,
        Restart = RestartMode.No,
        SmoothRecovery = false,
        RestartDelay = TimeSpan.Zero,
    };

    private static ServiceRecord RestoreRecord(SnapshotImage.ServiceImage s, ServiceDescription description) => new(description)
    {
        State = s.State,
        TargetState = s.TargetState,
        StopReason = s.StopReason,
        Pid = s.Pid,
        StopCommandPid = s.StopCommandPid,
        ExitStatus = s.ExitStatus,
        ExecFailureStage = s.ExecFailureStage,
        ExecFailureErrno = s.ExecFailureErrno,
        RequiredBy = s.RequiredBy,
        IsExplicitlyStarted = s.Has(F.ServiceFlags.ExplicitlyStarted),
        PinnedStarted = s.Has(F.ServiceFlags.PinnedStarted),
        PinnedStopped = s.Has(F.ServiceFlags.PinnedStopped),
        StartFailed = s.Has(F.ServiceFlags.StartFailed),
        StartSkipped = s.Has(F.ServiceFlags.StartSkipped),
        Triggered = s.Has(F.ServiceFlags.Triggered),
        WaitingForDependencies = s.Has(F.ServiceFlags.WaitingForDependencies),
        WaitingForConsole = s.Has(F.ServiceFlags.WaitingForConsole),
        HasConsole = s.Has(F.ServiceFlags.HasConsole),
        IsUntracked = s.Has(F.ServiceFlags.Untracked),
        forceStop = s.Has(F.ServiceFlags.ForceStop),
        inAutoRestart = s.Has(F.ServiceFlags.InAutoRestart),
        inUserRestart = s.Has(F.ServiceFlags.InUserRestart),
        isActive = s.Has(F.ServiceFlags.Active),
        broughtUp = s.Has(F.ServiceFlags.BroughtUp),
        launcherRunning = s.Has(F.ServiceFlags.LauncherRunning),
        awaitingReadiness = s.Has(F.ServiceFlags.AwaitingReadiness),
        waitingForRestartDelay = s.Has(F.ServiceFlags.WaitingForRestartDelay),
        interruptingStart = s.Has(F.ServiceFlags.InterruptingStart),
        doingSmoothRecovery = s.Has(F.ServiceFlags.DoingSmoothRecovery),
        descriptionReloaded = s.Has(F.ServiceFlags.DescriptionReloaded),
        notifiedStopping = s.Has(F.ServiceFlags.NotifiedStopping),
        NotifyStatus = s.NotifyStatus,
        timer = s.Timer,
        timerDueAt = s.TimerDueAt,
        lastLaunch = s.LastLaunch,
        restartIntervalStart = s.RestartIntervalStart,
        restartIntervalCount = s.RestartIntervalCount,
    };

    /// <summary>Dependencies in record order; dependents at their recorded places (links
    /// without a usable place fill the gaps in record order).</summary>
    private static void RestoreLinks(SnapshotImage image, ServiceRecord[] records)
    {
        var dependentCount = new int[records.Length];
        foreach (var l in image.Links) dependentCount[l.To]++;
        var slots = new ServiceLink?[records.Length][];
        for (int i = 0; i < records.Length; i++) slots[i] = dependentCount[i] == 0 ? [] : new ServiceLink?[dependentCount[i]];
        var unplaced = new List<(ServiceLink Link, int To)>();
        foreach (var l in image.Links)
        {
            var link = new ServiceLink(records[l.From], records[l.To], l.Type, records[l.DeclaredBy])
            {
                Holding = l.Holding,
                WaitingOn = l.WaitingOn,   // keeps the dependent's count of waited-on links
            };
            link.From.dependencies.Add(link);
            var targetSlots = slots[l.To];
            if (l.DependentPosition >= 0 && l.DependentPosition < targetSlots.Length && targetSlots[l.DependentPosition] == null)
                targetSlots[l.DependentPosition] = link;
            else
                unplaced.Add((link, l.To));
        }
        var next = new int[records.Length];
        foreach (var (link, to) in unplaced)
        {
            var targetSlots = slots[to];
            while (targetSlots[next[to]] != null) next[to]++;
            targetSlots[next[to]] = link;
        }
        for (int i = 0; i < records.Length; i++)
            foreach (var link in slots[i]) records[i].dependents.Add(link!);
    }

    private void RestoreGlobals(SnapshotImage image, ServiceRecord[] records)
    {
        IsShuttingDown = image.ShuttingDown;
        ShutdownType = image.ShutdownType;
        activeCount = image.ActiveCount;
        allStoppedPending = image.AllStoppedPending;
        launchTurn = image.LaunchTurn;
        pinnedStartedCount = image.PinnedStartedCount;
        consoleHolder = image.ConsoleHolder > 0 ? records[image.ConsoleHolder - 1] : null;
        foreach (var index in image.ConsoleQueue)
        {
            var waiting = records[index];
            waiting.previousInConsoleQueue = consoleQueueTail;
            if (consoleQueueTail != null) consoleQueueTail.nextInConsoleQueue = waiting;
            else consoleQueueHead = waiting;
            consoleQueueTail = waiting;
        }
        foreach (var l in image.Launches)
            launchOutcomes.Add(new PendingLaunch(records[l.Service], l.Kind, l.Pid, l.Stage, l.Errno, l.Turn));
    }
}
