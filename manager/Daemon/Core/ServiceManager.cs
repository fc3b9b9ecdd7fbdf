using System.Text;
using Tinyinit.Daemon.Control;
using Tinyinit.Daemon.Core;
using Tinyinit.Native;
using Tinyinit.Daemon.Link;
using Tinyinit.Daemon.Logging;
using Tinyinit.Daemon.Os;
using Tinyinit.Daemon.Startup;
using Tinyinit.Engine;
using Tinyinit.Loader;
using Tinyinit.Protocol.Control;
using Tinyinit.Protocol.InitLink;
using Tinyinit.Protocol;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using LogLevel = Tinyinit.Engine.LogLevel;

namespace Tinyinit.Daemon;

/// <summary>
/// The running manager: wires the event loop, the loader, the engine, the control socket and
/// the link to tinyinit together, starts the named services, and follows the lifecycle of
/// semantics.md §17 until it is time to exit.
///
/// Constraints: one thread; every stimulus (signal, child exit, timer, readiness, control
/// request, link message) is handled to completion on the loop. Nothing here may end the
/// process except the lifecycle's own decisions: handler faults are logged and the loop goes on.
/// Under tinyinit the manager never reboots anything itself: it stops every service, tells
/// tinyinit which shutdown to perform, and exits.
/// </summary>
internal sealed partial class ServiceManager
{
    private readonly DaemonOptions _options;
    private readonly ManagerLog _log;
    private readonly ILogger _lifecycleLog, _handOverLog, _recoveryLog, _controlLog, _linkLog, _notifyLog;
    private readonly bool _systemMode;
    private readonly bool _systemManager;
    private readonly EventLoop _loop;
    private readonly GlobalEnvironment _environment = GlobalEnvironment.FromProcess();
    private readonly ExitStatusBook _unownedExits = new();
    private readonly ControlHub _hub = new();
    private readonly List<ControlConnection> _connections = [];
    private readonly IdleHeapTrim _heapTrim = new();
    private readonly int _linkFd;
    private LinuxSystem _system = null!;
    private ServiceSet _services = null!;
    private ServiceCatalog _catalog = null!;
    private EngineControlBackend _backend = null!;
    private ControlListener? _listener;
    private ControlAccessPolicy? _access;
    private InitLinkClient? _link;
    private CrashRecorder? _recorder;
    private ParkedDescriptors _parked = null!;
    private string _socketPath = "";
    private bool _allStoppedPending;
    private bool _bootFailureHandled;
    private int? _exitStatus;

    private ServiceManager(DaemonOptions options, int linkFd)
    {
        _options = options;
        _linkFd = linkFd;
        _systemMode = options.SystemMode ?? Libc.getuid() == 0;
        // Under `tinyinit -u` the link is a user's supervisor, not PID 1: a user's manager still.
        var userSupervisor = linkFd >= 0 && Environment.GetEnvironmentVariable(InitLinkEnvironment.UserModeVariable) == "1";
        _systemManager = options.SystemManager ?? ((linkFd >= 0 && !userSupervisor) || Libc.getpid() == 1);
        var consoleLevel = options.ConsoleLevel ?? LogLevel.Warn;
        _log = new ManagerLog(1, consoleLevel, options.LogLevel ?? LogLevel.Info, statusLines: !options.Quiet || options.ConsoleLevel is not LogLevel.None,
            syslog: _systemMode, options.Program)
        {
            SystemManager = _systemManager,
        };
        _lifecycleLog = _log.CreateLogger(LifecycleLog.Category);
        _handOverLog = _log.CreateLogger(HandOverLog.Category);
        _recoveryLog = _log.CreateLogger(RecoveryLog.Category);
        _controlLog = _log.CreateLogger(ControlLog.Category);
        _linkLog = _log.CreateLogger(LinkLog.Category);
        _notifyLog = _log.CreateLogger(NotifyLog.Category);
        _loop = new EventLoop(e => LifecycleLog.InternalError(_lifecycleLog, e.GetType().Name, e.Message));
        _log.Attach(_loop);
    }

    /// <returns>The process exit status.</returns>
    public static int Run(DaemonOptions options, int linkFd)
    {
        var daemon = new ServiceManager(options, linkFd);
        var status = daemon.Start() ?? daemon.Loop();
        daemon._log.Drain();
        return status;
    }

