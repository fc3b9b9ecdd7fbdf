using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// semantics.md, "Service list order"; ctl.md §5: services are listed in the order their
/// loads began — a service before the dependencies it pulled in — and services loaded later
/// (by start, add-dep, …) are appended the same way.
/// </summary>
[TestFixture, NonParallelizable]
public class ListOrderTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\ndepends-on: net\nwaits-for: log\n",
        ["net"] = "type = internal\ndepends-on: dev\n",
        ["dev"] = "type = internal\n",
        ["log"] = "type = internal\n",
        ["extra"] = "type = internal\ndepends-on: helper\n",
        ["helper"] = "type = internal\n",
        ["other"] = "type = internal\n",
    };

    [Test]
    public void ListShowsServicesWhereTheirLoadBeganIncludingThoseLoadedAtRunTime()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();

        Assert.That(manager.Ctl("list").StdOut, Is.EqualTo(
            "[[+]     ] boot\n" +
            "[{+}     ] net\n" +
            "[{+}     ] dev\n" +
            "[{+}     ] log\n"));

        Assert.That(manager.Ctl("start", "extra").ExitCode, Is.EqualTo(0));
        Assert.That(manager.Ctl("add-dep", "waits-for", "other", "helper").ExitCode, Is.EqualTo(0));

        var list = manager.Ctl("list");
        Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
        Assert.That(list.StdOut, Is.EqualTo(
            "[[+]     ] boot\n" +
            "[{+}     ] net\n" +
            "[{+}     ] dev\n" +
            "[{+}     ] log\n" +
            "[[+]     ] extra\n" +
            "[{+}     ] helper\n" +
            "[     {-}] other\n"));
    }
}
