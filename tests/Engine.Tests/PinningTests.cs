using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §5: pins.</summary>
public class PinningTests
{
    private static World Chain()
    {
        var w = new World();
        w.Add("c");
        w.Add("b", ServiceType.Internal, "need:c");
        w.Add("a", ServiceType.Internal, "need:b");
        w.Load();
        return w;
    }

    [Test]
    public void AStartPinnedServiceRefusesToStop()
    {
        var w = Chain();
        w.Start("a", pin: true);
        w.Take();

        Assert.That(w.Stop("a"), Is.EqualTo(CommandResult.PinnedStarted));
        Assert.That(w.Events(), Is.Empty);
        Assert.That(w["a"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void AStartPinSpreadsToHardDependencies()
    {
        var w = Chain();
        w.Start("a", pin: true);

        Assert.That(w.Set.IsStartPinned(w["c"]), Is.True);
        Assert.That(w.Stop("c"), Is.EqualTo(CommandResult.PinnedStarted));
        Assert.That(w["c"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void ReleaseOfAPinnedServiceClearsTheMarkButWaitsForUnpin()
    {
        var w = Chain();
        w.Start("a", pin: true);
        w.Take();

        Assert.That(w.Release("a"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w["a"].IsExplicitlyStarted, Is.False);
        Assert.That(w.StateOf("a"), Is.EqualTo("Started/Stopped"));
        Assert.That(w.Events(), Is.Empty);

        Assert.That(w.Unpin("a"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Events(), Is.EqualTo(new[] { "a Stopped", "b Stopped", "c Stopped" }));
    }

    [Test]
    public void AStopPinFailsStartsAndDependentsFailWithIt()
    {
        var w = Chain();
        w.Stop("c", pin: true);
        w.Take();

        Assert.That(w.Start("c"), Is.EqualTo(CommandResult.PinnedStopped));
        Assert.That(w["c"].IsExplicitlyStarted, Is.False, "not recorded as explicit");

        w.Start("a");
        Assert.That(w.Events(), Is.EqualTo(new[] { "c FailedStart", "b FailedStart", "b Stopped", "a FailedStart", "a Stopped" }));
        Assert.That(w["a"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
    }

    [Test]
    public void AStopPinnedSoftDependencyLetsTheDependentProceed()
    {
        var w = new World();
        w.Add("x");
        w.Add("d", ServiceType.Internal, "waits:x");
        w.Load();
        w.Release("x", pin: true);

        w.Start("d");

        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(w["x"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void UnpinningAStopPinNeverStartsTheService()
    {
        var w = Chain();
        w.Stop("c", pin: true);
        w.Start("a");
        w.Take();

        w.Unpin("c");

        Assert.That(w.Events(), Is.Empty);
        Assert.That(w["c"].State, Is.EqualTo(ServiceState.Stopped));
        Assert.That(w.Start("c"), Is.EqualTo(CommandResult.AlreadyInState));
    }

    [Test]
    public void AFailedStartRemovesTheStartPin()
    {
        var w = new World();
        w.Add("x", ServiceType.Process);
        w.Load();
        w.System.FailSpawn["x"] = 2;

        w.Start("x", pin: true);

        Assert.That(w["x"].PinnedStarted, Is.False);
    }

    [Test]
    public void AStopOfAPinnedStartingServiceIsRefusedAndItStillStarts()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Load();
        w.Start("x", pin: true);

        Assert.That(w.Stop("x"), Is.EqualTo(CommandResult.PinnedStarted));
        w.Take();
        w.Ready("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started" }));
    }

    [Test]
    public void AProcessExitOfAPinnedServiceIsDeferredUntilUnpin()
    {
        var w = new World();
        w.Add("x", ServiceType.Process);
        w.Load();
        w.Start("x", pin: true);
        w.Take();

        w.Exit("x", 1);
        Assert.That(w["x"].State, Is.EqualTo(ServiceState.Started), "pinned: cannot leave STARTED");
        w.Take();

        w.Unpin("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Stopped" }));
        Assert.That(w["x"].StopReason, Is.EqualTo(StopReason.Terminated));
    }

    [Test]
    public void ShutdownUnpinsEverything()
    {
        var w = Chain();
        w.Start("a", pin: true);
        w.Take();

        w.Set.Shutdown(ShutdownType.Halt);

        Assert.That(w.Take(), Is.EqualTo(new[] { "a Stopped", "b Stopped", "c Stopped", "all-stopped" }));
        Assert.That(w["a"].PinnedStarted, Is.False);
    }
}
