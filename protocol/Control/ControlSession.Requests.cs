using System.Buffers.Binary;
using System.Text;

namespace Tinyinit.Protocol.Control;

// One method per request (control-protocol.md §6). Each receives a complete request whose
// length RequestFraming has checked, and queues exactly the reply the spec gives.
public sealed partial class ControlSession
{
    private const byte PinFlag = 0x01;
    private const byte GentleFlag = 0x02;
    private const byte RestartFlag = 0x04;
    private const byte PreAckFlag = 0x80;

    private void Handle(byte[] r)
    {
        switch ((RequestCode)r[0])
        {
            case RequestCode.QueryVersion: QueryVersion(); break;
            case RequestCode.FindService: FindOrLoad(r, load: false); break;
            case RequestCode.LoadService: FindOrLoad(r, load: true); break;
            case RequestCode.StartService:
            case RequestCode.StopService:
            case RequestCode.WakeService:
            case RequestCode.ReleaseService: StateChange(r); break;
            case RequestCode.UnpinService: Unpin(r); break;
            case RequestCode.ListServices: List(1); break;
            case RequestCode.ListServices5: List(5); break;
            case RequestCode.UnloadService: Unload(r); break;
            case RequestCode.Shutdown: Shutdown(r); break;
            case RequestCode.AddDep:
            case RequestCode.RemDep:
            case RequestCode.EnableService:
            case RequestCode.EnableServiceV7: Dependency(r); break;
            case RequestCode.QueryLoadMech: QueryLoadMech(); break;
            case RequestCode.QueryServiceName: QueryServiceName(r); break;
            case RequestCode.ReloadService: Reload(r); break;
            case RequestCode.SetEnv: SetEnv(r); break;
            case RequestCode.ServiceStatus: Status(r, 1); break;
            case RequestCode.ServiceStatus5: Status(r, 5); break;
            case RequestCode.ServiceStatus6: Status(r, 6); break;
            case RequestCode.SetTrigger: SetTrigger(r); break;
            case RequestCode.CatLog: CatLog(r); break;
            case RequestCode.Signal: Signal(r); break;
            case RequestCode.QueryServiceDscDir: QueryServiceDirectory(r); break;
            case RequestCode.CloseHandle: CloseHandle(r); break;
            case RequestCode.GetAllEnv: GetAllEnv(r); break;
            case RequestCode.ListenEnv: _listensToEnvironment = true; _output.Code(ReplyCode.Ack); break;
            case RequestCode.RestartManager: RestartManager(r); break;
            case RequestCode.ManagerStatus: ManagerStatus(); break;
            case RequestCode.ReexecInit: ReexecInit(r); break;
            case RequestCode.NotifyStatus: NotifyStatus(r); break;
            case RequestCode.ReopenLog: ReopenLog(r); break;
            default: BadRequest(); break;
        }
    }

    private void QueryVersion()
    {
        _output.Code(ReplyCode.CpVersion);
        _output.UInt16(ProtocolVersion.MinimumCompatible);
        _output.UInt16(ProtocolVersion.Current);
    }

    private void FindOrLoad(byte[] r, bool load)
    {
        var nameBytes = r.AsSpan(3);
        if (nameBytes[0] is (byte)'.' or (byte)'@') { BadRequest(); return; }
        if (_handles.Count >= MaxHandles) { OutOfMemory(); return; }
        var name = DecodeName(nameBytes);
        var failure = LoadFailure.NotFound;
        var service = load ? _backend.LoadService(name, out failure) : _backend.FindService(name);
        if (service is null)
        {
            _output.Code(failure switch
            {
                LoadFailure.DescriptionError => ReplyCode.ServiceDescriptionError,
                LoadFailure.LoadError => ReplyCode.ServiceLoadError,
                _ => ReplyCode.NoService,
            });
            return;
        }
        var status = _backend.GetStatus(service);
        var handle = _handles.Allocate(service);
        _output.Code(ReplyCode.ServiceRecord);
        _output.Byte((byte)status.State);
        _output.UInt32(handle);
        _output.Byte((byte)status.Target);
    }

