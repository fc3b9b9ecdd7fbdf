using Tinyinit.Daemon.Core;
using Tinyinit.Daemon.Output;
using Tinyinit.Native;
using Tinyinit.Engine;
using Tinyinit.Loader;
using Tinyinit.Protocol.Control;
using ServiceRecord = Tinyinit.Engine.ServiceRecord;
using Tinyinit.Protocol;
using WireDependency = Tinyinit.Protocol.Control.DependencyType;
using WireStatus = Tinyinit.Protocol.Control.ServiceStatus;

namespace Tinyinit.Daemon.Control;

/// <summary>
/// Answers control requests from the engine's records (<see cref="IControlBackend"/>). Service
/// objects handed to sessions are the engine's <see cref="ServiceRecord"/>s. States, stop
/// reasons and shutdown types are the shared vocabulary (Tinyinit.Protocol); dependency types
/// and exec stages are mapped here.
/// </summary>
internal sealed class EngineControlBackend : IControlBackend
{
    private readonly ServiceSet _services;
    private readonly ServiceCatalog _catalog;
    private readonly GlobalEnvironment _environment;
    private readonly Action<ShutdownType> _onShutdown;
    private readonly Func<string?, string?> _onHandOver;
    private readonly Func<string?, string?>? _onReexecInit;

    /// <param name="onHandOver">RESTARTMANAGER: schedules the hand-over, or returns why not.</param>
    /// <param name="onReexecInit">REEXECINIT: passes the request to PID 1, or returns why not.</param>
    public EngineControlBackend(ServiceSet services, ServiceCatalog catalog, GlobalEnvironment environment, Action<ShutdownType> onShutdown,
        Func<string?, string?> onHandOver, Func<string?, string?>? onReexecInit = null)
    {
        _onHandOver = onHandOver;
        _onReexecInit = onReexecInit;
        _services = services;
        _catalog = catalog;
        _environment = environment;
        _onShutdown = onShutdown;
    }

    public object? FindService(string name) => _services.Find(name);

    /// <summary>The manager's own status (MANAGERSTATUS), supplied by the daemon.</summary>
    public Func<ManagerStatusInfo>? ManagerStatusSource { get; set; }

    public ManagerStatusInfo? ManagerStatus() => ManagerStatusSource?.Invoke();

    public bool RestartManager(string? executablePath, out string reason)
    {
        reason = _onHandOver(executablePath) ?? "";
        return reason.Length == 0;
    }

    public bool ReexecInit(string? executablePath, out string reason)
    {
        reason = _onReexecInit == null ? "this manager cannot pass requests to PID 1" : _onReexecInit(executablePath) ?? "";
        return reason.Length == 0;
    }

    public object? LoadService(string name, out LoadFailure failure)
    {
        var record = _catalog.FindOrLoadLogged(name, out var error);
        failure = error == null ? (record == null ? LoadFailure.LoadError : LoadFailure.None) : error.Kind switch
        {
            LoadErrorKind.NotFound => LoadFailure.NotFound,
            LoadErrorKind.DescriptionError => LoadFailure.DescriptionError,
            _ => LoadFailure.LoadError,
        };
        return record;
    }

    public WireStatus GetStatus(object service) => StatusOf((ServiceRecord)service);

    public string NotifyStatus(object service) => ((ServiceRecord)service).NotifyStatus;

    internal static WireStatus StatusOf(ServiceRecord s)
    {
        var flags = StatusFlags.None;
        if (s.WaitingForConsole) flags |= StatusFlags.WaitingForConsole;
        if (s.HasConsole) flags |= StatusFlags.HoldsConsole;
        if (s.StartSkipped) flags |= StatusFlags.StartSkipped;
        if (s.IsExplicitlyStarted) flags |= StatusFlags.ExplicitlyActivated;
        var pid = s.Pid > 0 ? s.Pid : 0;
        if (pid > 0) flags |= StatusFlags.HasPid;
        var (exitCode, exitStatus) = SplitWaitStatus(s.ExitStatus, s.StopReason);
        var os = ServiceOsState.Of(s);
        return new WireStatus(
            s.State, s.TargetState, flags, s.StopReason,
            StageCode(s.ExecFailureStage), pid, s.ExecFailureErrno, exitCode, exitStatus,
            os.DescriptionSeconds, os.DescriptionNanoseconds);
    }

    /// <summary>si_code/si_status of the last exit; (0, 0) when the process never exited.</summary>
    private static (int Code, int Status) SplitWaitStatus(int raw, StopReason reason)
    {
        // A raw 0 is a clean exit only where a process did exit: TERMINATED, and FAILED (a
        // bgprocess launcher that exited 0 without a usable PID file: semantics.md §9.4, the
        // client prints "exited - status 0", not "unknown reason").
        if (raw == 0 && reason is not (StopReason.Terminated or StopReason.Failed)) return (0, 0);
        if (WaitStatus.Exited(raw)) return (WireStatus.ExitCodeExited, WaitStatus.ExitCode(raw));
        var dumped = (raw & 0x80) != 0;
        return (dumped ? WireStatus.ExitCodeDumped : WireStatus.ExitCodeKilled, WaitStatus.TermSignal(raw));
    }

    private static ushort StageCode(string stage)
    {
        if (string.IsNullOrEmpty(stage)) return 0;
        for (ushort code = 0; code <= ExecStage.DoExec; code++)
            if (ExecStage.Describe(code) == stage) return code;
        return ExecStage.DoExec;
    }

