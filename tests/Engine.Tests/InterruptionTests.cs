using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §7: stop order and interruption of starts and stops.</summary>
public class InterruptionTests
{
    [Test]
    public void AStartStillWaitingForDependenciesIsCancelledAtOnce()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).WithReadiness();
        w.Add("d", ServiceType.Process, "need:x");
        w.Load();
        w.Start("d");
        w.Take();

        Assert.That(w.Stop("d"), Is.EqualTo(CommandResult.AlreadyInState));

        Assert.That(w.Events(), Is.EqualTo(new[] { "d StartCancelled", "d Stopped" }));
    }

    [Test]
    public void AnUninterruptibleStartRunsToCompletionAndThenStops()
    {
        var w = new World();
        w.Add("p", ServiceType.Process).WithReadiness();
        w.Load();
        w.Start("p");
        w.Take();

        Assert.That(w.Stop("p"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.StateOf("p"), Is.EqualTo("Starting/Stopped"));
        Assert.That(w.Take(), Is.Empty);

        w.Ready("p");
        Assert.That(w.Take(), Is.EqualTo(new[] { "p Started", "signal p TERM", "timer p +10s" }));
    }

    [Test]
    public void AnInterruptibleStartIsInterruptedWithSigint()
    {
        var w = new World();
        w.Add("p", ServiceType.Process).WithReadiness().With(ServiceOptions.StartInterruptible);
        w.Load();
        w.Start("p");
        w.Take();

        Assert.That(w.Stop("p"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log info: Interrupting start of service p with pid 100 (with SIGINT).",
            "signal p INT", "timer p +10s", "p StartCancelled",
        }));
        Assert.That(w.StateOf("p"), Is.EqualTo("Stopping/Stopped"));

        w.Exit("p", 130);
        Assert.That(w.Events(), Is.EqualTo(new[] { "p Stopped" }));
    }

    [Test]
    public void WaitingForTheRestartDelayIsAlwaysInterruptible()
    {
        var w = new World();
        var p = w.Add("p", ServiceType.Process);
        p.Restart = RestartMode.Yes;
        p.RestartDelay = TimeSpan.FromSeconds(1);
        w.Load();
        w.Start("p");
        w.Exit("p", 1);
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Starting), "waiting for the restart delay");
        w.Take();

        w.Stop("p");

        Assert.That(w.Events(), Is.EqualTo(new[] { "p StartCancelled", "p Stopped" }));
        Assert.That(w.System.Timers, Is.Empty);
    }

    [Test]
    public void ATriggeredServiceWaitingForItsTriggerCanBeCancelled()
    {
        var w = new World();
        w.Add("t", ServiceType.Triggered);
        w.Load();
        w.Start("t");
        w.Take();

        w.Stop("t");

        Assert.That(w.Events(), Is.EqualTo(new[] { "t StartCancelled", "t Stopped" }));
    }

    [Test]
    public void TheStopTimerStartsOnlyWhenTheStopActionBegins()
    {
        var w = new World();
        w.Add("b", ServiceType.Process);
        w.Add("a", ServiceType.Process, "need:b");
        w.Load();
        w.Start("a");
        w.Take();
        w.Release("a");
        w.AdvanceSeconds(9);
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal a TERM", "timer a +10s" }), "b's timer not armed yet");

        w.Exit("a");
        Assert.That(w.Take(), Is.EqualTo(new[] { "a Stopped", "signal b TERM", "timer b +10s" }));
    }

    [Test]
    public void ReleasingARestartingServiceAbandonsTheRestart()
    {
        // A user restart in progress (STOPPING/STARTED) loses its explicit mark: the process
        // still ends, and the service then stays stopped.
        var w = new World();
        w.Add("p", ServiceType.Process);
        w.Load();
        w.Start("p");
        w.Set.Restart(w["p"], gentle: false, out _);
        Assert.That(w.StateOf("p"), Is.EqualTo("Stopping/Started"));
        w.Take();

        w.Release("p");

        Assert.That(w.StateOf("p"), Is.EqualTo("Stopping/Stopped"));
        w.Exit("p");
        Assert.That(w.Events(), Is.EqualTo(new[] { "p Stopped" }));
        Assert.That(w["p"].State, Is.EqualTo(ServiceState.Stopped));
    }
}

public class ReleaseDuringRestartTests
{
    [Test]
    public void ADependencyRestartAbandonedByItsLastDependentReportsStartCancelled()
    {
        // x is restarting only because d holds it; d then stops for good: x's pending
        // restart is abandoned (release emits STARTCANCELLED, §3.3).
        var w = new World();
        w.Add("x", ServiceType.Process);
        w.Add("d", ServiceType.Process, "need:x");
        w.Load();
        w.Start("d");
        w.Set.Restart(w["x"], gentle: false, out _);   // d restarts too, x waits for d
        w.Take();

        w.Stop("d");

        Assert.That(w.Events(), Is.EqualTo(new[] { "x StartCancelled" }));
        w.Exit("d");
        w.Exit("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "d Stopped", "x Stopped" }));
        Assert.That(w.Set.ActiveCount, Is.Zero);
    }
}
