using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §6 and control-protocol.md §6.4: user commands and their replies.</summary>
public class CommandTests
{
    private static World ProcessPair()
    {
        var w = new World();
        w.Add("b", ServiceType.Process);
        w.Add("a", ServiceType.Process, "need:b");
        w.Load();
        return w;
    }

    [Test]
    public void StartRepliesAckWhileAsynchronousAndAlreadyWhenStartedSynchronously()
    {
        var w = new World();
        w.Add("p", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Add("i");
        w.Load();

        Assert.That(w.Start("p"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Start("i"), Is.EqualTo(CommandResult.AlreadyInState));
    }

    [Test]
    public void GentleStopIsRefusedWithTheHoldingDependents()
    {
        var w = ProcessPair();
        w.Start("a");
        w.Take();

        var result = w.Set.Stop(w["b"], force: false, pin: false, gentle: true, out var dependents);

        Assert.That(result, Is.EqualTo(CommandResult.Dependents));
        Assert.That(dependents.Select(d => d.Name), Is.EqualTo(new[] { "a" }));
        Assert.That(w.Take(), Is.Empty, "nothing else happens");
    }

    [Test]
    public void StopForcesHardDependentsDownWithReasonDependencyFailedAndNothingRestarts()
    {
        var w = ProcessPair();
        w.Add("c", ServiceType.Process, "need:a").Restart = RestartMode.Yes;
        w.Load();
        w.Start("c");
        w.Take();

        Assert.That(w.Stop("b"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal c TERM", "timer c +10s" }));
        w.Exit("c");
        w.Exit("a");
        w.Exit("b");

        Assert.That(w.Events(), Is.EqualTo(new[] { "c Stopped", "a Stopped", "b Stopped" }));
        Assert.That(w["c"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
        Assert.That(w["a"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
        Assert.That(w["b"].StopReason, Is.EqualTo(StopReason.Normal));
        Assert.That(w["c"].IsExplicitlyStarted, Is.False, "dependents lose their explicit marks");
        Assert.That(w.Set.ActiveCount, Is.Zero);
    }

    [Test]
    public void RestartOfAServiceThatIsNotStartedIsRefused()
    {
        var w = ProcessPair();
        Assert.That(w.Set.Restart(w["b"], gentle: false, out _), Is.EqualTo(CommandResult.Nak));
    }

    [Test]
    public void RestartKeepsTheExplicitMarkAndRunsTheProcessAgain()
    {
        var w = new World();
        w.Add("p", ServiceType.Process);
        w.Load();
        w.Start("p");
        w.Take();

        Assert.That(w.Set.Restart(w["p"], gentle: false, out _), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal p TERM", "timer p +10s" }));
        w.Exit("p");
        Assert.That(w.Take(), Is.EqualTo(new[] { "p Stopped", "spawn p start", "p Started" }));
        Assert.That(w["p"].IsExplicitlyStarted, Is.True);
    }

    [Test]
    public void ForcedRestartRestartsHardDependentsWithReasonDependencyRestart()
    {
        var w = ProcessPair();
        w.Start("a");
        w.Take();

        Assert.That(w.Set.Restart(w["b"], gentle: false, out _), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal a TERM", "timer a +10s" }));
        w.Exit("a");
        Assert.That(w.Take(), Is.EqualTo(new[] { "a Stopped", "signal b TERM", "timer b +10s" }));
        Assert.That(w["a"].StopReason, Is.EqualTo(StopReason.DependencyRestart));
        Assert.That(w.StateOf("a"), Is.EqualTo("Starting/Started"), "waits for b");
        w.Exit("b");
        Assert.That(w.Take(), Is.EqualTo(new[] { "b Stopped", "spawn b start", "b Started", "spawn a start", "a Started" }));
    }

    [Test]
    public void GentleRestartWithHoldingDependentsIsRefused()
    {
        var w = ProcessPair();
        w.Start("a");
        Assert.That(w.Set.Restart(w["b"], gentle: true, out var dependents), Is.EqualTo(CommandResult.Dependents));
        Assert.That(dependents, Has.Count.EqualTo(1));
    }

    [Test]
    public void StartWakeAndRestartAreRefusedDuringShutdown()
    {
        var w = ProcessPair();
        w.Start("a");
        w.Set.Shutdown(ShutdownType.Halt);

        Assert.That(w.Start("b"), Is.EqualTo(CommandResult.ShuttingDown));
        Assert.That(w.Wake("b"), Is.EqualTo(CommandResult.ShuttingDown));
        Assert.That(w.Set.Restart(w["b"], gentle: false, out _), Is.EqualTo(CommandResult.ShuttingDown));
    }

    [Test]
    public void WakeWithoutActiveDependentsIsRefused()
    {
        var w = ProcessPair();
        Assert.That(w.Wake("b"), Is.EqualTo(CommandResult.Nak));
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void WakeMakesActiveDependentsHoldTheServiceAgain()
    {
        var w = new World();
        w.Add("x");
        w.Add("d", ServiceType.Internal, "waits:x");
        w.Load();
        w.Start("d");
        w.Stop("x");
        w.Take();

        Assert.That(w.Wake("x"), Is.EqualTo(CommandResult.AlreadyInState));
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started" }));
        Assert.That(w["x"].IsExplicitlyStarted, Is.False);
        Assert.That(w["x"].RequiredBy, Is.EqualTo(1));
    }

    [Test]
    public void StartDuringAStopThatIsOnlyWaitingForDependentsCancelsTheStop()
    {
        var w = ProcessPair();
        w.Start("a");
        w.Release("a");   // a: TERM sent; b STOPPING, waiting for a
        w.Take();

        Assert.That(w.Start("b"), Is.EqualTo(CommandResult.AlreadyInState));
        Assert.That(w.Take(), Is.EqualTo(new[] { "b StopCancelled", "b Started" }));
    }

    [Test]
    public void StartDuringAStopActionFinishesTheStopThenStartsAgain()
    {
        var w = new World();
        w.Add("p", ServiceType.Process);
        w.Load();
        w.Start("p");
        w.Release("p");
        w.Take();

        Assert.That(w.Start("p"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.StateOf("p"), Is.EqualTo("Stopping/Started"));
        w.Exit("p");
        Assert.That(w.Take(), Is.EqualTo(new[] { "p Stopped", "spawn p start", "p Started" }));
    }

    [Test]
    public void AForcedStopIsNotCancelledByANewStart()
    {
        var w = ProcessPair();
        w.Start("a");
        w.Stop("b");   // b waits for a; the stop is forced
        w.Take();

        w.Start("b");
        Assert.That(w.Take(), Is.Empty, "no StopCancelled");
        Assert.That(w.StateOf("b"), Is.EqualTo("Stopping/Started"));

        w.Exit("a");
        Assert.That(w.Take(), Is.EqualTo(new[] { "a Stopped", "signal b TERM", "timer b +10s" }));
        w.Exit("b");
        Assert.That(w.Take(), Is.EqualTo(new[] { "b Stopped", "spawn b start", "b Started" }));
    }

    [Test]
    public void ReleaseStopsOnlyWhenNothingElseHoldsTheService()
    {
        var w = ProcessPair();
        w.Start("b");
        w.Start("a");
        w.Take();

        Assert.That(w.Release("b"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(w.Take(), Is.Empty);
    }

    [Test]
    public void TriggerCommandsAreRefusedForOtherTypes()
    {
        var w = ProcessPair();
        Assert.That(w.Set.SetTrigger(w["a"], true), Is.EqualTo(CommandResult.Nak));
    }
}
