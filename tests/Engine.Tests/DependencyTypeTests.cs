using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §4: the table of dependency types, row by row.</summary>
public class DependencyTypeTests
{
    private static World FailingDependency(string linkType)
    {
        var w = new World();
        w.Add("x", ServiceType.Process);
        w.Add("d", ServiceType.Internal, $"{linkType}:x");
        w.Load();
        w.System.FailSpawn["x"] = 2;
        return w;
    }

    [TestCase("need")]
    [TestCase("prep")]
    [TestCase("ms")]
    public void AHardDependencyFailingToStartFailsTheDependent(string linkType)
    {
        var w = FailingDependency(linkType);

        Assert.That(w.Start("d"), Is.EqualTo(CommandResult.Ack));

        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "spawn x start failed",
            "log error: x: execution failed - executing command: No such file or directory",
            "x FailedStart", "x Stopped",
            "d FailedStart", "d Stopped",
            "all-stopped",
        }));
        Assert.That(w["x"].StopReason, Is.EqualTo(StopReason.ExecFailed));
        Assert.That(w["x"].ExecFailureStage, Is.EqualTo("executing command"));
        Assert.That(w["d"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
        Assert.That(w["d"].IsExplicitlyStarted, Is.False, "failure clears the explicit mark");
        Assert.That(w.System.StatusLines, Is.EqualTo(new[] { "FailedToStart x", "DependencyFailed d" }));
    }

    [TestCase("waits")]
    [TestCase("after")]
    public void ASoftOrOrderingDependencyFailingLetsTheDependentProceed(string linkType)
    {
        var w = FailingDependency(linkType);
        if (linkType == "after") w.Start("x");   // ordering links start nothing: start x too
        w.Take();

        w.Start("d");

        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(w["x"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void WaitsForWaitsUntilTheDependencyIsStarted()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Add("d", ServiceType.Internal, "waits:x");
        w.Load();

        w.Start("d");
        Assert.That(w.StateOf("d"), Is.EqualTo("Starting/Started"));
        w.Take();

        w.Ready("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started", "d Started" }));
    }

    [Test]
    public void WaitsForDependentProceedsWhenTheDependencyStartIsCancelled()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Add("d", ServiceType.Process, "waits:x");
        w.Load();
        w.Start("d");
        w.Start("x");   // explicit too, so that stopping x is a user action
        w.Take();

        w.Set.ReadinessClosed(w["x"]);   // x's start fails while d waits

        Assert.That(w.Take(), Is.EqualTo(new[] { "log error: x: readiness notification pipe closed before readiness", "x FailedStart", "signal x TERM", "timer x +10s", "spawn d start", "d Started" }));
    }

    [TestCase("need", true)]
    [TestCase("prep", true)]
    [TestCase("ms", false)]
    [TestCase("waits", false)]
    public void WhenTheDependencyStopsAfterTheDependentStarted(string linkType, bool dependentStops)
    {
        var w = new World();
        w.Add("x");
        w.Add("d", ServiceType.Internal, $"{linkType}:x");
        w.Load();
        w.Start("d");
        w.Take();

        w.Stop("x");

        Assert.That(w["d"].State, Is.EqualTo(dependentStops ? ServiceState.Stopped : ServiceState.Started));
        if (dependentStops)
            Assert.That(w["d"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
        else
            Assert.That(w["x"].RequiredBy, Is.Zero, "soft link broken: d no longer holds x");
    }

    [Test]
    public void ASoftLinkBrokenByAStopIsReattachedWhenTheDependencyStartsAgain()
    {
        var w = new World();
        w.Add("x");
        w.Add("d", ServiceType.Internal, "waits:x");
        w.Load();
        w.Start("d");
        w.Stop("x");
        Assert.That(w["d"].Dependencies[0].Holding, Is.False);

        w.Start("x");
        Assert.That(w["x"].RequiredBy, Is.EqualTo(2), "explicit + re-attached d");
        w.Take();

        w.Release("x");   // documented quirk: x stays, d holds it again
        Assert.That(w["x"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(w.Events(), Is.Empty);
    }

    [Test]
    public void AMilestoneIsHardUntilReachedThenSoft()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Add("d", ServiceType.Internal, "ms:x");
        w.Load();
        w.Start("d");
        var link = w["d"].Dependencies[0];
        Assert.That(link.IsHard, Is.True, "waiting for the milestone");
        Assert.That(w.Set.Stop(w["x"], force: false, pin: false, gentle: true, out _), Is.EqualTo(CommandResult.Ack),
            "milestone holders never block a gentle stop");
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Stopped), "the start of x was cancelled: d cannot start");
        w.Exit("x");

        w.Start("d");
        w.Ready("x");
        Assert.That(link.IsHard, Is.False, "reached: soft");
        w.Take();
        w.Exit("x", 1);
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started), "d is not affected once the milestone was reached");
    }

    [Test]
    public void AnAfterLinkWaitsOnlyWhileTheOtherServiceIsStarting()
    {
        var w = new World();
        w.Add("x", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Add("d", ServiceType.Internal, "after:x");
        w.Load();

        w.Start("d");
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started), "x is not starting: no wait");
        w.Release("d");

        w.Start("x");
        w.Start("d");
        Assert.That(w.StateOf("d"), Is.EqualTo("Starting/Started"), "x is starting: d waits");
        w.Take();
        w.Ready("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started", "d Started" }));
    }

    [Test]
    public void ABeforeLinkMakesTheOtherServiceWait()
    {
        var w = new World();
        w.Add("d");
        w.Add("x", ServiceType.Process, "before:d").ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Load();

        w.Start("x");
        w.Start("d");
        Assert.That(w.StateOf("d"), Is.EqualTo("Starting/Started"));
        w.Take();
        w.Ready("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started", "d Started" }));
    }

    [Test]
    public void AServiceStartedLaterThanItsAfterDependentStillHoldsItBack()
    {
        // d (after x) is already waiting for another dependency when x begins starting.
        var w = new World();
        w.Add("slow", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        w.Add("x", ServiceType.Process).ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 4, null);
        w.Add("d", ServiceType.Internal, "after:x", "need:slow");
        w.Load();
        w.Start("d");
        w.Start("x");
        w.Ready("slow");
        Assert.That(w.StateOf("d"), Is.EqualTo("Starting/Started"), "x is starting now: d waits for it");
        w.Take();
        w.Ready("x");
        Assert.That(w.Events(), Is.EqualTo(new[] { "x Started", "d Started" }));
    }

    [Test]
    public void OrderingLinksNeverPropagateStopsOrHoldTheOtherService()
    {
        var w = new World();
        w.Add("x");
        w.Add("d", ServiceType.Internal, "after:x");
        w.Load();
        w.Start("x");
        w.Start("d");
        Assert.That(w["x"].RequiredBy, Is.EqualTo(1), "only the explicit mark");

        w.Stop("x");
        Assert.That(w["d"].State, Is.EqualTo(ServiceState.Started));
    }
}
