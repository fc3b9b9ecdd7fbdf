using System.Buffers.Binary;
using Tinyinit.Daemon.Control;
using Tinyinit.Daemon.Core;
using Tinyinit.Daemon.HandOver;
using Tinyinit.Daemon.Link;
using Tinyinit.Daemon.Output;
using Tinyinit.Daemon.Os;
using Tinyinit.Engine;
using Tinyinit.Native;

namespace Tinyinit.Daemon;

// Planned hand-over (restart-manager, issue 10): the predecessor writes its state into a memfd
// and re-executes in place; the successor (same pid, so the services are still its children and
// every descriptor kept open is still there) reads it back and carries on without starting,
// stopping or re-running anything.
internal sealed partial class ServiceManager
{
    private string? _handOverPath;

    /// <summary>RESTARTMANAGER: schedules the hand-over for the end of this loop turn, or says why not.</summary>
    private string? RequestHandOver(string? path)
    {
        if (_services.IsShuttingDown) return "the manager is shutting down";
        if (_handOverPath != null) return "a hand-over is already pending";
        var target = path ?? Environment.ProcessPath;
        if (string.IsNullOrEmpty(target)) return "the manager's own executable path is unknown";
        if (!Path.IsPathRooted(target)) return $"{target}: the path must be absolute";
        if (Directory.Exists(target)) return $"{target}: is a directory";
        // Checked now so the client hears the refusal; an exec that still fails is only logged.
        if (Libc.access(target, Libc.X_OK) != 0) return $"{target}: {Libc.StrError(Libc.Errno)}";
        _handOverPath = target;
        return null;
    }

    /// <summary>After the loop turn that acknowledged the request: write the state and exec. Returns only if exec failed.</summary>
    private void HandOverIfRequested()
    {
        // Serialize takes the engine between inputs only: launch outcomes completed this turn
        // may have queued work, which the next (immediate) turn settles first.
        if (_handOverPath is not { } path || _services.HasPendingWork) return;
        _handOverPath = null;
        var record = CurrentState(withDescriptors: true);
        var memfd = ExecInPlace.WriteMemfd(record.Encode(), out var errno);
        if (memfd < 0)
        {
            HandOverLog.StateRecordNotWritten(_handOverLog, Libc.StrError(errno));
            return;
        }
        List<int> kept = [record.ListenerFd, record.LinkFd, record.StateFd, _notify?.Fd ?? -1, .. record.ReadinessPipes.Select(p => p.Fd),
            .. ActivationSocketDescriptors(), .. _system.Outputs.All.SelectMany(o => new[] { o.ReadFd, o.WriteFd, o.FileFd }).Where(fd => fd >= 0)];
        foreach (var fd in kept) ExecInPlace.SetCloseOnExec(fd, false);
        foreach (var connection in _connections.ToArray()) connection.Close();
        HandOverLog.HandingOver(_handOverLog, path, record.EngineSnapshot.Length);
        _log.Drain();
        errno = ExecInPlace.Exec(path, SuccessorArguments(memfd));
        foreach (var fd in kept) ExecInPlace.SetCloseOnExec(fd, true);
        Libc.close(memfd);
        HandOverLog.HandOverFailed(_handOverLog, path, Libc.StrError(errno));
    }

