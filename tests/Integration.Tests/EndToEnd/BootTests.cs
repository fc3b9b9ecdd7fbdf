using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// The whole product as an administrator meets it: tinyinit as PID 1 of a PID namespace
/// starting tinyinitd, which starts services; tinyctl talking to it; shutdown ending it all.
/// </summary>
[TestFixture, NonParallelizable]
public class BootTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\ndepends-on: web\n",
        ["web"] = "type = process\ncommand = /bin/sleep 1000\ndepends-on: db\n",
        ["db"] = "type = process\ncommand = /bin/sleep 1001\n",
    };

    [Test]
    public void Pid1IsTinyinitAndTheManagerIsItsChild()
    {
        using var init = NamespacedInit.Boot(Services);
        var procs = init.Processes();
        var pid1 = procs.First();
        Assert.That(pid1.InnerPid, Is.EqualTo(1));
        Assert.That(pid1.Name, Is.EqualTo("tinyinit"));
        var manager = procs.SingleOrDefault(p => p.Name == "tinyinitd");
        Assert.That(manager, Is.Not.Null, string.Join("\n", procs));
        Assert.That(manager!.InnerPid, Is.Not.EqualTo(1));
        Assert.That(manager.HostParentPid, Is.EqualTo(pid1.HostPid));
    }

    [Test]
    public void BootStartsDependenciesAsChildrenOfTheManager()
    {
        using var init = NamespacedInit.Boot(Services);
        Assert.That(Poll.Until(() => init.Processes().Count(p => p.CommandLine.StartsWith("/bin/sleep 100")) == 2), init.Output);
        var procs = init.Processes();
        var manager = procs.Single(p => p.Name == "tinyinitd");
        var sleeps = procs.Where(p => p.CommandLine.StartsWith("/bin/sleep 100")).ToList();
        Assert.That(sleeps.Select(p => p.HostParentPid), Is.All.EqualTo(manager.HostPid));
    }

    [Test]
    public void ListShowsEveryServiceStarted()
    {
        using var init = NamespacedInit.Boot(Services);
        // "[[+]" marks the explicitly started service, "[{+}" those started for a dependent.
        Assert.That(Poll.Until(() => init.Ctl("list").StdOut.Split('\n').Count(l => l.StartsWith("[{+}") || l.StartsWith("[[+]")) == 3), init.Ctl("list").ToString());
        var list = init.Ctl("list");
        Assert.That(list.ExitCode, Is.EqualTo(0));
        var lines = list.StdOut.Split('\n');
        Assert.That(lines, Has.Some.StartsWith("[[+]     ] boot"));
        Assert.That(lines, Has.Some.Match(@"^\[\{\+\}     \] web \(pid: \d+\)$"));
        Assert.That(lines, Has.Some.Match(@"^\[\{\+\}     \] db \(pid: \d+\)$"));
    }

    [Test]
    public void AKilledServiceProcessIsRestartedWithANewPid()
    {
        using var init = NamespacedInit.Boot(Services);
        ProcInfo? Db() => init.Processes().FirstOrDefault(p => p.CommandLine == "/bin/sleep 1001");
        Assert.That(Poll.Until(() => Db() != null), init.Output);
        var first = Db()!;
        global::System.Diagnostics.Process.GetProcessById(first.HostPid).Kill();
        Assert.That(Poll.Until(() => Db() is { } now && now.HostPid != first.HostPid && now.State != 'Z'), init.Output);
    }

    [Test]
    public void StopAndStartChangeWhatRuns()
    {
        var services = new Dictionary<string, string>(Services)
        {
            ["boot"] = "type = internal\ndepends-on: web\nwaits-for: side\n",
            ["side"] = "type = process\ncommand = /bin/sleep 1002\n",
        };
        using var init = NamespacedInit.Boot(services);
        bool SideRuns() => init.Processes().Any(p => p.CommandLine == "/bin/sleep 1002");
        Assert.That(Poll.Until(SideRuns), init.Output);

        var stop = init.Ctl("stop", "side");
        Assert.That(stop.ExitCode, Is.EqualTo(0), stop.ToString());
        Assert.That(Poll.Until(() => !SideRuns()), init.Output);
        Assert.That(init.Ctl("status", "boot").StdOut, Does.Contain("STARTED"), "a waits-for dependency may stop without its dependent");

        var start = init.Ctl("start", "side");
        Assert.That(start.ExitCode, Is.EqualTo(0), start.ToString());
        Assert.That(Poll.Until(SideRuns), init.Output);
    }

    [Test]
    public void StopRefusesWhileADependentNeedsTheServiceUnlessForced()
    {
        using var init = NamespacedInit.Boot(Services);
        Assert.That(Poll.Until(() => init.Processes().Any(p => p.CommandLine == "/bin/sleep 1000")), init.Output);
        var refused = init.Ctl("stop", "web");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.StdErr, Does.Contain("cannot stop service 'web' due to the following dependents").And.Contain("  boot"));
        Assert.That(init.Processes().Any(p => p.CommandLine == "/bin/sleep 1000"), "a refused stop must leave web running");

        // Forcing it stops boot too; with nothing left running and no shutdown requested the
        // system manager reports a boot failure and halts: the namespace ends.
        var stop = init.Ctl("stop", "--force", "web");
        Assert.That(stop.ExitCode, Is.EqualTo(0), stop.ToString());
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(init.Output, Does.Contain("All services have stopped with no shutdown issued; boot failure?"));
    }

    [Test]
    public void AnOrphanedGrandchildIsReapedLeavingNoZombie()
    {
        var services = new Dictionary<string, string>(Services)
        {
            // The service's shell starts a short-lived grandchild and exits at once while the
            // grandchild runs on: it is orphaned, and must be reaped when it ends.
            ["orphaner"] = "type = scripted\ncommand = /bin/sh -c \"/bin/sleep 0.3 & exit 0\"\n",
            ["boot"] = "type = internal\ndepends-on: web\ndepends-on: orphaner\n",
        };
        using var init = NamespacedInit.Boot(services);
        Assert.That(Poll.Until(() => init.Ctl("status", "orphaner").StdOut.Contains("STARTED")), init.Output);
        Assert.That(Poll.Until(() => init.Processes().All(p => p.CommandLine != "/bin/sleep 0.3")),
            string.Join("\n", init.Processes()));
        Assert.That(init.Processes().Where(p => p.State == 'Z'), Is.Empty);
    }

    [Test]
    public void ShutdownEndsTheNamespaceWithNoProcessLeft()
    {
        using var init = NamespacedInit.Boot(Services);
        Assert.That(Poll.Until(() => init.Processes().Count(p => p.CommandLine.StartsWith("/bin/sleep")) == 2), init.Output);
        var initHostPid = init.InitHostPid;
        var services = init.Processes().Where(p => p.CommandLine.StartsWith("/bin/sleep")).Select(p => p.HostPid).ToHashSet();
        init.Ctl("shutdown");
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(ProcessTable.Descendants(initHostPid), Is.Empty);
        // Only this namespace's services: other tests and benchmarks may run sleeps of their own.
        Assert.That(ProcessTable.Snapshot().Where(p => services.Contains(p.HostPid) && p.CommandLine.StartsWith("/bin/sleep")), Is.Empty);
    }

    [Test]
    public void SigtermToPid1StopsServicesAndEndsTheNamespace()
    {
        using var init = NamespacedInit.Boot(Services);
        Assert.That(Poll.Until(() => init.Processes().Count(p => p.CommandLine.StartsWith("/bin/sleep")) == 2), init.Output);
        var initHostPid = init.InitHostPid;
        CommandResult.Run("kill", ["-TERM", initHostPid.ToString()]);
        Assert.That(init.WaitForExit(), Is.True, init.Output);
        Assert.That(ProcessTable.Descendants(initHostPid), Is.Empty);
    }

    [Test]
    public void ServicesInheritOnlyTheStandardDescriptors()
    {
        var services = new Dictionary<string, string>
        {
            ["boot"] = "type = internal\ndepends-on: lister\n",
            ["lister"] = "type = process\ncommand = /bin/sleep 1008\n",
        };
        using var init = NamespacedInit.Boot(services);
        ProcInfo? Sleeper() => init.Processes().FirstOrDefault(p => p.CommandLine == "/bin/sleep 1008");
        Assert.That(Poll.Until(() => Sleeper() != null), init.Output);
        var fds = System.IO.Directory.GetFiles($"/proc/{Sleeper()!.HostPid}/fd").Select(f => int.Parse(Path.GetFileName(f))).Order();
        Assert.That(fds, Is.EqualTo(new[] { 0, 1, 2 }), "neither the init link, the state hand-off nor runtime descriptors may leak into services");
    }

    [Test]
    public void AKilledManagerIsReplacedWithoutRunningServicesTwice()
    {
        using var init = NamespacedInit.Boot(Services);
        IReadOnlyList<ProcInfo> Webs() => init.Processes().Where(p => p.CommandLine == "/bin/sleep 1000").ToList();
        Assert.That(Poll.Until(() => Webs().Count == 1), init.Output);
        var oldManager = init.Processes().Single(p => p.Name == "tinyinitd");
        var oldWeb = Webs()[0];

        global::System.Diagnostics.Process.GetProcessById(oldManager.HostPid).Kill();

        // tinyinit starts a new manager, which serves the socket again and carries on with the same web (crash record).
        Assert.That(Poll.Until(() => init.Processes().Any(p => p.Name == "tinyinitd" && p.HostPid != oldManager.HostPid)), init.Output);
        Assert.That(Poll.Until(() => init.Ctl("status", "web").StdOut.Contains("State: STARTED")), init.Output);
        Assert.That(Webs().Select(p => p.HostPid), Is.EqualTo(new[] { oldWeb.HostPid }), string.Join("\n", init.Processes()));
        Assert.That(init.Output, Does.Contain("Recovered after a manager crash"));
        Assert.That(init.Processes().Where(p => p.State == 'Z'), Is.Empty);
    }
}