    /// <summary>Start-up sequence (semantics.md §17.2); a non-null result is an exit status.</summary>
    private int? Start()
    {
        ChildReaper.BecomeSubreaper();
        _ = new SignalSource(_loop, ReapChildren, OnSignal);
        if (_options.LogFile != null && _log.OpenFile(_options.LogFile) is var logErrno and not 0)
        {
            LifecycleLog.LogFileOpenFailed(_lifecycleLog, Libc.StrError(logErrno));
            if (!_systemManager) return 1;
        }
        var predecessor = _options.RestoreFd >= 0 ? ReadHandOverRecord() : null;
        var crashed = predecessor == null ? ReadCrashRecord() : null;
        if ((predecessor ?? crashed) is { } previous) _environment.Replace(previous.Environment);
        else if (!ReadEnvironmentFile()) return 1;
        CreateEngine();
        _socketPath = ControlSocketPath.Resolve(_options.SocketPath, _systemMode, Environment.GetEnvironmentVariable, _options.Personality);
        if (predecessor != null)
        {
            ContinueFromPredecessor(predecessor);
            BeginGeneration(predecessor);
            ResumeMainLog();
            _parked.ReleaseUntaken();
            return null;
        }
        if (crashed != null)
        {
            if (RecoverFromCrash(crashed))
            {
                BeginGeneration(crashed);
                ResumeMainLog();
                return null;
            }
            _environment.Replace(GlobalEnvironment.FromProcess().Variables);
            if (!ReadEnvironmentFile()) return 1;
        }
        BeginGeneration(crashed);
        if (!OpenControlSocket() && !_systemManager) return 1;
        StopWhatAPreviousManagerLeft(crashed);
        if (_linkFd >= 0)
            ConnectLink(_linkFd);
        if (_systemManager) LifecycleLog.StartingSystem(_lifecycleLog);
        StartNamedServices();
        _parked.ReleaseUntaken();
        if (_services.ActiveCount == 0) _allStoppedPending = true;
        return null;
    }

    /// <summary>
    /// After a hand-over or a crash: the main log was connected in the previous manager if a
    /// <c>starts-log</c> service is started, and nothing will start it again to say so.
    /// </summary>
    private void ResumeMainLog()
    {
        if (_services.Services.Any(s => s.State == ServiceState.Started && (s.Description.Options & ServiceOptions.StartsLog) != 0))
            _log.MainLogAvailable();
    }

    /// <summary>A <c>starts-rwfs</c> service started: what needed a writable root is tried again (semantics.md §17.3).</summary>
    private void OnRootFilesystemWritable()
    {
        OpenControlSocket();
        if (_options.LogFile != null && !_log.FileOpen && _log.OpenFile(_options.LogFile) is var errno and not 0)
            LifecycleLog.LogFileOpenFailed(_lifecycleLog, Libc.StrError(errno));
    }

    private bool ReadEnvironmentFile()
    {
        var path = _options.EnvironmentFile ?? (_systemManager ? _options.Personality.SystemEnvironmentFile : null);
        if (path == null) return true;
        string text;
        try
        {
            text = BoundedFile.ReadText(path, BoundedFile.EnvironmentFileLimit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_options.EnvironmentFile == null && e is FileNotFoundException or DirectoryNotFoundException) return true;
            LifecycleLog.EnvironmentFileUnreadable(_lifecycleLog, path, DescribeIo(e));
            return _systemManager;
        }
        foreach (var problem in _environment.ApplyFile(text, path)) LifecycleLog.EnvironmentFileLineIgnored(_lifecycleLog, problem);
        return true;
    }

    private static string DescribeIo(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Libc.StrError(Libc.ENOENT),
        UnauthorizedAccessException => Libc.StrError(13),
        _ => e.Message,
    };

