using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §10: start/stop timeouts and the signals they send.</summary>
public class TimeoutTests
{
    private static World Starting(TimeSpan startTimeout, ServiceType type = ServiceType.Process)
    {
        var w = new World();
        var p = w.Add("p", type);
        if (type == ServiceType.Process) p.WithReadiness();
        p.StartTimeout = startTimeout;
        p.StopTimeout = TimeSpan.FromSeconds(3);
        w.Load();
        w.Start("p");
        w.Take();
        return w;
    }

    [Test]
    public void AStartTimeoutInterruptsWithSigintThenKillsAfterTheStopTimeout()
    {
        var w = Starting(TimeSpan.FromSeconds(5));

        w.AdvanceSeconds(5);
        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log error: Service p with pid 100 exceeded allowed start time; cancelling.",
            "log info: Interrupting start of service p with pid 100 (with SIGINT).",
            "signal p INT", "timer p +3s", "p FailedStart",
        }));
        Assert.That(w.StateOf("p"), Is.EqualTo("Stopping/Stopped"));
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.TimedOut));

        w.AdvanceSeconds(3);
        Assert.That(w.Take(), Is.EqualTo(new[] { "log warn: Service p with pid 100 exceeded allowed stop time; killing.", "signal p KILL" }));
        w.Kill("p", Signals.Kill);
        Assert.That(w.Take(), Is.EqualTo(new[] { "p Stopped", "all-stopped" }));
    }

    [Test]
    public void AZeroStartTimeoutDisablesTheTimer()
    {
        var w = Starting(TimeSpan.Zero);
        w.AdvanceSeconds(3600);
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Starting));
        Assert.That(w.System.Timers, Is.Empty);
    }

    [Test]
    public void TheStartTimerStopsWhenTheServiceBecomesReady()
    {
        var w = Starting(TimeSpan.FromSeconds(5));
        w.AdvanceSeconds(4);
        w.Ready("p");
        w.AdvanceSeconds(10);
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void AScriptedStartTimeoutCountsAsTimedOut()
    {
        var w = Starting(TimeSpan.FromSeconds(2), ServiceType.Scripted);
        w.AdvanceSeconds(2);
        Assert.That(w["p"].StopReason, Is.EqualTo(StopReason.TimedOut));
        w.Kill("p", Signals.Int);   // no stop command: stops
        Assert.That(w.Events(), Is.EqualTo(new[] { "p FailedStart", "p Stopped" }));
    }

    [Test]
    public void AStopTimeoutKillsTheProcessGroupAndTheStopCommand()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.StopCommand = ["/bin/stop-p"];
        p.StopTimeout = TimeSpan.FromSeconds(2);
        w.Load();
        w.Start("p");
        w.Release("p");
        w.Take();

        w.AdvanceSeconds(2);

        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log warn: Service p with pid 100 exceeded allowed stop time; killing.",
            "signal p KILL", "signal p KILL",
        }));
    }
}
