using System.Text;
using Tinyinit.Native;
using Tinyinit.Daemon.Link;
using Tinyinit.Daemon.Logging;
using Tinyinit.Daemon.Os;
using Tinyinit.Engine;

namespace Tinyinit.Daemon.Core;

/// <summary>
/// The engine's window on Linux (<see cref="ISystem"/>): real processes through the C launcher,
/// signals, timers on the event loop's timerfd, readiness pipes, the manager's log.
///
/// Constraints: nothing here calls back into the <see cref="ServiceSet"/> synchronously;
/// results that arrive later (timer expiry, readiness) go through the set's input methods from
/// the event loop. Exit statuses are never lost: a reaped child that no service owns is kept in
/// the <see cref="ExitStatusBook"/> until the engine asks (<see cref="QueryPid"/>).
/// </summary>
internal sealed unsafe class LinuxSystem : ISystem
{
    private readonly EventLoop _loop;
    private readonly DaemonLog _log;
    private readonly GlobalEnvironment _environment;
    private readonly ExitStatusBook _unownedExits;
    private readonly TimerQueue<ServiceRecord> _timers;
    private readonly bool _mayKillAll;
    private readonly bool _underInit;
    private readonly HashSet<int> _spawned = [];

    /// <summary>Largest PID file read (the spec reads at most 20 bytes; anything longer is not a pid).</summary>
    private const int PidFileReadLength = 20;

    public LinuxSystem(EventLoop loop, DaemonLog log, GlobalEnvironment environment, ExitStatusBook unownedExits, bool mayKillAll, bool underInit)
    {
        _underInit = underInit;
        _loop = loop;
        _log = log;
        _environment = environment;
        _unownedExits = unownedExits;
        _mayKillAll = mayKillAll;
        _timers = new TimerQueue<ServiceRecord>(loop, s => Services?.TimerExpired(s));
    }

    /// <summary>Set once the engine exists (the engine needs the system to be constructed).</summary>
    public ServiceSet? Services { get; set; }
    /// <summary>Loads and installs a service for chain-to (provided by the daemon).</summary>
    public Func<string, (ServiceRecord? Record, string Error)>? Loader { get; set; }
    /// <summary>Where readiness pipes are parked while awaited (null: nowhere, e.g. no tinyinit).</summary>
    public ParkedDescriptors? Parking { get; set; }
    /// <summary>Where run-in-cgroup paths lead (set at start-up from the daemon's options).</summary>
    public CgroupPaths Cgroups { get; set; } = CgroupPaths.Root;
    /// <summary>Who gets the console's foreground back when the manager has the console again.</summary>
    public ConsoleForeground ConsoleForeground { get; } = new();
    /// <summary>A starts-rwfs service started: the daemon re-opens what needed a writable root.</summary>
    public Action? OnRootFilesystemWritable { get; set; }

    public TimeSpan Now => MonotonicClock.Now;

    public void ArmTimer(ServiceRecord service, TimeSpan dueAt) => _timers.Arm(service, dueAt);

    public void CancelTimer(ServiceRecord service) => _timers.Cancel(service);

    public int Spawn(ServiceRecord service, CommandKind kind, out string failedStage)
    {
        if (RefuseUnsafeLaunch(service, out failedStage) is var refused and < 0) return refused;
        using var fds = new LaunchFds();
        var request = ServiceCommandBuilder.Build(service.Description, kind, _environment.Variables, fds, out failedStage, out var errno);
        if (request == null) return -errno;
        request.Privileges = PrivilegeSettings.For(service.Description, kind, Cgroups);
        if (request.Argv.Count == 0)
        {
            failedStage = "executing command";
            return -Libc.ENOENT;
        }
        // Watch readiness before the child exists: if the event loop cannot take the pipe
        // (epoll_ctl failing), the launch fails cleanly instead of leaving a start that never ends.
        if (fds.ReadyRead >= 0 && !TryWatchReadiness(service, ref fds.ReadyRead, out errno))
        {
            failedStage = "arranging file descriptors";
            return -errno;
        }
        var result = ProcessSpawner.Spawn(request);
        fds.CloseChildSide();
        if (!result.Succeeded)
        {
            if (kind == CommandKind.Start) ServiceOsState.Of(service).Readiness?.Dispose();
            failedStage = Tinyinit.Protocol.Control.ExecStage.Describe(result.Stage);
            return -result.Errno;
        }
        _spawned.Add(result.Pid);
        // The launcher is not reaped before the engine reads the PID file, so /proc still has it.
        if (kind == CommandKind.Start && service.Type == Tinyinit.Loader.ServiceType.BgProcess)
            ServiceOsState.Of(service).LauncherStartTime = ServiceProcessProof.StartTimeOf(result.Pid);
        return result.Pid;
    }