    private void StateChange(byte[] r)
    {
        var flags = r[1];
        var service = _handles.Find(ReadHandle(r, 2));
        if (service is null) { BadRequest(); return; }
        if ((flags & PreAckFlag) != 0) _output.Code(ReplyCode.PreAck);
        var pin = (flags & PinFlag) != 0;
        var gentle = (flags & GentleFlag) != 0;
        IReadOnlyList<object> dependents = [];
        var reply = (RequestCode)r[0] switch
        {
            RequestCode.StartService => _backend.Start(service, pin),
            RequestCode.WakeService => _backend.Wake(service, pin),
            RequestCode.ReleaseService => _backend.Release(service, pin),
            _ when (flags & RestartFlag) != 0 => _backend.Restart(service, gentle, out dependents),
            _ => _backend.Stop(service, pin, gentle, out dependents),
        };
        if (reply == ReplyCode.Dependents) WriteDependents(dependents);
        else _output.Code(reply);
    }

    private void WriteDependents(IReadOnlyList<object> dependents)
    {
        if (_handles.Count + dependents.Count > MaxHandles) { OutOfMemory(); return; }
        _output.Code(ReplyCode.Dependents);
        _output.UInt64((ulong)dependents.Count);
        foreach (var dependent in dependents) _output.UInt32(_handles.Allocate(dependent));
    }

