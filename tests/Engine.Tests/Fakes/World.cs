using Tinyinit.Engine;
using Tinyinit.Loader;

namespace Tinyinit.Engine.Tests.Fakes;

/// <summary>
/// Test world: declares services in a compact form, installs them into a
/// <see cref="ServiceSet"/> over a <see cref="FakeSystem"/>, and drives processes and time.
/// Dependency notation: "need:x", "waits:x", "ms:x", "prep:x", "before:x", "after:x".
/// </summary>
internal sealed class World
{
    private readonly List<ServiceDescription> pending = [];

    public World()
    {
        System = new FakeSystem();
        Set = new ServiceSet(System);
        Set.ServiceEvent += (service, ev) => System.Timeline.Add($"{service.Name} {ev}");
        Set.AllServicesStopped += () => { AllStoppedCount++; System.Timeline.Add("all-stopped"); };
    }

    public FakeSystem System { get; }
    public ServiceSet Set { get; }
    public int AllStoppedCount { get; private set; }

    public ServiceRecord this[string name] => Set.Find(name) ?? throw new KeyNotFoundException(name);

    public ServiceDescription Describe(string name, ServiceType type = ServiceType.Internal, params string[] dependencies) =>
        new()
        {
            Name = name,
            Type = type,
            Command = type == ServiceType.Internal || type == ServiceType.Triggered ? [] : ["/bin/" + name],
            Dependencies = dependencies.Select(ParseDependency).ToList(),
            RestartDelay = TimeSpan.Zero,
            Restart = RestartMode.No,
        };

    /// <summary>Declares a service (installed by <see cref="Load"/>); returns it for tweaking.</summary>
    public ServiceDescription Add(string name, ServiceType type = ServiceType.Internal, params string[] dependencies)
    {
        var description = Describe(name, type, dependencies);
        pending.Add(description);
        return description;
    }

    public World Load()
    {
        Set.Install(pending.ToList());
        pending.Clear();
        return this;
    }

    public static DependencySpec ParseDependency(string text)
    {
        var colon = text.IndexOf(':');
        var type = text[..colon] switch
        {
            "need" => DependencyType.Regular,
            "waits" => DependencyType.WaitsFor,
            "ms" => DependencyType.Milestone,
            "prep" => DependencyType.PreparedBy,
            "before" => DependencyType.Before,
            "after" => DependencyType.After,
            var other => throw new ArgumentException(other),
        };
        return new DependencySpec(text[(colon + 1)..], type);
    }

    /// <summary>
    /// What the daemon's loop does after every stimulus, once it has sent the replies: act on
    /// launch outcomes, turn after turn, until none is left. Every helper here that stands for
    /// a stimulus ends with it, and looking at the timeline or a state begins with it; a test
    /// that calls <see cref="Set"/> directly sees the world between the reply and the outcome.
    /// </summary>
    public void Settle()
    {
        for (int turn = 0; Set.HasLaunchOutcomes; turn++)
        {
            Assert.That(turn, Is.LessThan(1000), "launch outcomes never settle");
            Set.CompleteLaunches();
        }
    }

    /// <summary>The timeline since the last call (after <see cref="Settle"/>), then cleared.</summary>
    public string[] Take()
    {
        Settle();
        var items = System.Timeline.ToArray();
        System.Timeline.Clear();
        return items;
    }

    /// <summary>Only the service events since the last call (other entries dropped).</summary>
    public string[] Events() => Take().Where(IsEvent).ToArray();

    private static bool IsEvent(string line) =>
        line.EndsWith(" Started") || line.EndsWith(" Stopped") || line.EndsWith(" FailedStart")
        || line.EndsWith(" StartCancelled") || line.EndsWith(" StopCancelled");

    public CommandResult Start(string name, bool pin = false) => Settled(Set.Start(this[name], pin));
    public CommandResult Stop(string name, bool pin = false) => Settled(Set.Stop(this[name], force: true, pin, gentle: false, out _));
    public CommandResult Release(string name, bool pin = false) => Settled(Set.Release(this[name], pin));
    public CommandResult Wake(string name, bool pin = false) => Settled(Set.Wake(this[name], pin));
    public CommandResult Unpin(string name) => Settled(Set.Unpin(this[name]));

    private CommandResult Settled(CommandResult reply)
    {
        Settle();
        return reply;
    }

    /// <summary>The service's main process (or scripted command) exits.</summary>
    public void Exit(string name, int code = 0) => ExitWith(this[name].Pid, WaitStatus.FromExitCode(code));
    public void Kill(string name, int signal) => ExitWith(this[name].Pid, WaitStatus.FromSignal(signal));
    public void StopCommandExits(string name, int code = 0) => ExitWith(this[name].StopCommandPid, WaitStatus.FromExitCode(code));

    private void ExitWith(int pid, int status)
    {
        Assert.That(pid, Is.GreaterThan(0), "no such process");
        System.Processes.Remove(pid);
        Set.ProcessExited(pid, status);
        Settle();
    }

    public void Ready(string name)
    {
        Set.ReadinessReported(this[name]);
        Settle();
    }

    /// <summary>Moves the clock forward, firing due timers in time order.</summary>
    public void Advance(TimeSpan by)
    {
        var end = System.Now + by;
        while (true)
        {
            var due = System.Timers.Where(t => t.Value <= end).OrderBy(t => t.Value).FirstOrDefault();
            if (due.Key == null) break;
            System.Now = due.Value;
            System.Timers.Remove(due.Key);
            Set.TimerExpired(due.Key);
            Settle();
        }
        System.Now = end;
    }

    public void AdvanceSeconds(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    public string StateOf(string name)
    {
        Settle();
        return $"{this[name].State}/{this[name].TargetState}";
    }
}