    public string GetName(object service) => ((ServiceRecord)service).Name;

    public IEnumerable<object> AllServices() => _services.Services.Where(s => !s.IsPlaceholder);

    public ReplyCode Start(object service, bool pin) => Reply(_services.Start((ServiceRecord)service, pin));

    public ReplyCode Stop(object service, bool pin, bool gentle, out IReadOnlyList<object> dependents)
    {
        var result = _services.Stop((ServiceRecord)service, force: false, pin, gentle, out var blocking);
        dependents = blocking;
        return Reply(result);
    }

    public ReplyCode Restart(object service, bool gentle, out IReadOnlyList<object> dependents)
    {
        var result = _services.Restart((ServiceRecord)service, gentle, out var blocking);
        dependents = blocking;
        return Reply(result);
    }

    public ReplyCode Wake(object service, bool pin) => Reply(_services.Wake((ServiceRecord)service, pin));

    public ReplyCode Release(object service, bool pin) => Reply(_services.Release((ServiceRecord)service, pin));

    public void Unpin(object service) => _services.Unpin((ServiceRecord)service);

    public bool Unload(object service)
    {
        var record = (ServiceRecord)service;
        var consumerOf = record.Description.ConsumerOf;   // an unloaded record may turn into a placeholder
        if (_services.Unload(record) != CommandResult.Ack) return false;
        if (Outputs == null) return true;
        Outputs.Forget(record.Name, HasLoadedConsumer);
        // A consumer's pipe made before its producer was loaded goes with the last one to need it.
        if (consumerOf is { } producer && _services.Find(producer) is null or { Description.IsPlaceholder: true })
            Outputs.Forget(producer, _ => false);
        return true;
    }

    private bool HasLoadedConsumer(string producer) =>
        _services.Services.Any(s => s.Description.ConsumerOf == producer);

    public bool Reload(object service) => _catalog.Reload((ServiceRecord)service);

    public void Shutdown(ShutdownType type) => _onShutdown(type);

    public bool AddDependency(object from, object to, WireDependency type) =>
        _services.AddDependency((ServiceRecord)from, (ServiceRecord)to, (Loader.DependencyType)type, enable: false) == CommandResult.Ack;

    public bool RemoveDependency(object from, object to, WireDependency type) =>
        _services.RemoveDependency((ServiceRecord)from, (ServiceRecord)to, (Loader.DependencyType)type) == CommandResult.Ack;

    public bool EnableDependency(object from, object to, WireDependency type, out bool existed) =>
        _services.AddDependency((ServiceRecord)from, (ServiceRecord)to, (Loader.DependencyType)type, enable: true, out existed) == CommandResult.Ack;

    public LoaderMechanism QueryLoadMechanism() => new(Environment.CurrentDirectory, _catalog.ServiceDirectories);

    public string? GetServiceDirectory(object service)
    {
        var directory = ((ServiceRecord)service).Description.ServiceDirectory;
        return string.IsNullOrEmpty(directory) ? null : directory;
    }

    public bool SetTrigger(object service, bool value) => _services.SetTrigger((ServiceRecord)service, value) == CommandResult.Ack;

    /// <summary>Every service's output pipe (set by the daemon; null in tests of the backend alone).</summary>
    public ServiceOutputs? Outputs { get; init; }

    public byte[]? CatLog(object service, bool clear)
    {
        var record = (ServiceRecord)service;
        return Outputs?.ReadBuffer(record.Name, record.Description, clear) ?? (record.Description.LogType == LogType.Buffer ? [] : null);
    }

    public bool? ReopenLog(object service, out string reason)
    {
        reason = "";
        var record = (ServiceRecord)service;
        if (Outputs == null) return record.Description.LogType == LogType.File ? true : null;
        switch (Outputs.ReopenLogFile(record.Name, record.Description, out var errno))
        {
            case ReopenOutcome.NotLoggingToFile: return null;
            case ReopenOutcome.Failed:
                reason = $"{Output.LogFileOpener.PathOf(record.Description)}: {(errno == Libc.ELOOP ? "is a symbolic link (not followed)" : Libc.StrError(errno))}";
                return false;
            default: return true;
        }
    }

    public ReplyCode Signal(object service, int signal)
    {
        var record = (ServiceRecord)service;
        if (record.Pid <= 0) return ReplyCode.SignalNoPid;
        // kill(2) decides what a valid signal is: 0 is the null signal (an existence check),
        // an unknown number fails with EINVAL (control-protocol.md, SIGNAL).
        if (Libc.kill(record.Pid, signal) == 0) return ReplyCode.Ack;
        return Libc.Errno == Libc.EINVAL ? ReplyCode.SignalBadSignal : ReplyCode.SignalKillError;
    }

    public bool SetEnvironment(string name, string? value, out bool hadValue)
    {
        hadValue = _environment.Set(name, value);
        return GlobalEnvironment.IsAcceptable(name, value);
    }

    public IEnumerable<string> GetEnvironment() => _environment.Assignments();

    private static ReplyCode Reply(CommandResult result) => result switch
    {
        CommandResult.Ack => ReplyCode.Ack,
        CommandResult.AlreadyInState => ReplyCode.AlreadyInState,
        CommandResult.PinnedStarted => ReplyCode.PinnedStarted,
        CommandResult.PinnedStopped => ReplyCode.PinnedStopped,
        CommandResult.ShuttingDown => ReplyCode.ShuttingDown,
        CommandResult.Dependents => ReplyCode.Dependents,
        _ => ReplyCode.Nak,
    };
}