    private void CreateEngine()
    {
        var mayKillAll = _linkFd >= 0 && Libc.getppid() == 1;
        _system = new LinuxSystem(_loop, _log, _environment, _unownedExits, mayKillAll, underInit: _linkFd >= 0);
        _system.Cgroups = CgroupPaths.ForManager(_options.CgroupPath, managerOfPid1: _systemManager && (mayKillAll || Libc.getpid() == 1), CgroupPaths.ReadSelfCgroup);
        _parked = new ParkedDescriptors(problem => LinkLog.ParkingProblem(_linkLog, problem));
        _system.Parking = _parked;
        _system.Outputs.Parking = _parked;
        _services = new ServiceSet(_system);
        _system.Services = _services;
        var directories = _options.ServiceDirectories.Count > 0
            ? _options.ServiceDirectories
            : LoaderOptions.DefaultDirectories(!_systemMode, Environment.GetEnvironmentVariable, _options.Personality);
        var loader = new ServiceLoader(new LoaderOptions
        {
            ServiceDirectories = directories,
            Environment = _environment.Variables,
            UserMode = !_systemMode,
            FindLoaded = name => _services.Find(name)?.Description,
        });
        var catalogLog = _log.CreateLogger(CatalogLog.Category);
        _catalog = new ServiceCatalog(loader, _services, problem => CatalogLog.LoadError(catalogLog, problem), problem => CatalogLog.LoadWarning(catalogLog, problem));
        _system.Loader = name =>
        {
            var record = _catalog.FindOrLoadLogged(name, out var error);
            return (record, error?.Message ?? "");
        };
        _system.OnRootFilesystemWritable = OnRootFilesystemWritable;
        _system.OnPassedControlConnection = ServePassedConnection;
        _system.NotifyAddress = NotifyAddress;
        _system.LogsBoot = _systemManager;
        _backend = new EngineControlBackend(_services, _catalog, _environment, RequestShutdown, RequestHandOver, RequestReexecInit)
        {
            Outputs = _system.Outputs,
            ManagerStatusSource = () => new ManagerStatusInfo((uint)_generation, _startedAt.ToUnixTimeSeconds(),
                (uint)_lastRecordBytes, (uint)Math.Min(_lastRecordMicros, uint.MaxValue)),
        };
        _services.ServiceEvent += (service, serviceEvent) => _hub.BroadcastServiceEvent(service, (ServiceEventCode)serviceEvent);
        _services.AllServicesStopped += () => _allStoppedPending = true;
    }

    private bool OpenControlSocket()
    {
        if (_listener != null && File.Exists(_listener.Path)) return true;
        _listener?.Dispose();
        _listener = ControlListener.Open(_loop, _socketPath, _systemMode ? _options.SocketGroup?.Gid : null, OnAccepted, message => ControlLog.ListenerError(_controlLog, message), message => ControlLog.ListenerWarning(_controlLog, message), out var error);
        if (_listener == null)
        {
            LifecycleLog.ControlSocketUnavailable(_lifecycleLog, error!);
            return false;
        }
        SignalReadiness();
        return true;
    }

    /// <summary><c>-F FD</c>: the socket path and a NUL once clients can connect (§17.2 step 9).</summary>
    private unsafe void SignalReadiness()
    {
        if (_options.ReadyFd < 0) return;
        var bytes = Encoding.UTF8.GetBytes(_socketPath + "\0");
        fixed (byte* p = bytes) Libc.write(_options.ReadyFd, p, bytes.Length);
        if (_options.ReadyFd > 2) Libc.close(_options.ReadyFd);
        _options.ReadyFd = -1;
    }

    /// <returns>True when the descriptor stays open as a connection (the listener counts it).</returns>
    private bool OnAccepted(int fd)
    {
        _access ??= ControlAccessPolicy.For(_options, _systemMode);
        var admission = _access.Admit(fd);
        if (admission.Access == ControlAccess.None)
        {
            ControlRefusal.SendAndClose(fd, admission.Reason);
            return false;
        }
        var session = new ControlSession(_backend, _hub) { Access = admission.Access, RefusalReason = admission.Reason };
        var listener = _listener;
        try
        {
            _connections.Add(new ControlConnection(_loop, fd, session, c =>
                {
                    _connections.Remove(c);
                    _access.Release(admission);
                    listener?.ConnectionClosed();
                },
                e => LifecycleLog.ControlConnectionFault(_lifecycleLog, e.GetType().Name, e.Message)));
            return true;
        }
        catch (OsException e)
        {
            // The loop could not take the socket (epoll_ctl failed): refuse this client, keep serving.
            session.Close();
            Libc.close(fd);
            _access.Release(admission);
            LifecycleLog.AcceptFailed(_lifecycleLog, e.Message);
            return false;
        }
    }

