using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §3: the activation model and two-phase processing.</summary>
public class ActivationTests
{
    [Test]
    public void StartingAServiceStartsItsDependenciesFirst()
    {
        var w = new World();
        w.Add("b");
        w.Add("c");
        w.Add("a", ServiceType.Internal, "need:b", "waits:c");
        w.Load();

        Assert.That(w.Start("a"), Is.EqualTo(CommandResult.AlreadyInState));

        Assert.That(w.Events(), Is.EqualTo(new[] { "b Started", "c Started", "a Started" }), "LIFO queues, as the reference");
        Assert.That(w["a"].IsExplicitlyStarted, Is.True);
        Assert.That(w["b"].IsExplicitlyStarted, Is.False, "started due to dependent");
        Assert.That(w["b"].RequiredBy, Is.EqualTo(1));
        Assert.That(w["a"].RequiredBy, Is.EqualTo(1));
        Assert.That(w.Set.ActiveCount, Is.EqualTo(3));
    }

    [Test]
    public void ReleasingTheOnlyHolderStopsDependenciesAfterTheDependent()
    {
        var w = new World();
        w.Add("b");
        w.Add("a", ServiceType.Internal, "need:b");
        w.Load();
        w.Start("a");
        w.Take();

        Assert.That(w.Release("a"), Is.EqualTo(CommandResult.AlreadyInState));

        Assert.That(w.Events(), Is.EqualTo(new[] { "a Stopped", "b Stopped" }));
        Assert.That(w["b"].RequiredBy, Is.Zero);
        Assert.That(w["a"].RequiredBy, Is.Zero);
    }

    [Test]
    public void ADependencyHeldByAnotherDependentKeepsRunning()
    {
        var w = new World();
        w.Add("b");
        w.Add("a1", ServiceType.Internal, "need:b");
        w.Add("a2", ServiceType.Internal, "need:b");
        w.Load();
        w.Start("a1");
        w.Start("a2");
        w.Take();

        w.Release("a1");

        Assert.That(w.Events(), Is.EqualTo(new[] { "a1 Stopped" }));
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Started));
        Assert.That(w["b"].RequiredBy, Is.EqualTo(1));
    }

    [Test]
    public void AnExplicitlyStartedDependencyOutlivesItsDependent()
    {
        var w = new World();
        w.Add("b");
        w.Add("a", ServiceType.Internal, "need:b");
        w.Load();
        w.Start("b");
        w.Start("a");
        Assert.That(w["b"].RequiredBy, Is.EqualTo(2), "explicit mark + holding link");
        w.Take();

        w.Release("a");

        Assert.That(w.Events(), Is.EqualTo(new[] { "a Stopped" }));
        Assert.That(w["b"].RequiredBy, Is.EqualTo(1));
        Assert.That(w["b"].IsExplicitlyStarted, Is.True);
    }

    [Test]
    public void ADependencyBeginsItsStopActionOnlyWhenTheDependentHasFullyStopped()
    {
        var w = new World();
        w.Add("b", ServiceType.Process);
        w.Add("a", ServiceType.Process, "need:b");
        w.Load();
        w.Start("a");
        Assert.That(w.Take(), Is.EqualTo(new[] { "spawn b start", "b Started", "spawn a start", "a Started" }));

        Assert.That(w.Release("a"), Is.EqualTo(CommandResult.Ack));
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal a TERM", "timer a +10s" }));
        Assert.That(w.StateOf("b"), Is.EqualTo("Stopping/Stopped"), "b is STOPPING but waits");

        w.Exit("a");
        Assert.That(w.Take(), Is.EqualTo(new[] { "a Stopped", "signal b TERM", "timer b +10s" }));
        w.Exit("b");
        Assert.That(w.Take(), Is.EqualTo(new[] { "b Stopped", "all-stopped" }));
    }

    [Test]
    public void InADiamondTheSharedDependencyStopsStrictlyAfterBothDependents()
    {
        // A needs B and C; C needs B. The reference sometimes stopped B before C.
        var w = new World();
        w.Add("b", ServiceType.Process);
        w.Add("c", ServiceType.Process, "need:b");
        w.Add("a", ServiceType.Process, "need:b", "need:c");
        w.Load();
        w.Start("a");
        w.Take();

        w.Release("a");
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal a TERM", "timer a +10s" }));
        w.Exit("a");
        Assert.That(w.Take(), Is.EqualTo(new[] { "a Stopped", "signal c TERM", "timer c +10s" }));
        w.Exit("c");
        Assert.That(w.Take(), Is.EqualTo(new[] { "c Stopped", "signal b TERM", "timer b +10s" }));
    }

    [Test]
    public void DependenciesOfAnyTypeAreStartedButOrderingLinksStartNothing()
    {
        var w = new World();
        foreach (var name in new[] { "need", "waits", "ms", "prep", "after", "before" }) w.Add(name);
        w.Add("a", ServiceType.Internal, "need:need", "waits:waits", "ms:ms", "prep:prep", "after:after", "before:before");
        w.Load();

        w.Start("a");

        foreach (var name in new[] { "need", "waits", "ms", "prep" })
            Assert.That(w[name].State, Is.EqualTo(ServiceState.Started), name);
        Assert.That(w["after"].State, Is.EqualTo(ServiceState.Stopped));
        Assert.That(w["before"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void CountsSettleBeforeTheRestartDecision()
    {
        // b (restart=yes) is only held by a; releasing a while b's process dies must not
        // restart b: by the time b reaches STOPPED nothing requires it.
        var w = new World();
        w.Add("b", ServiceType.Process).Restart = RestartMode.Yes;
        w.Add("a", ServiceType.Internal, "need:b");
        w.Load();
        w.Start("a");
        w.Release("a");
        w.Take();

        w.Exit("b");

        Assert.That(w.Take(), Is.EqualTo(new[] { "b Stopped", "all-stopped" }));
        Assert.That(w["b"].State, Is.EqualTo(ServiceState.Stopped));
    }

    [Test]
    public void AChainOfOneHundredThousandServicesStartsAndStopsWithoutRecursion()
    {
        var w = new World();
        const int depth = 100_000;
        var batch = new List<ServiceDescription>(depth);
        for (int i = 0; i < depth; i++)
            batch.Add(w.Describe($"s{i}", ServiceType.Internal, i == 0 ? [] : [$"need:s{i - 1}"]));
        w.Set.Install(batch);
        w.System.LogTimers = false;

        w.Start($"s{depth - 1}");
        Assert.That(w.Set.ActiveCount, Is.EqualTo(depth));
        Assert.That(w["s0"].State, Is.EqualTo(ServiceState.Started));

        w.Stop("s0");
        Assert.That(w.Set.ActiveCount, Is.Zero);
        Assert.That(w[$"s{depth - 1}"].StopReason, Is.EqualTo(StopReason.DependencyFailed));
    }

    [Test]
    public void AChainOfExplicitlyStartedServicesStopsWithoutNesting()
    {
        // Every link in the chain is also explicitly started: the reference's release nests
        // here; the engine queues instead.
        var w = new World();
        const int depth = 50_000;
        var batch = new List<ServiceDescription>(depth);
        for (int i = 0; i < depth; i++)
            batch.Add(w.Describe($"s{i}", ServiceType.Internal, i == 0 ? [] : [$"need:s{i - 1}"]));
        w.Set.Install(batch);
        for (int i = 0; i < depth; i++) w.Start($"s{i}");

        w.Stop("s0");

        Assert.That(w.Set.ActiveCount, Is.Zero);
        Assert.That(w[$"s{depth - 1}"].IsExplicitlyStarted, Is.False);
    }
}
