using Tinyinit.Protocol.Control;

namespace Tinyinit.Protocol.Tests.Control.Fakes;

/// <summary>
/// A service manager in miniature for session and client tests. Synchronous services change
/// state inside the call (events before the reply); the others go to STARTING/STOPPING and
/// finish when the test (or the fake server loop) calls <see cref="CompletePending"/>.
/// Every call is recorded in <see cref="Calls"/>.
/// </summary>
public sealed class FakeBackend : IControlBackend
{
    private readonly List<FakeService> _pending = [];

    public ControlHub Hub { get; } = new();
    public List<FakeService> Loaded { get; } = [];
    public Dictionary<string, FakeService> OnDisk { get; } = [];
    public Dictionary<string, LoadFailure> LoadFailures { get; } = [];
    public List<string> Calls { get; } = [];
    public Dictionary<string, string> Environment { get; } = [];
    public bool ShuttingDown { get; set; }
    public ShutdownType? ShutdownRequested { get; private set; }
    public string WorkingDirectory { get; set; } = "/";
    public List<string> ServiceDirectories { get; } = ["/etc/tinyinit.d", "services"];
    public bool ReloadSucceeds { get; set; } = true;
    /// <summary>RESTARTMANAGER: null refuses as a manager without hand-over would; else returns a refusal or null to accept.</summary>
    public Func<string?, string?>? HandOver { get; set; }

    bool IControlBackend.RestartManager(string? executablePath, out string reason)
    {
        reason = HandOver == null ? "this manager cannot hand over" : HandOver(executablePath) ?? "";
        return reason.Length == 0;
    }

    public FakeService Add(string name, ServiceState state = ServiceState.Stopped, bool synchronous = false)
    {
        var service = new FakeService(name) { Synchronous = synchronous };
        service.Status = new ServiceStatus(state, state == ServiceState.Stopped ? ServiceState.Stopped : ServiceState.Started);
        Loaded.Add(service);
        return service;
    }

    public object? FindService(string name) => Loaded.FirstOrDefault(s => s.Name == name);

    string IControlBackend.NotifyStatus(object service) => ((FakeService)service).NotifyStatus;

    public object? LoadService(string name, out LoadFailure failure)
    {
        Calls.Add($"load {name}");
        failure = LoadFailure.None;
        if (FindService(name) is { } found) return found;
        if (LoadFailures.TryGetValue(name, out var f)) { failure = f; return null; }
        if (OnDisk.Remove(name, out var fresh)) { Loaded.Add(fresh); return fresh; }
        failure = LoadFailure.NotFound;
        return null;
    }

    public ServiceStatus GetStatus(object service) => ((FakeService)service).Status;
    public string GetName(object service) => ((FakeService)service).Name;
    public IEnumerable<object> AllServices() => Loaded;

    public ReplyCode Start(object service, bool pin)
    {
        var s = (FakeService)service;
        Calls.Add($"start {s.Name} pin={pin}");
        if (ShuttingDown) return ReplyCode.ShuttingDown;
        if (s.PinnedStopped && s.Status.State is ServiceState.Stopped or ServiceState.Stopping) return ReplyCode.PinnedStopped;
        if (pin) s.PinnedStarted = true;
        if (s.Status.State == ServiceState.Started) return ReplyCode.AlreadyInState;
        s.Status = s.Status with { Target = ServiceState.Started, Flags = s.Status.Flags | StatusFlags.ExplicitlyActivated };
        return Begin(s, ServiceState.Started);
    }

    public ReplyCode Stop(object service, bool pin, bool gentle, out IReadOnlyList<object> dependents)
    {
        var s = (FakeService)service;
        Calls.Add($"stop {s.Name} pin={pin} gentle={gentle}");
        dependents = [];
        if (s.PinnedStarted && s.Status.State is ServiceState.Started or ServiceState.Starting) return ReplyCode.PinnedStarted;
        if (gentle && s.Dependents.Count > 0) { dependents = s.Dependents; return ReplyCode.Dependents; }
        if (pin) s.PinnedStopped = true;
        if (s.Status.State == ServiceState.Stopped) return ReplyCode.AlreadyInState;
        s.Status = s.Status with { Target = ServiceState.Stopped, Flags = s.Status.Flags & ~StatusFlags.ExplicitlyActivated };
        return Begin(s, ServiceState.Stopped);
    }

    public ReplyCode Restart(object service, bool gentle, out IReadOnlyList<object> dependents)
    {
        var s = (FakeService)service;
        Calls.Add($"restart {s.Name} gentle={gentle}");
        dependents = [];
        if (ShuttingDown) return ReplyCode.ShuttingDown;
        if (gentle && s.Dependents.Count > 0) { dependents = s.Dependents; return ReplyCode.Dependents; }
        if (s.Status.State != ServiceState.Started) return ReplyCode.Nak;
        // Stop now (no process in the fake), start later unless synchronous.
        s.Status = s.Status with { State = ServiceState.Stopped, Flags = s.Status.Flags & ~StatusFlags.HasPid };
        Hub.BroadcastServiceEvent(s, ServiceEventCode.Stopped);
        return Begin(s, ServiceState.Started);
    }

    public ReplyCode Wake(object service, bool pin)
    {
        var s = (FakeService)service;
        Calls.Add($"wake {s.Name}");
        if (s.Status.State == ServiceState.Started) return ReplyCode.AlreadyInState;
        return ReplyCode.Nak;
    }