    /// <summary>
    /// Every privilege setting is applied by the launcher (or the launch fails with its stage);
    /// what it cannot apply yet only tunes the process and is reported once per launch.
    /// </summary>
    private int RefuseUnsafeLaunch(ServiceRecord service, out string failedStage)
    {
        failedStage = "";
        var d = service.Description;
        var ignored = ServiceCommandBuilder.UnsupportedSettings(d).Where(n => n is not "socket-listen").ToList();
        if (ignored.Count > 0) _log.Warn($"Service {service.Name}: not applied (not implemented yet): {string.Join(", ", ignored)}");
        return 0;
    }

    private bool TryWatchReadiness(ServiceRecord service, ref int readFd, out int errno)
    {
        errno = 0;
        var state = ServiceOsState.Of(service);
        state.Readiness?.Dispose();
        state.Readiness = null;
        try
        {
            state.Readiness = new ReadinessPipe(_loop, readFd,
                () => Services?.ReadinessReported(service),
                () => Services?.ReadinessClosed(service),
                parking: Parking);
        }
        catch (OsException e)
        {
            errno = e.Errno;
            return false; // readFd is still ours: LaunchFds closes it
        }
        readFd = -1; // the pipe object owns it now
        return true;
    }

    public void Signal(ServiceRecord service, int pid, int signal, bool processGroup)
    {
        if (pid <= 0) return;
        if (service.IsUntracked && !StillTheProvenProcess(service, pid))
        {
            _log.Warn($"Service {service.Name}: not signalling pid {pid}: it is no longer the process its pid file named");
            return;
        }
        if (_orphans.TryGetValue(pid, out var pidfd))
        {
            SignalOrphan(pidfd, pid, signal, processGroup);
            return;
        }
        if (processGroup)
        {
            // A service on the console shares the manager's group: never signal our own group.
            var group = Libc.getpgid(pid);
            if (group > 0 && group != Libc.getpgid(0) && Libc.kill(-group, signal) == 0) return;
        }
        Libc.kill(pid, signal);
    }

