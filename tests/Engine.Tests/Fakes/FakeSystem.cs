using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests.Fakes;

/// <summary>
/// A fake outside world for the engine: a settable monotonic clock, one timer per service,
/// processes that exist only as pids. Every request the engine makes is appended to
/// <see cref="Timeline"/> in a short text form, interleaved with service events, so a test
/// can assert the exact sequence.
/// </summary>
internal sealed class FakeSystem : ISystem
{
    private int nextPid = 100;

    public TimeSpan Now { get; set; }
    /// <summary>The pid the next spawn gets (a restored world continues where the old one was).</summary>
    public int NextPid { get => nextPid; set => nextPid = value; }
    public List<string> Timeline { get; } = [];
    public List<string> StatusLines { get; } = [];
    public List<string> LogLines { get; } = [];
    public Dictionary<ServiceRecord, TimeSpan> Timers { get; } = [];
    /// <summary>Live processes: pid → (service, kind).</summary>
    public Dictionary<int, (ServiceRecord Service, CommandKind Kind)> Processes { get; } = [];
    /// <summary>Services whose next spawn fails with this errno at "executing command".</summary>
    public Dictionary<string, int> FailSpawn { get; } = [];
    public Dictionary<string, int?> PidFiles { get; } = [];
    public Dictionary<int, PidState> PidStates { get; } = [];
    public Func<string, ServiceRecord?>? Loader { get; set; }
    public bool LogTimers { get; set; } = true;
    public int KillAllCount { get; private set; }

    public void ArmTimer(ServiceRecord service, TimeSpan dueAt)
    {
        Timers[service] = dueAt;
        if (LogTimers) Timeline.Add($"timer {service.Name} +{(dueAt - Now).TotalSeconds:0.###}s");
    }

    public void CancelTimer(ServiceRecord service) => Timers.Remove(service);

    public int Spawn(ServiceRecord service, CommandKind kind, out string failedStage)
    {
        failedStage = "";
        if (FailSpawn.Remove(service.Name, out var errno))
        {
            failedStage = "executing command";
            Timeline.Add($"spawn {service.Name} {kind.ToString().ToLowerInvariant()} failed");
            return -errno;
        }
        int pid = nextPid++;
        Processes[pid] = (service, kind);
        Timeline.Add($"spawn {service.Name} {kind.ToString().ToLowerInvariant()}");
        return pid;
    }

    public void Signal(ServiceRecord service, int pid, int signal, bool processGroup) =>
        Timeline.Add($"signal {service.Name} {SignalName(signal)}{(processGroup ? "" : " (process only)")}");

    /// <summary>bgprocess launchers always leave a PID file naming a new running child.</summary>
    public bool AutoPidFiles { get; set; }

    public int? ReadPidFile(ServiceRecord service, out string error)
    {
        error = "No such file or directory";
        if (AutoPidFiles)
        {
            int daemon = nextPid++;
            Processes[daemon] = (service, CommandKind.Start);
            PidStates[daemon] = PidState.RunningChild;
            return daemon;
        }
        return PidFiles.TryGetValue(service.Name, out var pid) ? pid : null;
    }

    public PidState QueryPid(int pid, out int rawWaitStatus)
    {
        rawWaitStatus = 0;
        return PidStates.TryGetValue(pid, out var state) ? state : PidState.Invalid;
    }

    /// <summary>Pids the fake world says are not the service's (with the reason).</summary>
    public Dictionary<int, string> ForeignPids { get; } = [];

    public string? WhyNotServiceProcess(ServiceRecord service, int pid) => ForeignPids.GetValueOrDefault(pid);

    public string DescribeError(int errno) => errno == 2 ? "No such file or directory" : $"errno {errno}";

    public void Log(LogLevel level, string message)
    {
        LogLines.Add(message);
        Timeline.Add($"log {level.ToString().ToLowerInvariant()}: {message}");
    }

    public void ServiceStatusLine(ServiceRecord service, ServiceStatus status) => StatusLines.Add($"{status} {service.Name}");

    public void ConsoleOwnerChanged(ServiceRecord? owner) => Timeline.Add($"console {owner?.Name ?? "-"}");

    public bool OpenActivationSocket(ServiceRecord service)
    {
        Timeline.Add($"socket open {service.Name}");
        return true;
    }

    public void CloseActivationSocket(ServiceRecord service) => Timeline.Add($"socket close {service.Name}");

    /// <summary>Whether kill-all-on-stop may signal (the manager runs under tinyinit as PID 1).</summary>
    public bool MayKillAll { get; set; } = true;

    public bool BeginKillAll()
    {
        KillAllCount++;
        Timeline.Add(MayKillAll ? "kill-all TERM" : "kill-all refused");
        return MayKillAll;
    }

    public void FinishKillAll() => Timeline.Add("kill-all KILL");

    public ServiceRecord? LoadService(string name, out string error)
    {
        error = "service description not found.";
        return Loader?.Invoke(name);
    }

    public void ProcessAdopted(ServiceRecord service, int pid, CommandKind kind) =>
        Timeline.Add($"adopt {service.Name} {kind.ToString().ToLowerInvariant()} {pid}");

    public void RootFilesystemWritable() => Timeline.Add("rwfs");
    public void MainLogAvailable() => Timeline.Add("main-log");

    public static string SignalName(int signal) => signal switch
    {
        Signals.Hup => "HUP",
        Signals.Int => "INT",
        Signals.Kill => "KILL",
        Signals.Term => "TERM",
        _ => signal.ToString(),
    };
}
