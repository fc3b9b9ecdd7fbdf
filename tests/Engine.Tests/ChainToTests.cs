using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §15: chain-to.</summary>
public class ChainToTests
{
    private static World WithChain(bool alwaysChain = false)
    {
        var w = new World();
        var first = w.Add("first", ServiceType.Process);
        first.ChainTo = "next";
        if (alwaysChain) first.With(ServiceOptions.AlwaysChain);
        w.Load();
        w.System.Loader = name =>
        {
            if (w.Set.Find(name) is { } found) return found;
            w.Set.Install([w.Describe(name)]);
            return w.Set.Find(name);
        };
        w.Start("first");
        w.Take();
        return w;
    }

    [Test]
    public void AProcessThatFinishesCleanlyChainsToTheNextService()
    {
        var w = WithChain();
        w.Exit("first");
        Assert.That(w.Events(), Is.EqualTo(new[] { "first Stopped", "next Started" }));
        Assert.That(w["next"].IsExplicitlyStarted, Is.True);
    }

    [Test]
    public void AFailingExitDoesNotChain()
    {
        var w = WithChain();
        w.Exit("first", 1);
        Assert.That(w.Set.Find("next"), Is.Null);
    }

    [Test]
    public void AUserStopChainsOnlyWithAlwaysChain()
    {
        var plain = WithChain();
        plain.Stop("first");
        plain.Exit("first");
        Assert.That(plain.Set.Find("next"), Is.Null);

        var always = WithChain(alwaysChain: true);
        always.Stop("first");
        always.Exit("first");
        Assert.That(always["next"].State, Is.EqualTo(ServiceState.Started));
    }

    [Test]
    public void NoChainingDuringShutdown()
    {
        var w = WithChain(alwaysChain: true);
        w.Set.Shutdown(ShutdownType.PowerOff);
        w.Exit("first");
        Assert.That(w.Set.Find("next"), Is.Null);
    }

    [Test]
    public void ALoadFailureIsLoggedNotFatal()
    {
        var w = WithChain();
        w.System.Loader = _ => null;
        w.Exit("first");
        Assert.That(w.System.LogLines, Does.Contain("Couldn't chain to service next: couldn't load next: service description not found."));
    }
}