    /// <summary>
    /// The PID file must be a regular file reached without following a symlink at its last
    /// component: a service (or anyone who can write its directory) could otherwise point the
    /// root manager at a FIFO (blocking the loop) or at a file that names another process.
    /// </summary>
    public int? ReadPidFile(ServiceRecord service, out string error)
    {
        error = "";
        var path = service.Description.PidFile ?? "";
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | Libc.O_NONBLOCK, 0);
        if (fd < 0)
        {
            var errno = Libc.Errno;
            error = errno == Libc.ELOOP ? $"{path} is a symbolic link (refused)" : Libc.StrError(errno);
            return null;
        }
        try
        {
            if (Libc.fstatx(fd, out var stat) != 0 || (stat.Mode & Libc.S_IFMT) != Libc.S_IFREG)
            {
                error = $"{path} is not a regular file (refused)";
                return null;
            }
            byte* buffer = stackalloc byte[PidFileReadLength];
            var n = Libc.read(fd, buffer, PidFileReadLength);
            if (n <= 0) return 0;
            return PidFileText.Parse(Encoding.ASCII.GetString(buffer, (int)n));
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public string? WhyNotServiceProcess(ServiceRecord service, int pid)
    {
        var state = ServiceOsState.Of(service);
        if (_spawned.Contains(pid)) return "it is a command the manager started for another purpose";
        var why = ServiceProcessProof.WhyNotTheService(pid, state.LauncherStartTime, _underInit);
        if (why == null) (state.ProvenPid, state.ProvenStartTime) = (pid, ServiceProcessProof.StartTimeOf(pid));
        return why;
    }

    /// <summary>An untracked pid (not our child, so it may have exited and been reused) is signalled only while it is the same process.</summary>
    private static bool StillTheProvenProcess(ServiceRecord service, int pid)
    {
        var state = ServiceOsState.Of(service);
        return state.ProvenPid == pid && state.ProvenStartTime != 0 && ServiceProcessProof.StartTimeOf(pid) == state.ProvenStartTime;
    }

    public PidState QueryPid(int pid, out int rawWaitStatus)
    {
        if (_unownedExits.TryTake(pid, out rawWaitStatus)) return PidState.ExitedChild;
        int status;
        var waited = Libc.waitpid(pid, &status, Libc.WNOHANG);
        if (waited == pid)
        {
            rawWaitStatus = status;
            return PidState.ExitedChild;
        }
        rawWaitStatus = 0;
        if (waited == 0) return PidState.RunningChild;
        if (Libc.kill(pid, 0) != 0 && Libc.Errno != Libc.EPERM) return PidState.Invalid;
        return AdoptInitChild(pid) ? PidState.RunningChild : PidState.Unsupervisable;
    }

    /// <summary>tinyinit is our parent and forwards the exit of every process it reaps (set once the link is up).</summary>
    public bool InitForwardsExits { get; set; }

    /// <summary>
    /// After a manager crash, a process the old manager's subtree left (a bgprocess daemon named
    /// by its pid file) is PID 1's child now. tinyinit reports its exit over the link, so it is
    /// supervised like our own, and signalled only through a pidfd.
    /// </summary>
    private bool AdoptInitChild(int pid)
    {
        if (!InitForwardsExits || _orphans.ContainsKey(pid) || ParentOf(pid) != Libc.getppid()) return false;
        var pidfd = Libc.pidfd_open(pid);
        if (pidfd < 0) return false;
        HoldOrphan(pid, pidfd);
        return true;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    public string DescribeError(int errno) => Libc.StrError(errno);

    public void Log(LogLevel level, string message) => _log.Write(level, message);

    public void ServiceStatusLine(ServiceRecord service, ServiceStatus status)
    {
        switch (status)
        {
            case ServiceStatus.Started:
                _log.Status("  OK  ", service.Name);
                _log.MainLogOnly(LogLevel.Info, $"service {service.Name} started.");
                break;
            case ServiceStatus.FailedToStart:
            case ServiceStatus.DependencyFailed:
                _log.Status("FAILED", service.Name);
                _log.MainLogOnly(LogLevel.Error, $"service {service.Name} failed to start.");
                break;
            case ServiceStatus.Stopped:
                _log.Status("STOPPD", service.Name);
                _log.MainLogOnly(LogLevel.Info, $"service {service.Name} stopped.");
                break;
        }
    }

    public void ConsoleOwnerChanged(ServiceRecord? owner)
    {
        _log.ConsoleSuspended = owner != null;
        if (owner != null) ConsoleForeground.Lend();
        else ConsoleForeground.HandBack();
    }

    public bool OpenActivationSocket(ServiceRecord service)
    {
        if (service.Description.SocketListen == null) return true;
        _log.Error($"{service.Name}: socket-listen is not supported yet; cannot start");
        return false;
    }

    public void CloseActivationSocket(ServiceRecord service) { }

    public bool BeginKillAll()
    {
        if (!_mayKillAll)
        {
            _log.Warn("kill-all-on-stop ignored: the manager is not running under tinyinit as PID 1 of its namespace");
            return false;
        }
        _log.Info("Sending TERM/KILL to all processes...");
        Libc.kill(-1, Libc.SIGTERM);
        return true;
    }

    public void FinishKillAll()
    {
        if (_mayKillAll) Libc.kill(-1, Libc.SIGKILL);
    }

    public ServiceRecord? LoadService(string name, out string error)
    {
        error = "";
        if (Loader == null) return null;
        var (record, message) = Loader(name);
        error = message;
        return record;
    }

    public void RootFilesystemWritable() => OnRootFilesystemWritable?.Invoke();

    public void MainLogAvailable() { }

    /// <summary>
    /// A process a predecessor manager spawned. After a planned hand-over it is still our child
    /// (same pid across exec). After a crash (<see cref="AdoptingOrphans"/>) it belongs to PID 1
    /// now, which forwards its exit; the daemon checks it and gives it a pidfd (<see cref="HoldOrphan"/>).
    /// </summary>
    public void ProcessAdopted(ServiceRecord service, int pid, CommandKind kind)
    {
        if (AdoptingOrphans) AdoptedOrphans.Add(pid);
        else _spawned.Add(pid);
    }

    /// <summary>Set while restoring after a crash: adopted pids are not our children.</summary>
    public bool AdoptingOrphans { get; set; }
    /// <summary>The pids restored while <see cref="AdoptingOrphans"/>, for the daemon to check.</summary>
    public List<int> AdoptedOrphans { get; } = [];

    /// <summary>pidfd of each re-adopted process that is not our child: every signal to it goes through the pidfd.</summary>
    private readonly Dictionary<int, int> _orphans = [];

    public IEnumerable<int> OrphanPids => _orphans.Keys;

    public void HoldOrphan(int pid, int pidfd) => _orphans[pid] = pidfd;

    /// <summary>The pidfd of a re-adopted process, or -1.</summary>
    public int OrphanPidfd(int pid) => _orphans.GetValueOrDefault(pid, -1);

    /// <summary>True (and forgotten) when <paramref name="pid"/> is a process this system spawned or re-adopted.</summary>
    public bool ForgetSpawned(int pid)
    {
        if (_orphans.Remove(pid, out var pidfd))
        {
            Libc.close(pidfd);
            return true;
        }
        return _spawned.Remove(pid);
    }

    /// <summary>
    /// A process that is not our child may have been reaped by PID 1 and its pid reused: the
    /// pidfd proves it is still the same process before its group is signalled (the group keeps
    /// the leader's id while the leader lives), and the leader itself is signalled only through it.
    /// </summary>
    private static void SignalOrphan(int pidfd, int pid, int signal, bool processGroup)
    {
        if (Libc.pidfd_send_signal(pidfd, 0) != 0) return; // gone: its exit is on its way from PID 1
        if (processGroup)
        {
            var group = Libc.getpgid(pid);
            if (group == pid && group != Libc.getpgid(0) && Libc.kill(-group, signal) == 0) return;
        }
        Libc.pidfd_send_signal(pidfd, signal);
    }
}