    private void Unpin(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 1));
        if (service is null) { BadRequest(); return; }
        _backend.Unpin(service);
        _output.Code(ReplyCode.Ack);
    }

    private void List(int statusVersion)
    {
        var statusSize = StatusBuffer.SizeOf(statusVersion);
        foreach (var service in _backend.AllServices())
        {
            var name = Encoding.UTF8.GetBytes(_backend.GetName(service));
            // Names of 256+ bytes: truncated to 256 with length byte 0, as the reference sends (§6.12).
            var sent = name.AsSpan(0, Math.Min(name.Length, 256));
            _output.Code(ReplyCode.ServiceInfo);
            _output.Byte((byte)sent.Length);
            StatusBuffer.Write(_output.Reserve(statusSize), _backend.GetStatus(service), statusVersion);
            _output.Bytes(sent);
        }
        _output.Code(ReplyCode.ListDone);
    }

    private void Unload(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 1));
        if (service is null) { BadRequest(); return; }
        if (_hub.AnyOtherListens(service, this) || !_backend.Unload(service))
        {
            _output.Code(ReplyCode.Nak);
            return;
        }
        // Every handle of the service goes, not only the one named (§9.1: no dangling handles).
        _handles.ReleaseAll(service);
        _output.Code(ReplyCode.Ack);
    }

    private void Reload(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 1));
        if (service is null) { BadRequest(); return; }
        if (_hub.AnyOtherListens(service, this)) { _output.Code(ReplyCode.Nak); return; }
        _handles.ReleaseAll(service);
        _output.Code(_backend.Reload(service) ? ReplyCode.Ack : ReplyCode.Nak);
    }

    private void Shutdown(byte[] r)
    {
        var type = r[1];
        if (type is < (byte)ShutdownType.Remain or > (byte)ShutdownType.Kexec) { BadRequest(); return; }
        _backend.Shutdown((ShutdownType)type);
        _output.Code(ReplyCode.Ack);
    }

    private void Dependency(byte[] r)
    {
        var from = _handles.Find(ReadHandle(r, 2));
        var to = _handles.Find(ReadHandle(r, 6));
        if (from is null || to is null || ReferenceEquals(from, to)) { BadRequest(); return; }
        var type = (DependencyType)r[1];
        // Deliberate deviation (§9.1): an invalid type gets BADREQ + close without touching the graph.
        if (type is not (DependencyType.Regular or DependencyType.WaitsFor or DependencyType.Milestone)) { BadRequest(); return; }
        switch ((RequestCode)r[0])
        {
            case RequestCode.AddDep: AckOrNak(_backend.AddDependency(from, to, type)); break;
            case RequestCode.RemDep: AckOrNak(_backend.RemoveDependency(from, to, type)); break;
            case RequestCode.EnableService: AckOrNak(_backend.EnableDependency(from, to, type, out _)); break;
            default: EnableV7(from, to, type); break;
        }
    }

    private void EnableV7(object from, object to, DependencyType type)
    {
        if (!_backend.EnableDependency(from, to, type, out var existed)) { _output.Code(ReplyCode.Nak); return; }
        _output.Code(ReplyCode.ServiceStatus);
        _output.Byte(existed ? (byte)1 : (byte)0);
        StatusBuffer.Write(_output.Reserve(StatusBuffer.SizeV6), _backend.GetStatus(to), 6);
    }

    private void QueryLoadMech()
    {
        var mechanism = _backend.QueryLoadMechanism();
        var cwd = Encoding.UTF8.GetBytes(mechanism.WorkingDirectory);
        var dirs = mechanism.ServiceDirectories.Select(Encoding.UTF8.GetBytes).ToArray();
        var total = 2 + 4 + 4 + 4 + cwd.Length + dirs.Sum(d => 4 + d.Length);
        _output.Code(ReplyCode.LoaderMech);
        _output.Byte(1);
        _output.UInt32((uint)total);
        _output.UInt32((uint)dirs.Length);
        WriteU32String(cwd);
        foreach (var dir in dirs) WriteU32String(dir);
    }

    private void WriteU32String(ReadOnlySpan<byte> value)
    {
        _output.UInt32((uint)value.Length);
        _output.Bytes(value);
    }

    private void QueryServiceName(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 2));
        var name = service is null ? null : Encoding.UTF8.GetBytes(_backend.GetName(service));
        if (name is null || name.Length > ushort.MaxValue) { _output.Code(ReplyCode.Nak); return; }
        _output.Code(ReplyCode.ServiceName);
        _output.Byte(0);
        _output.UInt16((ushort)name.Length);
        _output.Bytes(name);
    }

    private void SetEnv(byte[] r)
    {
        var payload = r.AsSpan(3);
        var equals = payload.IndexOf((byte)'=');
        if (equals == 0) { BadRequest(); return; }
        var name = equals < 0 ? DecodeName(payload) : DecodeName(payload[..equals]);
        var value = equals < 0 ? null : DecodeName(payload[(equals + 1)..]);
        if (!_backend.SetEnvironment(name, value, out var hadValue)) { BadRequest(); return; }
        _hub.BroadcastEnvironmentEvent(payload, hadValue);
        _output.Code(ReplyCode.Ack);
    }

    private void Status(byte[] r, int version)
    {
        var service = _handles.Find(ReadHandle(r, 1));
        if (service is null) { _output.Code(ReplyCode.Nak); return; }
        _output.Code(ReplyCode.ServiceStatus);
        _output.Byte(0);
        StatusBuffer.Write(_output.Reserve(StatusBuffer.SizeOf(version)), _backend.GetStatus(service), version);
    }

    private void SetTrigger(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 1));
        AckOrNak(service is not null && _backend.SetTrigger(service, r[5] != 0));
    }

    private void CatLog(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 2));
        var log = service is null ? null : _backend.CatLog(service, (r[1] & 1) != 0);
        if (log is null) { _output.Code(ReplyCode.Nak); return; }
        _output.Code(ReplyCode.ServiceLog);
        _output.Byte(0);
        _output.UInt32((uint)log.Length);
        _output.Bytes(log);
    }

    private void Signal(byte[] r)
    {
        var signal = BinaryPrimitives.ReadInt32LittleEndian(r.AsSpan(1));
        var service = _handles.Find(ReadHandle(r, 5));
        _output.Code(service is null ? ReplyCode.Nak : _backend.Signal(service, signal));
    }

    private void QueryServiceDirectory(byte[] r)
    {
        var service = r[1] == 0 ? _handles.Find(ReadHandle(r, 2)) : null;
        var directory = service is null ? null : _backend.GetServiceDirectory(service);
        if (directory is null) { _output.Code(ReplyCode.Nak); return; }
        var bytes = Encoding.UTF8.GetBytes(directory);
        _output.Code(ReplyCode.ServiceDescriptionDirectory);
        WriteU32String(bytes);
    }

    private void CloseHandle(byte[] r)
    {
        var handle = ReadHandle(r, 1);
        if (_handles.Find(handle) is null) { BadRequest(); return; }
        _handles.Release(handle);
        _output.Code(ReplyCode.Ack);
    }

    private void GetAllEnv(byte[] r)
    {
        if (r[1] != 0) { BadRequest(); return; }
        var bytes = new List<byte>();
        foreach (var entry in _backend.GetEnvironment())
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(entry));
            bytes.Add(0);
        }
        _output.Code(ReplyCode.AllEnvironment);
        _output.UInt64((ulong)bytes.Count);
        _output.Bytes(bytes.ToArray());
    }

    private void RestartManager(byte[] r) =>
        AckOrRefuse(_backend.RestartManager(OptionalPath(r), out var reason), ReplyCode.HandOverRefused, reason);

    private void ManagerStatus()
    {
        if (_backend.ManagerStatus() is not { } info)
        {
            _output.Code(ReplyCode.Nak);
            return;
        }
        Span<byte> reply = stackalloc byte[ManagerStatusInfo.ReplyLength];
        info.Write(reply);
        _output.Bytes(reply);
    }

    /// <summary>NOTIFYSTATUS: the service's last sd_notify STATUS= text (the manager keeps at most 1000 characters).</summary>
    private void NotifyStatus(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 1));
        if (service is null) { _output.Code(ReplyCode.Nak); return; }
        var text = Encoding.UTF8.GetBytes(_backend.NotifyStatus(service));
        if (text.Length > ushort.MaxValue) text = text[..ushort.MaxValue];
        _output.Code(ReplyCode.NotifyStatus);
        _output.UInt16((ushort)text.Length);
        _output.Bytes(text);
    }

    private void ReexecInit(byte[] r) =>
        AckOrRefuse(_backend.ReexecInit(OptionalPath(r), out var reason), ReplyCode.ReexecInitRefused, reason);

    /// <summary>REOPENLOG: NAK for a bad handle or a service that does not log to a file.</summary>
    private void ReopenLog(byte[] r)
    {
        var service = _handles.Find(ReadHandle(r, 1));
        var reason = "";
        if (service is null || _backend.ReopenLog(service, out reason) is not { } reopened) { _output.Code(ReplyCode.Nak); return; }
        AckOrRefuse(reopened, ReplyCode.LogReopenFailed, reason);
    }

    /// <summary>RESTARTMANAGER and REEXECINIT: u16 length, then the UTF-8 path (none: the running executable).</summary>
    private static string? OptionalPath(byte[] r) => r.Length > 3 ? DecodeName(r.AsSpan(3)) : null;

    /// <summary>ACK, or the refusal code with a u16 length and the UTF-8 reason.</summary>
    private void AckOrRefuse(bool ok, ReplyCode refused, string reason)
    {
        if (ok)
        {
            _output.Code(ReplyCode.Ack);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(reason);
        var sent = bytes.AsSpan(0, Math.Min(bytes.Length, ushort.MaxValue));
        _output.Code(refused);
        _output.UInt16((ushort)sent.Length);
        _output.Bytes(sent);
    }

    private void AckOrNak(bool ok) => _output.Code(ok ? ReplyCode.Ack : ReplyCode.Nak);

    private void OutOfMemory()
    {
        _output.Code(ReplyCode.OutOfMemory);
        _finished = true;
    }
}
