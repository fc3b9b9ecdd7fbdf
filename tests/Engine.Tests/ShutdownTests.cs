using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §17.4–§17.5: stop all, and detecting that everything has stopped.</summary>
public class ShutdownTests
{
    [Test]
    public void AllServicesStoppedIsRaisedOnceWhenTheLastServiceStopsWithoutShutdown()
    {
        var w = new World();
        w.Add("b", ServiceType.Process);
        w.Add("a", ServiceType.Process, "need:b");
        w.Load();
        w.Start("a");
        w.Release("a");
        w.Exit("a");
        Assert.That(w.AllStoppedCount, Is.Zero, "b is still active");

        w.Exit("b");

        Assert.That(w.AllStoppedCount, Is.EqualTo(1));
        Assert.That(w.Set.IsShuttingDown, Is.False);
        Assert.That(w.Set.ShutdownType, Is.EqualTo(ShutdownType.None), "no shutdown requested: boot failure path");
    }

    [Test]
    public void ShutdownStopsEverythingInDependencyOrderAndRecordsTheType()
    {
        var w = new World();
        w.Add("b", ServiceType.Process);
        w.Add("a", ServiceType.Process, "need:b");
        w.Add("solo", ServiceType.Process);
        w.Load();
        w.Start("a");
        w.Start("solo");
        w.Take();

        w.Set.Shutdown(ShutdownType.Reboot);
        Assert.That(w.Take(), Is.EqualTo(new[] { "signal solo TERM", "timer solo +10s", "signal a TERM", "timer a +10s" }));
        w.Exit("a");
        w.Exit("solo");
        w.Exit("b");

        Assert.That(w.Events(), Is.EqualTo(new[] { "a Stopped", "solo Stopped", "b Stopped" }));
        Assert.That(w.AllStoppedCount, Is.EqualTo(1));
        Assert.That(w.Set.ShutdownType, Is.EqualTo(ShutdownType.Reboot));
    }

    [Test]
    public void ShutdownWithNothingActiveReportsAllStoppedAtOnce()
    {
        var w = new World();
        w.Add("a");
        w.Load();
        w.Set.Shutdown(ShutdownType.Remain);
        Assert.That(w.AllStoppedCount, Is.EqualTo(1));
    }

    [Test]
    public void ASecondShutdownReplacesTheType()
    {
        var w = new World();
        w.Add("p", ServiceType.Process);
        w.Load();
        w.Start("p");
        w.Set.Shutdown(ShutdownType.Halt);
        w.Set.Shutdown(ShutdownType.PowerOff);
        Assert.That(w.Set.ShutdownType, Is.EqualTo(ShutdownType.PowerOff));
        w.Exit("p");
        Assert.That(w.AllStoppedCount, Is.EqualTo(1), "reported once, when the last service stopped");
    }
}
