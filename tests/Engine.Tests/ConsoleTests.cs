using Tinyinit.Engine;

namespace Tinyinit.Engine.Tests;

/// <summary>semantics.md §14: exclusive console use and its FIFO queue.</summary>
public class ConsoleTests
{
    [Test]
    public void StartsOnConsoleServicesTakeTheConsoleInTurn()
    {
        var w = new World();
        w.Add("one", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Add("two", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Load();

        w.Start("one");
        w.Start("two");
        Assert.That(w.Take(), Is.EqualTo(new[] { "console one", "spawn one start", "timer one +60s" }));
        Assert.That(w["two"].WaitingForConsole, Is.True);

        w.Exit("one");
        Assert.That(w.Take(), Is.EqualTo(new[] { "console two", "one Started", "spawn two start", "timer two +60s" }));
        w.Exit("two");
        Assert.That(w.Take(), Is.EqualTo(new[] { "console -", "two Started" }));
    }

    [Test]
    public void RunsOnConsoleKeepsTheConsoleUntilItStops()
    {
        var w = new World();
        w.Add("shell", ServiceType.Process).With(ServiceOptions.RunsOnConsole);
        w.Add("later", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Load();
        w.Start("shell");
        w.Start("later");
        Assert.That(w.Set.ConsoleHolder, Is.SameAs(w["shell"]));
        w.Take();

        w.Exit("shell");
        Assert.That(w.Take(), Is.EqualTo(new[]
        {
            "log info: Service shell process terminated with exit code 0",
            "console later", "shell Stopped", "spawn later start", "timer later +60s",
        }));
    }

    [Test]
    public void CancellingAStartWaitingForTheConsoleLeavesTheQueue()
    {
        var w = new World();
        w.Add("one", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Add("two", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Add("three", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Load();
        w.Start("one");
        w.Start("two");
        w.Start("three");
        w.Take();

        w.Stop("two");
        Assert.That(w.Events(), Is.EqualTo(new[] { "two StartCancelled", "two Stopped" }));
        w.Exit("one");
        Assert.That(w.Take(), Does.Contain("console three"));
    }

    [Test]
    public void SharesConsoleNeverQueues()
    {
        var w = new World();
        w.Add("one", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Add("shared", ServiceType.Scripted).With(ServiceOptions.SharesConsole);
        w.Load();
        w.Start("one");
        w.Start("shared");
        Assert.That(w.Take(), Does.Contain("spawn shared start"));
        Assert.That(w["shared"].WaitingForConsole, Is.False);
    }

    [Test]
    public void AFailedStartReleasesTheConsole()
    {
        var w = new World();
        w.Add("one", ServiceType.Scripted).With(ServiceOptions.StartsOnConsole);
        w.Load();
        w.Start("one");
        w.Take();
        w.Exit("one", 1);
        Assert.That(w.Take(), Does.Contain("console -"));
        Assert.That(w.Set.ConsoleHolder, Is.Null);
    }
}
