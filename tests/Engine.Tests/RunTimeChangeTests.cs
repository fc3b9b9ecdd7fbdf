using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §18 and control-protocol.md §6.5–§6.7: add-dep, rm-dep, enable,
/// unload, reload.</summary>
public class RunTimeChangeTests
{
    private static World Pair()
    {
        var w = new World();
        w.Add("a");
        w.Add("b");
        w.Load();
        return w;
    }

    [Test]
    public void AddingANeedLinkFromAnActiveServiceToAStoppedOneIsRefused()
    {
        var w = Pair();
        w.Start("a");
        Assert.That(w.Set.AddDependency(w["a"], w["b"], DependencyType.Regular, enable: false), Is.EqualTo(CommandResult.Nak));
    }

    [Test]
    public void AddingANeedLinkFromAnActiveServiceHoldsTheTarget()
    {
        var w = Pair();
        w.Start("a");
        w.Start("b");
        w.Set.AddDependency(w["a"], w["b"], DependencyType.Regular, enable: false);
        w.Release("b");
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Started), "a holds b now");
        Assert.That(w["b"].RequiredBy, Is.EqualTo(1));
    }

    [Test]
    public void AddDepNeverStartsAStoppedSoftDependencyButEnableDoes()
    {
        var w = Pair();
        w.Start("a");
        w.Set.AddDependency(w["a"], w["b"], DependencyType.WaitsFor, enable: false);
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Stopped));

        var result = w.Set.AddDependency(w["a"], w["b"], DependencyType.WaitsFor, enable: true, out var existed);
        Assert.That(result, Is.EqualTo(CommandResult.Ack));
        Assert.That(existed, Is.True);
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(w["b"].IsExplicitlyStarted, Is.False);
    }

    [Test]
    public void EnableDuringShutdownAddsTheLinkButStartsNothing()
    {
        var w = Pair();
        w.Add("keep", ServiceType.Process);
        w.Load();
        w.Start("a");
        w.Start("keep");
        w.Set.Shutdown(ShutdownType.Halt);
        Assert.That(w.Set.AddDependency(w["keep"], w["b"], DependencyType.WaitsFor, enable: true), Is.EqualTo(CommandResult.Ack));
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void ACycleIsRefused()
    {
        var w = new World();
        w.Add("c");
        w.Add("b", ServiceType.Internal, "need:c");
        w.Add("a", ServiceType.Internal, "need:b");
        w.Load();
        Assert.That(w.Set.AddDependency(w["c"], w["a"], DependencyType.WaitsFor, enable: false), Is.EqualTo(CommandResult.Nak));
        Assert.That(w["c"].Dependencies, Is.Empty);
    }

    [Test]
    public void RemovingAHoldingLinkReleasesTheTarget()
    {
        var w = Pair();
        w.Set.AddDependency(w["a"], w["b"], DependencyType.Regular, enable: false);
        w.Start("a");
        w.Take();

        Assert.That(w.Set.RemoveDependency(w["a"], w["b"], DependencyType.Regular), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Events(), Is.EqualTo(new[] { "b Stopped" }));
        Assert.That(w.Set.RemoveDependency(w["a"], w["b"], DependencyType.Regular), Is.EqualTo(CommandResult.Nak));
    }

    [Test]
    public void UnloadIsRefusedWhileActiveOrWithDependentsAndKeepsOrderingLinksOnAPlaceholder()
    {
        var w = new World();
        w.Add("x");
        w.Add("d", ServiceType.Internal, "need:x");
        w.Add("o", ServiceType.Internal, "after:x");
        w.Load();

        Assert.That(w.Set.Unload(w["x"]), Is.EqualTo(CommandResult.Nak), "d depends on x");
        Assert.That(w.Set.Unload(w["d"]), Is.EqualTo(CommandResult.Ack));
        w.Start("x");
        Assert.That(w.Set.Unload(w["x"]), Is.EqualTo(CommandResult.Nak), "not stopped");
        w.Stop("x");
        var record = w["x"];
        Assert.That(w.Set.Unload(record), Is.EqualTo(CommandResult.Ack));

        Assert.That(w.Set.Find("x"), Is.Null);
        Assert.That(w.Set.FindIncludingPlaceholders("x")!.IsPlaceholder, Is.True);
        Assert.That(w["o"].Dependencies[0].To, Is.SameAs(record));
        Assert.That(w.Set.Services.Select(s => s.Name), Is.EqualTo(new[] { "o" }));
    }

    [Test]
    public void ReloadOfAStartedServiceCannotChangeItsType()
    {
        var w = Pair();
        w.Start("a");
        var result = w.Set.Reload(w["a"], w.Describe("a", ServiceType.Process), out var error);
        Assert.That(result, Is.EqualTo(CommandResult.Nak));
        Assert.That(error, Is.EqualTo("cannot change type of non-stopped service."));
    }

    [Test]
    public void ReloadOfAStartedServiceCannotAddANonStartedNeedDependency()
    {
        var w = Pair();
        w.Start("a");
        w.Set.Reload(w["a"], w.Describe("a", ServiceType.Internal, "need:b"), out var error);
        Assert.That(error, Is.EqualTo("cannot add non-started dependency 'b'."));
    }

    [Test]
    public void ReloadOfAStartingServiceIsRefused()
    {
        var w = new World();
        w.Add("p", ServiceType.Process).WithReadiness();
        w.Load();
        w.Start("p");
        w.Set.Reload(w["p"], w.Describe("p", ServiceType.Process), out var error);
        Assert.That(error, Is.EqualTo("cannot alter settings for service which is currently starting/stopping."));
    }

    [Test]
    public void ReloadReplacesLinksReleasingRemovedOnes()
    {
        var w = Pair();
        w.Set.Reload(w["a"], w.Describe("a", ServiceType.Internal, "need:b"), out _);
        w.Start("a");
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Started));
        w.Take();

        Assert.That(w.Set.Reload(w["a"], w.Describe("a"), out var error), Is.EqualTo(CommandResult.Ack), error);
        Assert.That(w.Events(), Is.EqualTo(new[] { "b Stopped" }));
        Assert.That(w["a"].Dependencies, Is.Empty);
    }

    [Test]
    public void ReloadOfAStoppedServiceMayChangeItsType()
    {
        var w = Pair();
        Assert.That(w.Set.Reload(w["a"], w.Describe("a", ServiceType.Process), out _), Is.EqualTo(CommandResult.Ack));
        Assert.That(w["a"].Type, Is.EqualTo(ServiceType.Process));
    }

    [Test]
    public void InstallRejectsDuplicatesAndMissingDependenciesWithoutChangingAnything()
    {
        var w = Pair();
        Assert.Throws<ArgumentException>(() => w.Set.Install([w.Describe("a")]));
        Assert.Throws<ArgumentException>(() => w.Set.Install([w.Describe("n", ServiceType.Internal, "need:missing")]));
        Assert.That(w.Set.Find("n"), Is.Null);
    }

    [Test]
    public void ARealServiceReplacesItsPlaceholderAndInheritsItsLinks()
    {
        var w = new World();
        w.Set.Install([new ServiceDescription { Name = "x", IsPlaceholder = true }, w.Describe("o", ServiceType.Internal, "after:x")]);
        Assert.That(w.Set.Find("x"), Is.Null);

        w.Set.Install([w.Describe("x")]);
        Assert.That(w["x"].Dependents, Has.Count.EqualTo(1));
    }
}