    /// <summary>The original command line (argv[0] as invoked: it decides the personality), plus the record.</summary>
    private string[] SuccessorArguments(int memfd)
    {
        var invokedAs = Environment.GetCommandLineArgs() is [{ Length: > 0 } first, ..] ? first : Environment.ProcessPath ?? "tinyinitd";
        var args = new List<string> { invokedAs };
        var original = _options.Arguments;
        for (var i = 0; i < original.Count; i++)
        {
            // The readiness descriptor was used (and closed) by the first start; the old record is gone.
            if (original[i] is "-F" or "--ready-fd" or "--restore-fd") { i++; continue; }
            args.Add(original[i]);
        }
        args.Add("--restore-fd");
        args.Add(memfd.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return [.. args];
    }

    /// <summary>
    /// Everything a successor needs: for a planned hand-over with the descriptor numbers that
    /// survive exec; for the crash record without them (-1: they die with this manager, only the
    /// parked copies and their keys remain).
    /// </summary>
    private HandOverRecord CurrentState(bool withDescriptors)
    {
        var record = new HandOverRecord
        {
            EngineSnapshot = _services.Serialize(DescriptionStamp),
            ListenerFd = withDescriptors ? _listener?.Fd ?? -1 : -1,
            SocketPath = withDescriptors ? _listener?.Path ?? "" : _socketPath,
            LinkFd = withDescriptors && _link?.IsOpen == true ? _link.Fd : -1,
            StateFd = withDescriptors ? _recorder?.Fd ?? -1 : -1,
            ManagerGeneration = _generation,
            AllStoppedPending = _allStoppedPending,
            BootFailureHandled = _bootFailureHandled,
            Environment = [.. _environment.Variables],
            UnownedExits = [.. _unownedExits.Entries()],
            NextParkKey = _parked.NextKey,
            ParkKeys = [.. _parked.LiveKeys],
        };
        foreach (var service in _services.Services)
            if (service.SystemState is ServiceOsState { Readiness: { IsOpen: true } pipe })
                record.ReadinessPipes.Add((service.Name, withDescriptors ? pipe.Fd : -1, pipe.Reported, pipe.ParkKey));
        if (SocketsSectionPayload(withDescriptors) is { } sockets) record.Sections[SocketsSection.Name] = sockets;
        AddNotifySection(record, withDescriptors);
        if (withDescriptors) foreach (var output in _system.Outputs.All) output.MoveAvailable();   // nothing left in the pipe for the exec gap
        record.Sections[OutputHandOverSection.Name] = OutputHandOverSection.Encode(_system.Outputs.All, withDescriptors);
        if (_system.ConsoleForeground.Section() is { } console) record.Sections[ConsoleForeground.SectionName] = console;
        return record;
    }

    /// <summary>The description file's modification time as loaded, so the successor can tell it changed since.</summary>
    private static ReadOnlySpan<byte> DescriptionStamp(ServiceRecord service)
    {
        if (service.SystemState is not ServiceOsState state) return [];
        var stamp = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(stamp, state.DescriptionSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(stamp.AsSpan(8), state.DescriptionNanoseconds);
        return stamp;
    }

    private HandOverRecord? ReadHandOverRecord()
    {
        var bytes = ExecInPlace.ReadMemfd(_options.RestoreFd);
        var record = bytes == null ? null : HandOverRecord.Decode(bytes, out var error);
        if (record == null) HandOverLog.PredecessorStateUnreadable(_handOverLog, _options.RestoreFd);
        return record;
    }

    /// <summary>Successor start-up: adopt what survived exec, restore the engine, and start nothing.</summary>
    private void ContinueFromPredecessor(HandOverRecord record)
    {
        if (record.ListenerFd >= 0)
        {
            _listener = ControlListener.Adopt(_loop, record.ListenerFd, record.SocketPath, OnAccepted, message => ControlLog.ListenerError(_controlLog, message), message => ControlLog.ListenerWarning(_controlLog, message), out var error);
            if (_listener == null) HandOverLog.ControlSocketNotAdopted(_handOverLog, error!);
        }
        // Before Hello: the predecessor's parked keys are ours, so what tinyinit hands back for them is a spare copy.
        _parked.Restore(record.NextParkKey, record.ParkKeys);
        if (record.LinkFd >= 0) ConnectLink(record.LinkFd);
        if (record.StateFd >= 0) _recorder = CrashRecorder.Adopt(record.StateFd);
        RestoreResult result;
        try
        {
            result = RestoreEngine(record);
        }
        catch (Exception e) when (e is SnapshotFormatException or InvalidOperationException or ArgumentException)
        {
            // The processes are still our children, but the engine knows nothing of them: say so loudly.
            HandOverLog.ServicesNotRestored(_handOverLog, e.Message);
            foreach (var (_, fd, _, key) in record.ReadinessPipes)
            {
                Libc.close(fd);
                _parked.Release(key);
            }
            DropActivationSockets(record);
            return;
        }
        foreach (var (name, fd, reported, key) in record.ReadinessPipes) AdoptReadinessPipe(name, fd, reported, key);
        AdoptActivationSockets(record, byNumber: true);
        AdoptNotifySocket(record, crashed: false);
        AdoptOutputs(record, planned: true);
        // Children that exited while no manager image ran: their SIGCHLD is still pending, but be sure.
        ReapChildren();
        HandOverLog.TookOver(_handOverLog, _services.Services.Count(), result.AdoptedPids);
    }

    /// <summary>The engine and the daemon's own state from a hand-over or crash record (throws when the engine cannot be restored; nothing is then changed).</summary>
    private RestoreResult RestoreEngine(HandOverRecord record)
    {
        var stamps = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var result = _services.Restore(record.EngineSnapshot, s =>
        {
            stamps[s.Name] = s.DescriptionStamp;
            return _catalog.LoadDescriptionOnly(s.Name);
        });
        foreach (var (pid, status) in record.UnownedExits) _unownedExits.Record(pid, status);
        _allStoppedPending = record.AllStoppedPending;
        _bootFailureHandled = record.BootFailureHandled;
        var standIns = result.StandIns.ToHashSet();
        foreach (var service in _services.Services)
        {
            var state = ServiceOsState.Of(service);
            if (!standIns.Contains(service)) state.RecordDescriptionTime(service.Description.SourcePath);
            if (stamps.TryGetValue(service.Name, out var stamp) && stamp.Length == 16)
            {
                var seconds = BinaryPrimitives.ReadInt64LittleEndian(stamp);
                var nanoseconds = BinaryPrimitives.ReadInt64LittleEndian(stamp.AsSpan(8));
                if (standIns.Contains(service)) (state.DescriptionSeconds, state.DescriptionNanoseconds) = (seconds, nanoseconds);
                else if (seconds != state.DescriptionSeconds || nanoseconds != state.DescriptionNanoseconds)
                    HandOverLog.DescriptionChanged(_handOverLog, service.Name);
            }
        }
        foreach (var service in result.StandIns)
            HandOverLog.DescriptionMissing(_handOverLog, service.Name);
        RestorePidFileProofs(record);
        _log.ConsoleHeld = _services.ConsoleHolder != null;
        _system.ConsoleForeground.Restore(record.Sections.GetValueOrDefault(ConsoleForeground.SectionName), lentToAService: _services.ConsoleHolder != null);
        _daemonStateChanged = true;
        return result;
    }

    /// <summary>
    /// An untracked pid-file process is signalled only while it is the process that was proven
    /// to be the service's (same start time): the proof must outlive the manager image, or the
    /// successor could never stop it. The crash record holds the start times; across a planned
    /// hand-over the process is read again (it was supervised up to the exec).
    /// </summary>
    private void RestorePidFileProofs(HandOverRecord record)
    {
        var recorded = new Dictionary<int, long>();
        foreach (var (pid, ticks) in record.ProcessStarts) recorded[pid] = ticks;
        foreach (var service in _services.Services)
        {
            if (!service.IsUntracked || service.Pid <= 0) continue;
            var start = recorded.TryGetValue(service.Pid, out var ticks) ? (ulong)ticks : ServiceProcessProof.StartTimeOf(service.Pid);
            var state = ServiceOsState.Of(service);
            (state.ProvenPid, state.ProvenStartTime) = (service.Pid, start);
        }
    }

    private void ConnectLink(int fd)
    {
        _link = InitLinkClient.Connect(_loop, fd, OnChildExited, OnInitSignal, problem => LinkLog.LinkProblem(_linkLog, problem), _parked);
        _link.CaughtUp = OnLinkCaughtUp;
        _system.InitForwardsExits = true;   // tinyinit started us: it reaps what we leave and reports it
        _link.EventsLost = _ => RecheckOrphans();
    }

    private void AdoptReadinessPipe(string name, int fd, bool reported, int parkKey)
    {
        if (_services.FindIncludingPlaceholders(name) is not { } service)
        {
            Libc.close(fd);
            _parked.Release(parkKey);
            return;
        }
        ExecInPlace.SetCloseOnExec(fd, true);
        try
        {
            ServiceOsState.Of(service).Readiness = new ReadinessPipe(_loop, fd,
                () => _services.ReadinessReported(service),
                () => _services.ReadinessClosed(service),
                reported, _parked, parkKey);
        }
        catch (Os.OsException e)
        {
            Libc.close(fd);
            _parked.Release(parkKey);
            HandOverLog.ReadinessPipeNotWatched(_handOverLog, service.Name, e.Message);
        }
    }

    /// <summary>
    /// The output pipes of the predecessor (section "logs"): by number after a planned hand-over,
    /// from the parked copies after a crash (a log file is then opened again; a buffer's contents
    /// are lost, as documented).
    /// </summary>
    private void AdoptOutputs(HandOverRecord record, bool planned)
    {
        if (!record.Sections.TryGetValue(OutputHandOverSection.Name, out var payload)) return;
        if (OutputHandOverSection.Decode(payload) is not { } entries)
        {
            OutputLog.SectionUnreadable(_handOverLog);
            return;
        }
        foreach (var e in entries)
        {
            var (readFd, writeFd) = planned ? (e.ReadFd, e.WriteFd) : (TakeParked(e.ReadKey), TakeParked(e.WriteKey));
            if (readFd < 0 || writeFd < 0)
            {
                foreach (var fd in new[] { readFd, writeFd, planned ? e.FileFd : -1 }) if (fd >= 0) Libc.close(fd);
                _parked.Release(e.ReadKey);
                _parked.Release(e.WriteKey);
                OutputLog.PipeLost(_handOverLog, e.Name);
                continue;
            }
            var fileFd = planned ? e.FileFd : -1;
            foreach (var fd in new[] { readFd, writeFd, fileFd }) if (fd >= 0) ExecInPlace.SetCloseOnExec(fd, true);
            _system.Outputs.Adopt(e.Name, e.Kind, readFd, writeFd, e.BufferCapacity, (e.ReadKey, e.WriteKey), e.Buffered, fileFd, e.FilePath);
            if (!planned && e.Kind == OutputKind.File && _services.Find(e.Name) is { } service)
                _system.Outputs.ReopenLogFile(service.Name, service.Description, out _);
        }
    }

    private int TakeParked(int key) => key > 0 && _parked.TryTake(key, out var fd) ? fd : -1;
}
