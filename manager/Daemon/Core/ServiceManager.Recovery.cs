using Tinyinit.Daemon.Core;
using Tinyinit.Daemon.HandOver;
using Tinyinit.Daemon.Link;
using Tinyinit.Engine;
using Tinyinit.Native;

namespace Tinyinit.Daemon;

// Unplanned recovery (issue 10): after every loop turn that changed something, the whole state
// goes into tinyinit's state memfd (the crash record); a manager that tinyinit starts after a
// crash restores it, re-adopts the processes that are still the recorded ones (now children of
// PID 1, so each is held by a pidfd and signalled through it), and applies the exits tinyinit
// queued meanwhile. Nothing is started twice, nothing is stopped.
internal sealed partial class ServiceManager
{
    /// <summary>Raw wait status given to a process whose exit was never reported: killed by SIGKILL.</summary>
    private const int UnknownExitStatus = Libc.SIGKILL;

    private long _generation = 1;
    private DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    /// <summary>Recorded pids found gone at recovery whose exit tinyinit has not reported (yet).</summary>
    private readonly HashSet<int> _vanished = [];
    private bool _daemonStateChanged = true;
    private long _recordedEngineChanges = -1, _recordedEnvironment = -1, _recordedOutputs = -1;
    private bool _recordWriteFailed;
    private int _lastRecordBytes;
    private long _lastRecordMicros;

    /// <summary>The crash record a killed predecessor left in tinyinit's memfd, or null (logged when unreadable).</summary>
    private HandOverRecord? ReadCrashRecord()
    {
        _recorder = CrashRecorder.FromEnvironment();
        if (_recorder == null) return null;
        var record = _recorder.ReadRecord(out var problem);
        if (problem != null) RecoveryLog.CrashRecordUnreadable(_recoveryLog, problem);
        return record;
    }

    private void BeginGeneration(HandOverRecord? previous)
    {
        _generation = Math.Max(_recorder?.PreviousGeneration ?? 0, previous?.ManagerGeneration ?? 0) + 1;
        _startedAt = DateTimeOffset.UtcNow;
        _recorder?.StoreGeneration(_generation);
    }

    /// <summary>Start-up after a crash: restore, re-adopt, listen again. False when the engine cannot be restored (start afresh).</summary>
    private bool RecoverFromCrash(HandOverRecord record)
    {
        RestoreResult result;
        _system.AdoptingOrphans = true;
        try
        {
            result = RestoreEngine(record);
        }
        catch (Exception e) when (e is SnapshotFormatException or InvalidOperationException or ArgumentException)
        {
            RecoveryLog.ServicesNotRestored(_recoveryLog, e.Message);
            return false;
        }
        finally
        {
            _system.AdoptingOrphans = false;
        }
        var starts = new Dictionary<int, long>();
        foreach (var (pid, ticks) in record.ProcessStarts) starts[pid] = ticks;
        foreach (var pid in _system.AdoptedOrphans) Readopt(pid, starts.GetValueOrDefault(pid));
        _system.AdoptedOrphans.Clear();
        if (!OpenControlSocket()) RecoveryLog.NoControlSocket(_recoveryLog);
        // Keys only: which parked descriptors are still held, tinyinit's hand-back says.
        _parked.Restore(record.NextParkKey, []);
        if (_linkFd >= 0) ConnectLink(_linkFd);   // returns with the parked descriptors handed back
        else TreatVanishedAsExited(); // no tinyinit to report exits: what is gone is gone
        var pipesBack = 0;
        foreach (var (name, _, reported, key) in record.ReadinessPipes)
            if (key > 0 && _parked.TryTake(key, out var fd))
            {
                AdoptReadinessPipe(name, fd, reported, key);
                pipesBack++;
            }
        AdoptActivationSockets(record, byNumber: false);
        AdoptNotifySocket(record, crashed: true);
        AdoptOutputs(record, planned: false);
        _parked.ReleaseUntaken();
        foreach (var service in _services.Services.ToList())
        {
            // sd_notify readiness comes through the notification socket, not a pipe of its own.
            if (service.SystemState is ServiceOsState { Readiness.IsOpen: true } || service.Description.UsesSdNotify) continue;
            if (_services.ReadinessPipeLost(service))
                RecoveryLog.ReadinessLostStartFailed(_recoveryLog, service.Name);
            else if (service.AwaitingReadiness)
                RecoveryLog.ReadinessLostAwaitingTimeout(_recoveryLog, service.Name);
        }
        RecoveryLog.Recovered(_recoveryLog, record.ManagerGeneration, _services.Services.Count(), _system.OrphanPids.Count(), _vanished.Count, pipesBack);
        return true;
    }