    public ReplyCode Release(object service, bool pin)
    {
        var s = (FakeService)service;
        Calls.Add($"release {s.Name} pin={pin}");
        if (s.Status.State == ServiceState.Stopped) return ReplyCode.AlreadyInState;
        s.Status = s.Status with { Flags = s.Status.Flags & ~StatusFlags.ExplicitlyActivated };
        if (s.RequiredByDependents) return ReplyCode.Ack;
        s.Status = s.Status with { Target = ServiceState.Stopped };
        return Begin(s, ServiceState.Stopped);
    }

    private ReplyCode Begin(FakeService s, ServiceState goal)
    {
        var transitional = goal == ServiceState.Started ? ServiceState.Starting : ServiceState.Stopping;
        s.Status = s.Status with { State = transitional, Target = goal };
        if (!s.Synchronous)
        {
            _pending.Add(s);
            return ReplyCode.Ack;
        }
        Finish(s);
        return s.Status.State == goal ? ReplyCode.AlreadyInState : ReplyCode.Ack;
    }

    /// <summary>Finishes every pending transition, emitting events (as process exits/readiness would, later than the reply).</summary>
    public void CompletePending()
    {
        var pending = _pending.ToArray();
        _pending.Clear();
        foreach (var s in pending) Finish(s);
    }

    public bool HasPending => _pending.Count > 0;

    private void Finish(FakeService s)
    {
        if (s.Status.Target == ServiceState.Started && s.FailStartWith is { } failure)
        {
            s.Status = failure;
            Hub.BroadcastServiceEvent(s, ServiceEventCode.FailedStart);
            Hub.BroadcastServiceEvent(s, ServiceEventCode.Stopped);
            return;
        }
        if (s.Status.Target == ServiceState.Started)
        {
            s.Status = s.Status with { State = ServiceState.Started, Flags = s.Status.Flags | (s.Synchronous ? 0 : StatusFlags.HasPid), Pid = s.Synchronous ? 0 : s.Pid };
            Hub.BroadcastServiceEvent(s, ServiceEventCode.Started);
        }
        else
        {
            s.Status = s.Status with { State = ServiceState.Stopped, Flags = s.Status.Flags & ~StatusFlags.HasPid, Pid = 0 };
            Hub.BroadcastServiceEvent(s, ServiceEventCode.Stopped);
        }
    }

    public void Unpin(object service)
    {
        var s = (FakeService)service;
        Calls.Add($"unpin {s.Name}");
        s.PinnedStarted = s.PinnedStopped = false;
    }

    public bool Unload(object service)
    {
        var s = (FakeService)service;
        Calls.Add($"unload {s.Name}");
        if (s.Status.State != ServiceState.Stopped || s.Dependents.Count > 0) return false;
        Loaded.Remove(s);
        return true;
    }

    public bool Reload(object service)
    {
        Calls.Add($"reload {((FakeService)service).Name}");
        return ReloadSucceeds;
    }

    public void Shutdown(ShutdownType type)
    {
        Calls.Add($"shutdown {type}");
        ShutdownRequested = type;
        ShuttingDown = true;
    }

    public bool AddDependency(object from, object to, DependencyType type)
    {
        var (f, t) = ((FakeService)from, (FakeService)to);
        Calls.Add($"add-dep {f.Name} {t.Name} {type}");
        if (t.Links.Any(l => l.To == f)) return false;
        if (!f.Links.Contains((t, type))) f.Links.Add((t, type));
        return true;
    }

    public bool RemoveDependency(object from, object to, DependencyType type)
    {
        var (f, t) = ((FakeService)from, (FakeService)to);
        Calls.Add($"rm-dep {f.Name} {t.Name} {type}");
        return f.Links.Remove((t, type));
    }

    public bool EnableDependency(object from, object to, DependencyType type, out bool existed)
    {
        var (f, t) = ((FakeService)from, (FakeService)to);
        existed = f.Links.Contains((t, type));
        if (!AddDependency(from, to, type)) return false;
        if (f.Status.State is ServiceState.Started or ServiceState.Starting && t.Status.State == ServiceState.Stopped) Begin(t, ServiceState.Started);
        return true;
    }

    public LoaderMechanism QueryLoadMechanism() => new(WorkingDirectory, ServiceDirectories);
    public string? GetServiceDirectory(object service) => ((FakeService)service).Directory;

    public bool SetTrigger(object service, bool value)
    {
        var s = (FakeService)service;
        if (!s.Triggered) return false;
        s.TriggerValue = value;
        return true;
    }

    public byte[]? CatLog(object service, bool clear)
    {
        var s = (FakeService)service;
        var log = s.Log;
        if (log != null && clear) s.Log = [];
        return log;
    }

    public bool? ReopenLog(object service, out string reason)
    {
        var s = (FakeService)service;
        Calls.Add($"reopen-log {s.Name}");
        reason = s.LogFile?.Reason ?? "";
        return s.LogFile?.Reopened;
    }

    public ReplyCode Signal(object service, int signal)
    {
        var s = (FakeService)service;
        Calls.Add($"signal {s.Name} {signal}");
        if (!s.Status.HasPid) return ReplyCode.SignalNoPid;
        return signal is < 0 or > 64 ? ReplyCode.SignalBadSignal : ReplyCode.Ack;
    }

    public bool SetEnvironment(string name, string? value, out bool hadValue)
    {
        hadValue = Environment.ContainsKey(name);
        if (name.Contains(' ')) return false; // the fake's stand-in for an invalid name
        if (value == null) Environment.Remove(name);
        else Environment[name] = value;
        return true;
    }

    public IEnumerable<string> GetEnvironment() => Environment.Select(kv => $"{kv.Key}={kv.Value}");
}