    /// <summary>
    /// pass-cs-fd: the manager's end of a service's socketpair. The service file asked for it, so
    /// the connection has full access (the reference's rule), outside the listener's and the
    /// per-uid counts.
    /// </summary>
    private void ServePassedConnection(int fd)
    {
        var session = new ControlSession(_backend, _hub) { Access = ControlAccess.Full };
        try
        {
            _connections.Add(new ControlConnection(_loop, fd, session, c => _connections.Remove(c),
                e => ControlLog.ConnectionFault(_controlLog, e.GetType().Name, e.Message)));
        }
        catch (OsException e)
        {
            session.Close();
            Libc.close(fd);
            ControlLog.PassedConnectionNotServed(_controlLog, e.Message);
        }
    }

    private void StartNamedServices()
    {
        var names = _options.Services.Count > 0 ? _options.Services : ["boot"];
        foreach (var name in names)
        {
            var record = _catalog.FindOrLoad(name, out var error);
            if (error != null)
            {
                foreach (var line in error.StartupLogLines) LifecycleLog.NamedServiceNotLoaded(_lifecycleLog, line);
                continue;
            }
            if (record != null) _services.Start(record, pin: false);
        }
    }

    private int Loop()
    {
        while (true)
        {
            // Settle everything the last stimulus caused before blocking again.
            Guarded(AfterTurn);
            if (_exitStatus != null) break;
            Guarded(HandOverIfRequested);
            var busy = _services.HasPendingWork || _services.HasLaunchOutcomes || _allStoppedPending;
            var trimWhenQuiet = !busy && _heapTrim.Due;
            var ready = _loop.RunOnce(busy ? 0 : trimWhenQuiet ? IdleHeapTrim.QuietMilliseconds : -1);
            if (trimWhenQuiet && ready == 0) Guarded(_heapTrim.Trim);
        }
        return Finish(_exitStatus.Value);
    }

    private void AfterTurn()
    {
        if (_services.HasPendingWork) _services.ProcessPending();
        // Before any reply leaves: a client must never see an ACK for state the crash record lacks.
        WriteCrashRecord();
        FlushConnections();
        // Only now, behind the replies of the commands that caused them (control-protocol.md,
        // "Process launches complete asynchronously"); launches made meanwhile wait a turn.
        if (_services.HasLaunchOutcomes)
        {
            _services.CompleteLaunches();
            WriteCrashRecord();
            FlushConnections();
        }
        if (_allStoppedPending && _services.ActiveCount == 0)
        {
            _allStoppedPending = false;
            OnAllServicesStopped();
        }
        WriteCrashRecord();
    }

