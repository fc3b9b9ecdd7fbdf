using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>Places where the reference algorithm leaves services waiting forever or cycling;
/// the engine follows the documented intent (found by the model test).</summary>
public class ReferenceDefectTests
{
    [Test]
    public void AStartPinnedServiceThatStaysStartedLetsWaitingDependentsProceed()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).WithReadiness();
        w.Add("d", ServiceType.Internal, "after:x");
        w.Load();
        w.Start("x", pin: true);
        w.Start("d");
        w.Release("x");   // target STOPPED, but the pin keeps it up once started
        w.Take();

        w.Ready("x");

        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started", "d Started" }));
        Assert.That(w.StateOf("x"), Is.EqualTo("Started/Stopped"));
    }

    [Test]
    public void AServicePinnedStoppedThatIsRequiredWhileStoppingFailsItsDependents()
    {
        var w = new World();
        w.Add("x", ServiceType.Process);
        w.Add("d", ServiceType.Internal, "need:x");
        w.Load();
        w.Start("x");
        w.Stop("x", pin: true);   // STOPPING, pinned stopped
        w.Take();

        w.Start("d");
        Assert.That(w.StateOf("d"), Is.EqualTo("Starting/Started"));
        w.Exit("x");

        Assert.That(w.Events(), Is.EqualTo(new[] { "x Stopped", "x FailedStart", "d FailedStart", "d Stopped" }));
        Assert.That(w["d"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
    }

    [Test]
    public void ARestartingPreparedByChainDoesNotCycle()
    {
        // d needs m and is prepared by p; m needs p. Restarting d restarts p, which would
        // force m and (through m) d again if a merely waiting dependent were cancelled.
        var w = new World();
        w.Add("p", ServiceType.Scripted);
        w.Add("m", ServiceType.Internal, "need:p");
        w.Add("d", ServiceType.Scripted, "need:m", "prep:p");
        w.Load();
        w.Start("d");
        w.Exit("p");
        w.Exit("d");
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started));
        w.Take();

        w.Set.Restart(w["d"], gentle: false, out _);   // no stop command: d stops at once
        Assert.That(w.Take(), Is.EqualTo(new[] { "d Stopped", "m Stopped", "p Stopped", "spawn p start", "timer p +60s" }));
        w.Exit("p");
        Assert.That(w.Take(), Is.EqualTo(new[] { "p Started", "m Started", "spawn d start", "timer d +60s" }));
        w.Exit("d");
        Assert.That(w.Events(), Is.EqualTo(new[] { "d Started" }));
    }

    [Test]
    public void AServiceRequiredAgainAfterItsDependenciesWereReleasedTakesThemBack()
    {
        var w = new World();
        w.Add("x");
        w.Add("s", ServiceType.Process, "need:x").WithReadiness();
        w.Add("d", ServiceType.Internal, "need:s");
        w.Load();
        w.Start("d");
        w.Release("d");   // s: uninterruptible start, target STOPPED; x released
        Assert.That(w["s"].Dependencies[0].Holding, Is.False);

        w.Start("d");

        Assert.That(w["s"].Dependencies[0].Holding, Is.True);
        Assert.That(w["x"].RequiredBy, Is.EqualTo(1));
        w.Ready("s");
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void AStopHeldBackOnlyByAMilestonePinGoesAheadOnceTheMilestoneIsReached()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).WithReadiness();
        w.Add("d", ServiceType.Internal, "ms:x");
        w.Load();
        w.Start("x");
        w.Stop("x");   // uninterruptible start: stops once STARTED
        w.Start("d", pin: true);   // d waits for x; the milestone link is hard, so x is dept-pinned
        w.Take();

        w.Ready("x");

        Assert.That(w.Take(), Is.EqualTo(new[] { "x Started", "signal x TERM", "timer x +10s", "d Started" }));
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started), "a reached milestone is soft: d is not affected");
    }
}

public class CommandSettlingTests
{
    [Test]
    public void EveryCommandSettlesItsWorkBeforeReturningSoEventsPrecedeTheReply()
    {
        var w = new World();
        w.Add("b");
        w.Add("a", ServiceType.Internal, "need:b");
        w.Load();
        var seen = new List<string>();
        w.Set.ServiceEvent += (s, e) => seen.Add($"{s} {e}");

        var result = w.Start("a");
        seen.Add($"reply {result}");

        Assert.That(seen, Is.EqualTo(new[] { "b Started", "a Started", "reply AlreadyInState" }));
        Assert.That(w.Set.HasPendingWork, Is.False);
    }

    [Test]
    public void ACommandIssuedFromAnEventHandlerIsCarriedOutByTheOuterProcessing()
    {
        var w = new World();
        w.Add("a");
        w.Add("b");
        w.Load();
        w.Set.ServiceEvent += (s, e) =>
        {
            if (s.Name == "a" && e == ServiceEvent.Started) w.Set.Start(w["b"], pin: false);
        };

        w.Start("a");

        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Started));
    }
}