    /// <summary>Takes a recorded process back if it is still the same one (pid and start time), held by a pidfd.</summary>
    private void Readopt(int pid, long startTicks)
    {
        var pidfd = Libc.pidfd_open(pid);
        // Opened first, compared second: if the pid was reused before the open, the times differ.
        if (pidfd >= 0 && startTicks > 0 && CrashRecorder.ProcessStartTicks(pid) == startTicks)
        {
            _system.HoldOrphan(pid, pidfd);
            return;
        }
        if (pidfd >= 0) Libc.close(pidfd);
        _vanished.Add(pid);
    }

    /// <summary>tinyinit has sent everything it queued before our Hello: a recorded process still unheard of died unseen.</summary>
    private void OnLinkCaughtUp() => TreatVanishedAsExited();

    private void TreatVanishedAsExited()
    {
        foreach (var pid in _vanished.Order().ToList())
        {
            RecoveryLog.ExitLostWhileNoManager(_recoveryLog, pid);
            OnChildExited(pid, UnknownExitStatus);
        }
        _vanished.Clear();
    }

    /// <summary>After EventsLost: every re-adopted process that is no longer there has exited unseen.</summary>
    private void RecheckOrphans()
    {
        foreach (var pid in _system.OrphanPids.Order().ToList())
        {
            var pidfd = _system.OrphanPidfd(pid);
            if (pidfd >= 0 && Libc.pidfd_send_signal(pidfd, 0) == 0) continue;
            RecoveryLog.ExitLostByInit(_recoveryLog, pid);
            OnChildExited(pid, UnknownExitStatus);
        }
        TreatVanishedAsExited();
    }

    /// <summary>When no record could be used: what a previous manager left running must not run twice.</summary>
    private void StopWhatAPreviousManagerLeft(HandOverRecord? unusable)
    {
        if (_recorder == null) return;
        var entries = unusable != null
            ? unusable.ProcessStarts.Select(p => new StateEntry("?", p.Pid, p.StartTicks)).ToList()
            : _recorder.ReadLegacyEntries();
        foreach (var entry in CrashRecorder.StopLeftovers(entries))
            RecoveryLog.LeftoverStopped(_recoveryLog, entry.Pid, entry.Service == "?" ? "" : $" (service {entry.Service})");
    }

    /// <summary>End of a loop turn: the crash record is rewritten only when something it holds may have changed.</summary>
    private void WriteCrashRecord()
    {
        if (_recorder == null || _services.HasPendingWork) return;
        if (!_daemonStateChanged && _services.ChangeCount == _recordedEngineChanges && _environment.Version == _recordedEnvironment &&
            _system.Outputs.Changes == _recordedOutputs) return;
        var record = CurrentState(withDescriptors: false);
        var micros = _recorder.Write(record, _services.SupervisedPids);
        if (micros < 0)
        {
            if (!_recordWriteFailed) RecoveryLog.CrashRecordNotWritten(_recoveryLog);
            _recordWriteFailed = true;
            return;
        }
        _recordWriteFailed = false;
        (_lastRecordBytes, _lastRecordMicros) = (record.EngineSnapshot.Length, micros);
        (_daemonStateChanged, _recordedEngineChanges, _recordedEnvironment) = (false, _services.ChangeCount, _environment.Version);
        _recordedOutputs = _system.Outputs.Changes;
    }
}