    private void FlushConnections()
    {
        foreach (var connection in _connections.ToArray()) connection.Flush();
    }

    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            LifecycleLog.InternalError(_lifecycleLog, e.GetType().Name, e.Message);
        }
    }

    // ---- child processes -------------------------------------------------------------------

    private void ReapChildren() => ChildReaper.ReapAll(OnChildExited);

    /// <summary>A child of ours (or an orphan tinyinit reaped) exited: the engine decides what it means.</summary>
    private void OnChildExited(int pid, int waitStatus)
    {
        _vanished.Remove(pid);
        if (!_system.ForgetSpawned(pid)) _unownedExits.Record(pid, waitStatus);
        _services.ProcessExited(pid, waitStatus);
        _daemonStateChanged = true;
    }

    // ---- signals and shutdown --------------------------------------------------------------

    private void OnSignal(int signal)
    {
        switch (signal)
        {
            case Libc.SIGTERM: RequestShutdown(ShutdownType.Halt); break;
            case Libc.SIGINT: RequestShutdown(_systemManager ? ShutdownType.Reboot : ShutdownType.Halt); break;
            case Libc.SIGQUIT: QuitImmediately(); break;
            case Libc.SIGUSR1: OpenControlSocket(); break;
            default: break; // SIGHUP and the rest: ignored, as a service manager should
        }
    }

    /// <summary>Signals PID 1 received and forwarded (an administrator's or the kernel's request).</summary>
    private void OnInitSignal(int signal)
    {
        switch (signal)
        {
            case Libc.SIGTERM: RequestShutdown(ShutdownType.Halt); break;
            case Libc.SIGINT: RequestShutdown(_systemManager ? ShutdownType.Reboot : ShutdownType.Halt); break;
            case Libc.SIGQUIT or Libc.SIGUSR2 or Libc.SIGPWR: RequestShutdown(ShutdownType.PowerOff); break;
            case Libc.SIGUSR1: OpenControlSocket(); break;
            default: LifecycleLog.ForwardedSignalIgnored(_lifecycleLog, signal); break;
        }
    }

    /// <summary>SIGQUIT (§17.4): no service roll-back. Under tinyinit PID 1 powers off; standalone we just end.</summary>
    private void QuitImmediately()
    {
        _listener?.Dispose();
        _listener = null;
        if (_link?.IsOpen == true) _link.SendShutdown(ShutdownType.PowerOff);
        _exitStatus = _systemManager ? 0 : 128 + Libc.SIGQUIT;
    }

    private void RequestShutdown(ShutdownType type)
    {
        _services.Shutdown(type);
        if (_services.ActiveCount == 0) _allStoppedPending = true;
    }

    /// <summary>semantics.md §17.5: what to do when nothing is active any more.</summary>
    private void OnAllServicesStopped()
    {
        var type = _services.IsShuttingDown ? _services.ShutdownType : ShutdownType.None;
        if (type == ShutdownType.Remain) return;
        if (!_systemManager)
        {
            // A user's manager ends when its services have; a supervising tinyinit -u must end too, not restart us.
            if (_link?.IsOpen == true) _link.SendShutdown(type is ShutdownType.None or ShutdownType.Remain ? ShutdownType.Halt : type);
            _exitStatus = 0;
            return;
        }
        if (type == ShutdownType.None)
        {
            HandleBootFailure();
            return;
        }
        LifecycleLog.NoMoreActiveServices(_lifecycleLog, WillText(type));
        if (_link?.IsOpen == true && _link.SendShutdown(type))
        {
            _exitStatus = 0;
            return;
        }
        if (_linkFd >= 0)
        {
            // The link is gone but tinyinit is still our parent: the exit status carries the request.
            _exitStatus = 240 + (int)type;
            return;
        }
        LifecycleLog.NoInitForShutdown(_lifecycleLog);
        _exitStatus = 0;
    }

    private static string WillText(ShutdownType type) => type switch
    {
        ShutdownType.Reboot => " Will reboot.",
        ShutdownType.SoftReboot => " Will soft-reboot.",
        ShutdownType.Halt => " Will halt.",
        ShutdownType.Kexec => " Will kexec.",
        _ => " Will power down.",
    };

    /// <summary>
    /// §17.6, non-interactive form: start recovery if asked, else report and take the headless
    /// action (<c>--boot-failure</c> / <c>TINYINIT_BOOT_FAILURE</c>, default halt). The
    /// recovery service is tried once per boot; if it cannot start, the manager halts. (The
    /// interactive prompt on a terminal is not implemented.)
    /// </summary>
    private void HandleBootFailure()
    {
        var action = _options.BootFailure;
        if ((_options.AutoRecovery || action == BootFailureAction.Recovery) && !_bootFailureHandled)
        {
            _bootFailureHandled = true;
            var recovery = _catalog.FindOrLoadLogged("recovery", out var error);
            if (recovery != null && _services.Start(recovery, pin: false) is not CommandResult.Nak && _services.ActiveCount > 0) return;
            LifecycleLog.RecoveryServiceNotStarted(_lifecycleLog, error?.Message ?? "it did not start");
        }
        WriteStdout("All services have stopped with no shutdown issued; boot failure?\n");
        switch (action)
        {
            case BootFailureAction.Continue:
                WriteStdout("Continuing with no services (boot-failure action 'continue').\n");
                break;
            case BootFailureAction.Reboot:
                WriteStdout("Rebooting.\n");
                RequestShutdown(ShutdownType.Reboot);
                break;
            case BootFailureAction.PowerOff:
                WriteStdout("Powering off.\n");
                RequestShutdown(ShutdownType.PowerOff);
                break;
            default:
                WriteStdout("Halting.\n");
                RequestShutdown(ShutdownType.Halt);
                break;
        }
    }

    private static unsafe void WriteStdout(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes) Libc.write(1, p, bytes.Length);
    }

    private int Finish(int status)
    {
        foreach (var connection in _connections.ToArray()) connection.Flush();
        _listener?.Dispose();
        _link?.Dispose();
        _notify?.Remove();
        return status;
    }
}
